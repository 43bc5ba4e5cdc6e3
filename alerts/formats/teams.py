"""Microsoft Teams (Workflows / incoming webhook): an Adaptive Card with escaped Markdown text blocks."""

from __future__ import annotations

import re

from ..i18n import labels
from ..view import AnnouncementView
from . import Markup, Payload, announcement_lines, title_for
from .mattermost import link_target

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")
MAX_ANNOUNCEMENTS = 20


def escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


MARKUP = Markup(escape=escape, bold=lambda t: f"**{t}**", italic=lambda t: f"_{t}_",
                link=lambda url, text: f"[{text}]({link_target(url)})", quote=lambda t: t)


def render(views: list[AnnouncementView], lang: str) -> Payload:
    body: list[dict[str, object]] = [
        {"type": "TextBlock", "text": escape(title_for(views, lang)), "weight": "Bolder", "size": "Medium",
         "wrap": True},
    ]
    for view in views[:MAX_ANNOUNCEMENTS]:
        lines = announcement_lines(view, lang, MARKUP)
        body.append({"type": "TextBlock", "text": lines[0], "wrap": True, "separator": True, "spacing": "Medium"})
        body.extend({"type": "TextBlock", "text": line, "wrap": True, "spacing": "Small"} for line in lines[1:])
    if len(views) > MAX_ANNOUNCEMENTS:
        more = labels(lang)["more"].format(n=len(views) - MAX_ANNOUNCEMENTS)
        body.append({"type": "TextBlock", "text": escape(more), "isSubtle": True, "wrap": True})
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body}
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
                             "content": card}]}
