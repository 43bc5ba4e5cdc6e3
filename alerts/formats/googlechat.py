"""Google Chat incoming webhooks: a text message with *bold*, _italic_ and <url|text> links."""

from __future__ import annotations

from ..i18n import labels
from ..view import AnnouncementView
from . import Markup, Payload, announcement_lines, title_for

MAX_CHARS = 4000


def escape(text: str) -> str:
    """Google Chat reads <...> as links and mentions; HTML entities show the characters instead."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, text: str) -> str:
    return f"<{escape(url).replace('|', '%7C')}|{text}>"


MARKUP = Markup(escape=escape, bold=lambda t: f"*{t}*", italic=lambda t: f"_{t}_", link=_link,
                quote=lambda t: f"│ {t}")


def render(views: list[AnnouncementView], lang: str) -> Payload:
    parts = [f"*{escape(title_for(views, lang))}*"]
    for count, view in enumerate(views):
        block = "\n".join(announcement_lines(view, lang, MARKUP))
        if sum(len(p) + 2 for p in parts) + len(block) > MAX_CHARS - 60:
            parts.append(escape(labels(lang)["more"].format(n=len(views) - count)))
            break
        parts.append(block)
    return {"text": "\n\n".join(parts)}
