"""Google Chat incoming webhooks: a cardsV2 card with one section per announcement, and a one-line `text`.

Card text is a small HTML subset (<b>, <i>, <a href>, <br>): page text is HTML-escaped. The
message's `text` (Google Chat markup, shown above the card and in notifications) escapes the
characters that would make links and mentions.
"""

from __future__ import annotations

import html
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
    encode,
    heading_line,
    length,
    notification,
    over,
    title_for,
)


@dataclass(frozen=True)
class Limits:
    message_bytes: int
    text_chars: int
    widgets: int


# Google Chat's API docs (developers.google.com/workspace/chat: "Send a message", "Card"): a
# message, text and cards together, at most 32,000 bytes; its `text` at most 4,096 characters
# (refused beyond: "Message is longer than 4096 characters"); at most 100 widgets a card, and those
# beyond are dropped without an error, which is exactly what must never happen to an announcement.
LIMITS = Limits(message_bytes=32_000, text_chars=4096, widgets=100)


def escape(text: str) -> str:
    """Google Chat reads <...> as links and mentions; HTML entities show the characters instead."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CARD_MARKUP = Markup(
    escape=lambda t: html.escape(t, quote=False),
    bold=lambda t: f"<b>{t}</b>",
    italic=lambda t: f"<i>{t}</i>",
    link=lambda url, text: f'<a href="{html.escape(url, quote=True)}">{text}</a>',
    quote=lambda t: t,
)


def section(view: AnnouncementView, lang: str) -> dict[str, object]:
    parts = announcement_parts(view, lang)
    lines = [
        heading_line(parts, CARD_MARKUP),
        *body_lines(parts, CARD_MARKUP, sources_label=labels(lang)["sources"]),
    ]
    return {"widgets": [{"textParagraph": {"text": "<br>".join(lines)}}]}


def render(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> Payload:
    card = {"header": {"title": title_for(views, lang, part)}, "sections": [section(v, lang) for v in views]}
    return {"text": escape(notification(views, lang)), "cardsV2": [{"cardId": "announcements", "card": card}]}


def over_limits(payload: Payload) -> list[str]:
    widgets = [w for c in payload["cardsV2"] for s in c["card"]["sections"] for w in s["widgets"]]
    problems = over("message (bytes)", len(encode(payload)), LIMITS.message_bytes)
    problems += over("text (chars)", length(payload["text"]), LIMITS.text_chars)
    return problems + over("widgets", len(widgets), LIMITS.widgets)


FORMAT = ChatFormat("googlechat", render, over_limits)
