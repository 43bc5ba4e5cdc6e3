"""Atom feed (RFC 4287) of announcements, whole or filtered like the table.

Entry ids are `urn:uuid:` names derived from the announcement's id and first-seen time: the same
announcement keeps its id across crawls and merges, and two databases never share one. An entry's
`updated` is the announcement's: it moves when a later article fills a field or adds itself as a
source, so readers show the entry again. The XML is built with ElementTree, which escapes every text
taken from articles; characters XML cannot carry are dropped first.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from markupsafe import escape

from alerts.digest import safe_url
from alerts.formatting import format_amount, format_date, format_int, shown_amount

from .i18n import sector_label
from .queries import Item

ATOM_NS = "http://www.w3.org/2005/Atom"
# A fixed namespace for entry ids (uuid5): never change it, or every reader sees every entry anew.
ENTRY_NAMESPACE = uuid.UUID("6f1c2a52-5d7e-4d8e-9a43-3b0b7f1d2c61")
FEED_ENTRIES = 100
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def entry_id(item: Item) -> str:
    first_seen = item.first_seen_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'announcement:{item.id}:{first_seen}')}"


def _clean(text: str | None) -> str:
    return _XML_ILLEGAL.sub("", text or "")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        element.text = _clean(text)
    return element


def entry_title(item: Item, lang: str, t: Mapping[str, str]) -> str:
    parts = [item.investor]
    amount = shown_amount(item.amount_eur, item.amount_text, item.currency, lang)
    if amount:
        parts.append(amount)
    title = " — ".join(parts)
    if item.edition:
        title += f" ({t['edition_value'].format(year=item.edition)})"
    return title


def entry_html(item: Item, lang: str, t: Mapping[str, str]) -> str:
    """The entry's content: the record's fields, the sentence and the sources, as escaped HTML."""
    colon = t["colon"]
    fields = [
        (t["amount"], format_amount(item.amount_eur, lang, "long") or item.amount_text),
        (t["jobs"], format_int(item.jobs, lang) if item.jobs is not None else None),
        (
            t["places"],
            ", ".join(
                p.name + (f" ({p.region})" if p.region and p.kind != "region" else "")
                for p in item.shown_places
            )
            or None,
        ),
        (t["sector"], ", ".join(sector_label(s, lang) for s in item.sectors) or None),
        (t["edition"], t["edition_value"].format(year=item.edition) if item.edition else None),
    ]
    html = ["<ul>"]
    html += [f"<li><strong>{escape(k)}{escape(colon)}</strong> {escape(v)}</li>" for k, v in fields if v]
    html.append("</ul>")
    if item.evidence:
        html.append(f"<blockquote>{escape(item.evidence)}</blockquote>")
    if item.sources:
        html.append(f"<p>{escape(t['sources'])}{escape(colon)}</p><ul>")
        for source in item.sources:
            title = escape(source.title or source.url)
            href = safe_url(source.url)
            link = f'<a href="{escape(href)}">{title}</a>' if href else title
            meta = ", ".join(x for x in (source.outlet, format_date(source.published, lang)) if x)
            html.append(f"<li>{link}{f' ({escape(meta)})' if meta else ''}</li>")
        html.append("</ul>")
    return "".join(html)


def build_feed(
    items: Sequence[Item],
    *,
    self_url: str,
    html_url: str,
    entry_url: Callable[[int], str],
    lang: str,
    t: Mapping[str, str],
    subtitle: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The feed document; `entry_url(id)` is an announcement page's absolute URL."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _sub(feed, "id", self_url)
    _sub(feed, "title", t["feed_title"])
    if subtitle:
        _sub(feed, "subtitle", subtitle)
    newest = max((i.updated_at for i in items), default=now or datetime.now(UTC))
    _sub(feed, "updated", _iso(newest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=html_url)
    author = _sub(feed, "author")
    _sub(author, "name", "newswatch")
    _sub(feed, "generator", "newswatch")
    for item in items:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(item))
        _sub(entry, "title", entry_title(item, lang, t))
        _sub(entry, "link", rel="alternate", type="text/html", href=entry_url(item.id))
        for source in item.sources:
            href = safe_url(source.url)
            if href:
                _sub(
                    entry,
                    "link",
                    rel="related",
                    type="text/html",
                    href=_clean(href),
                    title=_clean(source.title or source.url),
                )
        _sub(entry, "published", _iso(item.first_seen_at))
        _sub(entry, "updated", _iso(item.updated_at))
        for sector in item.sectors:
            _sub(entry, "category", term=_clean(sector), label=_clean(sector_label(sector, lang)))
        if item.evidence:
            _sub(entry, "summary", item.evidence, type="text")
        _sub(entry, "content", entry_html(item, lang, t), type="html")
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
