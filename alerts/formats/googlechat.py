"""Google Chat incoming webhooks: a text message with *bold*, _italic_ and <url|text> links."""

from __future__ import annotations

from ..view import AnnouncementView
from . import Markup, Payload, capped_text, title_for

MAX_CHARS = 4000


def escape(text: str) -> str:
    """Google Chat reads <...> as links and mentions; HTML entities show the characters instead."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, text: str) -> str:
    return f"<{escape(url).replace('|', '%7C')}|{text}>"


MARKUP = Markup(escape=escape, bold=lambda t: f"*{t}*", italic=lambda t: f"_{t}_", link=_link,
                quote=lambda t: f"│ {t}")


def render(views: list[AnnouncementView], lang: str) -> Payload:
    heading = f"*{escape(title_for(views, lang))}*"
    return {"text": capped_text(heading, views, lang, MARKUP, MAX_CHARS)}
