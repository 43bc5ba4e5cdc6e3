"""Mattermost incoming webhooks: Markdown, with page text backslash-escaped and @-mentions defused."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..view import AnnouncementView
from . import ChatFormat, Markup, Part, Payload, announcement_lines, length, over, title_for

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


@dataclass(frozen=True)
class Limits:
    text_chars: int


# Mattermost's incoming-webhook docs: servers from 5.0 take posts of up to 16,383 characters (older
# ones 4,000, and a longer `text` is then split by the server into several posts, nothing lost).
LIMITS = Limits(text_chars=16_383)


def escape(text: str) -> str:
    # A word joiner after @ stops "@channel" or "@all" written on a page from notifying everyone.
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("@", "@\u2060")


def link_target(url: str) -> str:
    return (
        url.replace("(", "%28")
        .replace(")", "%29")
        .replace(" ", "%20")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


MARKUP = Markup(
    escape=escape,
    bold=lambda t: f"**{t}**",
    italic=lambda t: f"_{t}_",
    link=lambda url, text: f"[{text}]({link_target(url)})",
)


def render(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> Payload:
    blocks = [f"#### {escape(title_for(views, lang, part))}"]
    blocks += ["\n".join(announcement_lines(v, lang, MARKUP)) for v in views]
    return {"text": "\n\n".join(blocks), "username": "newswatch"}


def over_limits(payload: Payload) -> list[str]:
    return over("text (chars)", length(payload["text"]), LIMITS.text_chars)


FORMAT = ChatFormat("mattermost", render, over_limits)
