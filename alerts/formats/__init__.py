"""Webhook payloads, one module per format, and the splitting of a batch into posts that each chat accepts.

A format is one module exposing `FORMAT = ChatFormat(...)`, listed once in alerts/formats/registry.py.
Every chat format renders the same parts of an announcement through its own `Markup`: what differs
between Slack, Mattermost, Teams, Discord and Google Chat is how to escape, embolden and link, how a
post is laid out, and how large a post may be. Each format declares its platform's limits as data
and says what a payload exceeds (`over_limits`); `split` packs the announcements into as few posts
as keep within them. No announcement is ever left out: one too large to fit even alone goes out
with its evidence and sources cut.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..channels import Post
from ..digest import item_context, safe_url
from ..formatting import format_int, shown_amount
from ..i18n import labels
from ..view import AnnouncementView

logger = logging.getLogger(__name__)

Payload = dict[str, Any]


@dataclass(frozen=True)
class Part:
    """Which post of a split batch this is: shown as "(2/3)" in the post's title."""

    index: int
    total: int


# What fits is decided with the widest label, so the real numbering can only make a post shorter.
WIDEST_PART = Part(999, 999)


@dataclass(frozen=True)
class ChatFormat:
    name: str
    # render(views, lang, part) -> the JSON payload of one post
    render: Callable[[Sequence[AnnouncementView], str, Part | None], Payload]
    # The platform limits a payload exceeds, one line each; empty when it may be posted.
    over_limits: Callable[[Payload], list[str]]
    # Signed with the webhook's secret (Standard Webhooks headers).
    signed: bool = False


