"""Mattermost incoming webhooks: Markdown, with page text backslash-escaped and @-mentions defused."""

from __future__ import annotations

import re

from ..view import AnnouncementView
from . import Markup, Payload, capped_text, title_for

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")
MAX_CHARS = 16000


def escape(text: str) -> str:
    # A word joiner after @ stops "@channel" or "@all" written on a page from notifying everyone.
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("@", "@\u2060")


def link_target(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


MARKUP = Markup(escape=escape, bold=lambda t: f"**{t}**", italic=lambda t: f"_{t}_",
                link=lambda url, text: f"[{text}]({link_target(url)})")


def render(views: list[AnnouncementView], lang: str) -> Payload:
    heading = f"#### {escape(title_for(views, lang))}"
    return {"text": capped_text(heading, views, lang, MARKUP, MAX_CHARS), "username": "newswatch"}
