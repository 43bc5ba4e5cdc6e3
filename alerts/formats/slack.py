"""Slack incoming webhooks: a header and one mrkdwn section per announcement; `text` is the notification.

In mrkdwn, &, < and > are the only characters that must be escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..view import AnnouncementView
from . import ChatFormat, Markup, Part, Payload, announcement_lines, length, notification, over, title_for


@dataclass(frozen=True)
class Limits:
    blocks: int
    section_chars: int
    header_chars: int
    text_chars: int
    blocks_total_chars: int


# Slack's Block Kit reference (docs.slack.dev/reference/block-kit/blocks): at most 50 blocks in a
# message, a section's text at most 3,000 characters, a header's at most 150; chat.postMessage
# truncates a top-level `text` past 40,000 characters. Slack also refuses blocks whose texts add up to
# about 12,000 characters with `msg_blocks_too_long`, a limit it does not document
# (slackapi/bolt-js#2509, #2867: refused at 11,341 counted characters): keep well under it.
LIMITS = Limits(blocks=50, section_chars=3000, header_chars=150, text_chars=40_000, blocks_total_chars=10_000)


def escape(text: str) -> str:
    """Turns "<!channel>" or "<http://evil|click>" from a page into inert text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, text: str) -> str:
    return f"<{escape(url).replace('|', '%7C')}|{text}>"


MARKUP = Markup(escape=escape, bold=lambda t: f"*{t}*", italic=lambda t: f"_{t}_", link=_link)


def render(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> Payload:
    blocks: list[dict[str, object]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": title_for(views, lang, part), "emoji": False},
        }
    ]
    blocks += [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "\n".join(announcement_lines(v, lang, MARKUP))},
        }
        for v in views
    ]
    # `text` is what the notification and the channel list show; blocks are what people read.
    return {
        "text": escape(notification(views, lang)),
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def over_limits(payload: Payload) -> list[str]:
    blocks = payload["blocks"]
    texts = [(b["type"], b["text"]["text"]) for b in blocks]
    problems = over("blocks", len(blocks), LIMITS.blocks)
    problems += over("block texts (chars)", sum(length(t) for _, t in texts), LIMITS.blocks_total_chars)
    problems += over("text (chars)", length(payload["text"]), LIMITS.text_chars)
    for kind, text in texts:
        limit = LIMITS.header_chars if kind == "header" else LIMITS.section_chars
        problems += over(f"{kind} (chars)", length(text), limit)
    return problems


FORMAT = ChatFormat("slack", render, over_limits)