def encode(payload: Payload) -> bytes:
    """The body as posted; byte limits are measured on exactly this."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def length(text: str) -> int:
    """Characters as the platforms count them: UTF-16 units (JavaScript's length), never fewer than code points."""
    return len(text.encode("utf-16-le")) // 2


def over(what: str, value: int, limit: int) -> list[str]:
    return [f"{what} {value} > {limit}"] if value > limit else []


# -- what is said about an announcement ------------------------------------------------------------


@dataclass(frozen=True)
class Markup:
    escape: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    # link(url, escaped_text); url is already checked to be http(s).
    link: Callable[[str, str], str]
    quote: Callable[[str], str] = lambda text: f"> {text}"


PLAIN = Markup(
    escape=lambda t: t, bold=lambda t: t, italic=lambda t: t, link=lambda url, text: text, quote=lambda t: t
)


@dataclass(frozen=True)
class AnnouncementParts:
    """The display strings of one announcement, unescaped, for formats that lay them out themselves."""

    investor: str
    # Amount and edition, as shown after the investor.
    extras: tuple[str, ...]
    abandoned: str | None
    # (label, value) pairs: places, sector, jobs, original amount.
    facts: tuple[tuple[str, str], ...]
    evidence: str
    # (href or None when not a safe http(s) link, label)
    links: tuple[tuple[str | None, str], ...]
    colon: str


def announcement_parts(view: AnnouncementView, lang: str, *, max_sources: int = 5) -> AnnouncementParts:
    words = labels(lang)
    item = item_context(view, lang)
    facts = [
        (words["locations"], item["locations"]),
        (words["sector"], item["sector"]),
        (words["jobs"], item["jobs"]),
        (words["original"], item["original"]),
    ]
    links = tuple(
        (safe_url(s["url"]), s["title"] + (f" ({s['source']})" if s["source"] else ""))
        for s in item["sources"][:max_sources]
    )
    return AnnouncementParts(
        investor=item["investor"],
        extras=tuple(x for x in (item["amount"], item["edition"]) if x),
        abandoned=words["abandoned"] if item["abandoned"] else None,
        facts=tuple((label, value) for label, value in facts if value),
        evidence=item["evidence"],
        links=links,
        colon=words["colon"],
    )


def heading_line(parts: AnnouncementParts, markup: Markup) -> str:
    e = markup.escape
    heading = markup.bold(e(parts.investor))
    if parts.extras:
        heading += " — " + " · ".join(e(x) for x in parts.extras)
    if parts.abandoned:
        heading += f" ({e(parts.abandoned)})"
    return heading


def body_lines(parts: AnnouncementParts, markup: Markup, *, sources_label: str) -> list[str]:
    """Facts, evidence and source links, escaped and marked up."""
    e = markup.escape
    lines = []
    if parts.facts:
        lines.append(" · ".join(f"{e(label)}{e(parts.colon)} {e(value)}" for label, value in parts.facts))
    if parts.evidence:
        lines.append(markup.quote(markup.italic(e(parts.evidence))))
    links = [markup.link(href, e(label)) if href else e(label) for href, label in parts.links]
    if links:
        lines.append(f"{e(sources_label)}{e(parts.colon)} " + " · ".join(links))
    return lines


def announcement_lines(
    view: AnnouncementView, lang: str, markup: Markup, *, max_sources: int = 5
) -> list[str]:
    """Heading, facts, evidence and source links of one announcement, escaped and marked up."""
    parts = announcement_parts(view, lang, max_sources=max_sources)
    return [heading_line(parts, markup), *body_lines(parts, markup, sources_label=labels(lang)["sources"])]


def title_for(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> str:
    words = labels(lang)
    if len(views) == 1:
        title = words["chat_title_one"]
    else:
        title = words["chat_title_many"].format(n=format_int(len(views), lang))
    return title + (words["part"].format(index=part.index, total=part.total) if part else "")


# A name from a web page can be any length; a phone notification shows a line.
NOTIFICATION_NAME_CHARS = 80


def notification(views: Sequence[AnnouncementView], lang: str) -> str:
    """What a phone shows: "Microsoft — 4 Md€", or "12 annonces Choose France, dont Microsoft (4 Md€)"."""
    words = labels(lang)

    def amount(view: AnnouncementView) -> str | None:
        return shown_amount(view.amount_eur, view.amount_text, view.currency, lang)

    def name(view: AnnouncementView) -> str:
        return cut(" ".join(view.investor.split()), NOTIFICATION_NAME_CHARS)

    if len(views) == 1:
        [view] = views
        shown = amount(view)
        return f"{name(view)} — {shown}" if shown else name(view)
    # The largest known amount leads; without any amount, the first announcement does.
    lead = max(views, key=lambda v: v.amount_eur if v.amount_eur is not None else -1.0)
    shown = amount(lead)
    lead_text = f"{name(lead)} ({shown})" if shown else name(lead)
    return words["notify_many"].format(n=format_int(len(views), lang), lead=lead_text)


# -- splitting a batch into posts ------------------------------------------------------------------


def cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…" if limit > 0 else ""


@dataclass(frozen=True)
class Shrink:
    """How far to cut one announcement that does not fit in a post on its own."""

    evidence: int
    sources: int
    text: int
    source_title: int


# Tried in order; the last fits any chat format newswatch knows.
SHRINK_STEPS = (
    Shrink(evidence=1000, sources=5, text=1000, source_title=300),
    Shrink(evidence=300, sources=3, text=300, source_title=150),
    Shrink(evidence=0, sources=1, text=150, source_title=100),
    Shrink(evidence=0, sources=0, text=60, source_title=0),
)


def shrunk(view: AnnouncementView, step: Shrink) -> AnnouncementView:
    evidence = view.evidence or next((s.evidence for s in view.sources if s.evidence), "")
    sources = tuple(
        dataclasses.replace(s, evidence="", title=cut(s.title or s.url, step.source_title))
        for s in view.sources[: step.sources]
    )
    return dataclasses.replace(
        view,
        investor=cut(view.investor, step.text),
        evidence=cut(evidence, step.evidence),
        sources=sources,
        sector=cut(view.sector, step.text) if view.sector else view.sector,
        locations=tuple(cut(place, step.text) for place in view.locations[:10]),
        places=tuple(dataclasses.replace(p, name=cut(p.name, step.text)) for p in view.located[:10]),
        amount_text=cut(view.amount_text, step.text) if view.amount_text else view.amount_text,
    )


def _fits(fmt: ChatFormat, views: Sequence[AnnouncementView], lang: str) -> bool:
    return not fmt.over_limits(fmt.render(views, lang, WIDEST_PART))


def _alone(fmt: ChatFormat, view: AnnouncementView, lang: str) -> AnnouncementView:
    if _fits(fmt, [view], lang):
        return view
    for step in SHRINK_STEPS:
        smaller = shrunk(view, step)
        if _fits(fmt, [smaller], lang):
            logger.info(
                "chat %s: announcement %d cut to fit one post (evidence %d chars, %d source(s))",
                fmt.name,
                view.id,
                len(smaller.evidence),
                len(smaller.sources),
            )
            return smaller
    problems = "; ".join(fmt.over_limits(fmt.render([shrunk(view, SHRINK_STEPS[-1])], lang, WIDEST_PART)))
    raise ValueError(f"{fmt.name}: announcement {view.id} exceeds the post limits even cut down: {problems}")


def split(
    fmt: ChatFormat, views: Sequence[AnnouncementView], lang: str, *, max_per_post: int | None = None
) -> list[Post]:
    """Pack the announcements, in order, into as few posts as stay within the format's limits.

    Greedy from the first announcement: the same announcements always give the same posts, so a
    batch resent after a crash or a timeout is the same messages with the same webhook-ids.
    """
    groups: list[list[AnnouncementView]] = []
    current: list[AnnouncementView] = []
    for view in views:
        room = max_per_post is None or len(current) < max_per_post
        if current and room and _fits(fmt, [*current, view], lang):
            current.append(view)
            continue
        if current:
            groups.append(current)
        current = [_alone(fmt, view, lang)]
    if current:
        groups.append(current)
    total = len(groups)
    return [
        Post(tuple(group), fmt.render(group, lang, Part(index, total) if total > 1 else None))
        for index, group in enumerate(groups, start=1)
    ]
