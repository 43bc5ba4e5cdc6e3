"""Slack incoming webhooks: mrkdwn, where &, < and > are the only characters that must be escaped."""

from __future__ import annotations

from ..i18n import labels
from ..view import AnnouncementView
from . import Markup, Payload, announcement_lines, title_for

# Slack caps a message at 50 blocks and a section's text at 3000 characters.
MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000


def escape(text: str) -> str:
    """Turns "<!channel>" or "<http://evil|click>" from a page into inert text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, text: str) -> str:
    return f"<{escape(url).replace('|', '%7C')}|{text}>"


MARKUP = Markup(escape=escape, bold=lambda t: f"*{t}*", italic=lambda t: f"_{t}_", link=_link)


def render(views: list[AnnouncementView], lang: str) -> Payload:
    title = title_for(views, lang)
    blocks: list[dict[str, object]] = [{"type": "header", "text": {"type": "plain_text", "text": title[:150]}}]
    shown = views[: MAX_BLOCKS - 2]
    for view in shown:
        text = "\n".join(announcement_lines(view, lang, MARKUP))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_CHARS]}})
    if len(views) > len(shown):
        more = labels(lang)["more"].format(n=len(views) - len(shown))
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(more)}]})
    # `text` is the notification and fallback; blocks are what people see.
    return {"text": escape(title), "blocks": blocks, "unfurl_links": False, "unfurl_media": False}
