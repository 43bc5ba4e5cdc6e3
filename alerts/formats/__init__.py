"""Webhook payloads, one module per format; text from web pages is escaped for each chat's markup.

Every chat format renders the same lines through its own `Markup`: what differs between Slack,
Mattermost, Teams, Discord and Google Chat is how to escape, embolden and link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..digest import item_context, safe_url
from ..i18n import labels
from ..view import AnnouncementView

Payload = dict[str, Any]
Renderer = Callable[[list[AnnouncementView], str], Payload]


@dataclass(frozen=True)
class Markup:
    escape: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    # link(url, escaped_text); url is already checked to be http(s).
    link: Callable[[str, str], str]
    quote: Callable[[str], str] = lambda text: f"> {text}"


def announcement_lines(view: AnnouncementView, lang: str, markup: Markup, *, max_sources: int = 5) -> list[str]:
    """Heading, facts, evidence and source links of one announcement, escaped and marked up."""
    words = labels(lang)
    item = item_context(view, lang)
    e = markup.escape
    heading = markup.bold(e(item["investor"]))
    extras = [x for x in (item["amount"], item["edition"]) if x]
    if extras:
        heading += " — " + " · ".join(e(x) for x in extras)
    if item["abandoned"]:
        heading += f" ({e(words['abandoned'])})"
    lines = [heading]
    facts = [(words["locations"], item["locations"]), (words["sector"], item["sector"]),
             (words["jobs"], item["jobs"])]
    shown = [f"{e(label)}{e(words['colon'])} {e(value)}" for label, value in facts if value]
    if item["original"]:
        shown.append(f"{e(words['original'])}{e(words['colon'])} {e(item['original'])}")
    if shown:
        lines.append(" · ".join(shown))
    if item["evidence"]:
        lines.append(markup.quote(markup.italic(e(item["evidence"]))))
    links = []
    for source in item["sources"][:max_sources]:
        label = e(source["title"] + (f" ({source['source']})" if source["source"] else ""))
        href = safe_url(source["url"])
        links.append(markup.link(href, label) if href else label)
    if links:
        lines.append(f"{e(words['sources'])}{e(words['colon'])} " + " · ".join(links))
    return lines


def capped_text(heading: str, views: list[AnnouncementView], lang: str, markup: Markup, max_chars: int) -> str:
    """Heading plus one block per announcement, cut with a "n more" line before the chat's size limit."""
    from ..i18n import labels

    parts = [heading]
    for count, view in enumerate(views):
        block = "\n".join(announcement_lines(view, lang, markup))
        # 60 characters left for the "n more" line.
        if sum(len(p) + 2 for p in parts) + len(block) > max_chars - 60:
            parts.append(markup.escape(labels(lang)["more"].format(n=len(views) - count)))
            break
        parts.append(block)
    return "\n\n".join(parts)


def title_for(views: list[AnnouncementView], lang: str) -> str:
    words = labels(lang)
    if len(views) == 1:
        return words["subject_one"].removeprefix("newswatch : ").removeprefix("newswatch: ")
    return words["chat_title_many"].format(n=len(views))


def renderer(name: str) -> Renderer:
    from . import discord, generic_json, googlechat, mattermost, slack, teams

    table: dict[str, Renderer] = {
        "slack": slack.render, "mattermost": mattermost.render, "teams": teams.render,
        "discord": discord.render, "googlechat": googlechat.render, "json": generic_json.render,
    }
    return table[name]
