"""Discord webhooks: one embed per announcement under a short bold title, mentions switched off."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import labels
from ..view import AnnouncementView
from . import (
    ChatFormat,
    Markup,
    Part,
    Payload,
    announcement_parts,
    body_lines,
    heading_line,
    length,
    over,
    title_for,
)
from .mattermost import link_target

MARKDOWN_SPECIAL = re.compile(r"([\\`*_~|\[\]()#<>-])")
# Discord's blurple, the sidebar colour of each embed.
EMBED_COLOUR = 0x5865F2


@dataclass(frozen=True)
class Limits:
    content_chars: int
    embeds: int
    title_chars: int
    description_chars: int
    embeds_total_chars: int


# Discord's developer docs (resources/message, "Embed Limits"; resources/webhook, "Execute Webhook"):
# content at most 2,000 characters; at most 10 embeds a message; an embed's title 256 characters,
# its description 4,096 (a field's value 1,024, 25 fields: not used here); titles, descriptions,
# fields, footers and author names of all the message's embeds together at most 6,000 characters.
LIMITS = Limits(
    content_chars=2000, embeds=10, title_chars=256, description_chars=4096, embeds_total_chars=6000
)


def escape(text: str) -> str:
    # Escaping "<" keeps <@id> and <#channel> from a page inert; allowed_mentions is the second lock.
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("@", "@\u2060")


MARKUP = Markup(
    escape=escape,
    bold=lambda t: f"**{t}**",
    italic=lambda t: f"_{t}_",
    # <...> around the URL stops Discord from unfurling a preview of every source.
    link=lambda url, text: f"[{text}](<{link_target(url)}>)",
)
# An embed's title is bold already.
TITLE_MARKUP = dataclasses.replace(MARKUP, bold=lambda t: t)


def embed(view: AnnouncementView, lang: str) -> dict[str, object]:
    parts = announcement_parts(view, lang, max_sources=3)
    result: dict[str, object] = {"title": heading_line(parts, TITLE_MARKUP), "color": EMBED_COLOUR}
    description = "\n".join(body_lines(parts, MARKUP, sources_label=labels(lang)["sources"]))
    if description:
        result["description"] = description
    first_link = next((href for href, _ in parts.links if href), None)
    if first_link:
        # The title links to the first source.
        result["url"] = first_link
    return result


def render(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> Payload:
    # allowed_mentions with no parse list: nobody is pinged, whatever the text says.
    return {
        "content": f"**{escape(title_for(views, lang, part))}**",
        "embeds": [embed(v, lang) for v in views],
        "allowed_mentions": {"parse": []},
        "username": "newswatch",
    }


def over_limits(payload: Payload) -> list[str]:
    embeds = payload["embeds"]
    problems = over("content (chars)", length(payload["content"]), LIMITS.content_chars)
    problems += over("embeds", len(embeds), LIMITS.embeds)
    total = 0
    for item in embeds:
        title, description = item.get("title", ""), item.get("description", "")
        problems += over("embed title (chars)", length(title), LIMITS.title_chars)
        problems += over("embed description (chars)", length(description), LIMITS.description_chars)
        total += length(title) + length(description)
    return problems + over("embeds together (chars)", total, LIMITS.embeds_total_chars)


FORMAT = ChatFormat("discord", render, over_limits)
