"""Microsoft Teams (Workflows or incoming webhook): an Adaptive Card of RichTextBlocks, with a summary.

A TextBlock reads a Markdown subset in which a backslash does not escape anything: it is shown as
it is. Page text therefore goes only into RichTextBlock TextRuns, which read no Markdown at all;
bold, italics and links are properties of the runs, and nothing needs escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import labels
from ..view import AnnouncementView
from . import ChatFormat, Part, Payload, announcement_parts, encode, notification, over, title_for

Run = dict[str, object]


@dataclass(frozen=True)
class Limits:
    payload_bytes: int


# Microsoft's docs ("Create an Incoming Webhook"; the Teams connector's "Known issues and
# limitations" for Workflows) put a message at about 28 KB, refused beyond with 413 "Request Entity
# too large"; client libraries report refusals from about 21 KB of JSON (msteams_hermes sets 21,000
# after testing). A post stays under 20,000 bytes.
LIMITS = Limits(payload_bytes=20_000)


def run(text: str, **style: object) -> Run:
    return {"type": "TextRun", "text": text, **style}


def rich(runs: list[Run], **style: object) -> dict[str, object]:
    return {"type": "RichTextBlock", "inlines": runs, **style}


def container(view: AnnouncementView, lang: str) -> dict[str, object]:
    parts = announcement_parts(view, lang)
    heading = [run(parts.investor, weight="Bolder")]
    if parts.extras:
        heading.append(run(" — " + " · ".join(parts.extras)))
    if parts.abandoned:
        heading.append(run(f" ({parts.abandoned})"))
    items = [rich(heading)]
    if parts.facts:
        items.append(
            rich(
                [run(" · ".join(f"{label}{parts.colon} {value}" for label, value in parts.facts))],
                spacing="Small",
            )
        )
    if parts.evidence:
        items.append(rich([run(parts.evidence, italic=True)], spacing="Small"))
    if parts.links:
        links: list[Run] = [run(f"{labels(lang)['sources']}{parts.colon} ")]
        for index, (href, label) in enumerate(parts.links):
            if index:
                links.append(run(" · "))
            links.append(
                run(label, selectAction={"type": "Action.OpenUrl", "url": href}) if href else run(label)
            )
        items.append(rich(links, spacing="Small"))
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def render(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> Payload:
    summary = notification(views, lang)
    body = [
        rich([run(title_for(views, lang, part), weight="Bolder", size="Medium")]),
        *(container(v, lang) for v in views),
    ]
    # RichTextBlock and TextRun selectAction need Adaptive Cards 1.2; Teams renders up to 1.5.
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "fallbackText": summary,
        "body": body,
    }
    # `summary` and `fallbackText` are what a notification or a client without cards shows.
    return {
        "type": "message",
        "summary": summary,
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
        ],
    }


def over_limits(payload: Payload) -> list[str]:
    return over("payload (bytes)", len(encode(payload)), LIMITS.payload_bytes)


FORMAT = ChatFormat("teams", render, over_limits)
