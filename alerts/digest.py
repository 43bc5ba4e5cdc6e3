"""A subscriber's digest: subject, plain text and HTML, rendered from the Jinja2 templates beside this module.

Everything taken from a web page goes through autoescaping in the HTML; links are kept only for
http(s) URLs, so a `javascript:` URL from a hostile page shows as text, never as a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from newswatch.config import Subscriber

from .formatting import format_amount, format_date, format_int, original_amount, totals
from .i18n import labels, sectors_text
from .view import AnnouncementView

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str
    count: int


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link, else None (rendered as text)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def item_context(view: AnnouncementView, lang: str) -> dict[str, Any]:
    """Display strings for one announcement, shared by the digest and the chat formats."""
    words = labels(lang)
    return {
        "id": view.id,
        "investor": view.investor,
        "amount": format_amount(view.amount_eur, lang, "short"),
        "amount_long": format_amount(view.amount_eur, lang, "long"),
        "original": original_amount(view),
        "locations": ", ".join(view.place_labels) or None,
        "sector": sectors_text(view.sector, lang),
        "jobs": format_int(view.jobs, lang) if view.jobs is not None else None,
        "edition": words["edition_value"].format(year=view.edition) if view.edition else None,
        "evidence": view.evidence or next((s.evidence for s in view.sources if s.evidence), ""),
        "abandoned": view.status == "abandoned",
        "sources": [
            {
                "url": link.url,
                "href": safe_url(link.url),
                "title": link.title or link.url,
                "source": link.source,
                "published": format_date(link.published, lang),
            }
            for link in view.sources
        ],
    }


def frequency_text(subscriber: Subscriber) -> str:
    words = labels(subscriber.language)
    template = words[f"frequency_{subscriber.frequency}"]
    return template.format(at=subscriber.at.strftime("%H:%M"), day=words[f"day_{subscriber.day}"])


def subject_for(views: list[AnnouncementView], lang: str) -> str:
    words = labels(lang)
    n = len(views)
    if n == 0:
        return words["subject_none"]
    subject = words["subject_one"] if n == 1 else words["subject_many"].format(n=format_int(n, lang))
    total = totals(views)["amount_eur"]
    if total:
        subject += words["subject_total"].format(total=format_amount(total, lang, "short"))
    return subject


def build_digest(
    views: list[AnnouncementView],
    subscriber: Subscriber,
    *,
    operator: str,
    now: datetime,
    unsubscribe_url: str | None = None,
) -> Digest:
    lang = subscriber.language
    words = labels(lang)
    summary = totals(views)
    n = len(views)
    context = {
        "lang": lang,
        "t": words,
        "items": [item_context(v, lang) for v in views],
        "intro": words["intro_none"]
        if n == 0
        else (words["intro_one"] if n == 1 else words["intro_many"].format(n=format_int(n, lang))),
        "total_amount": format_amount(summary["amount_eur"], lang, "long"),
        "partial_total": (
            words["partial_total"].format(k=format_int(cast(int, summary["with_amount"]), lang))
            if summary["amount_eur"] and summary["with_amount"] != n
            else None
        ),
        "total_jobs": format_int(summary["jobs"], lang) if summary["jobs"] else None,
        "date": format_date(now, lang, subscriber.timezone),
        "footer_why": words["footer_why"].format(
            email=subscriber.email, frequency=frequency_text(subscriber)
        ),
        "operator": operator,
        "subscriber": subscriber.name,
        "unsubscribe_url": unsubscribe_url,
    }
    env = environment()
    return Digest(
        subject=subject_for(views, lang),
        text=env.get_template("digest.txt.j2").render(context),
        html=env.get_template("digest.html.j2").render(context),
        count=n,
    )
