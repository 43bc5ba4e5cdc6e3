"""The generic `json` format: structured records for programs, signed the Standard Webhooks way."""

from __future__ import annotations

from ..formatting import format_amount
from ..view import AnnouncementView
from . import Payload

EVENT_TYPE = "announcements.new"


def record(view: AnnouncementView, lang: str) -> dict[str, object]:
    return {
        "id": view.id,
        "investor": view.investor,
        "amount_eur": view.amount_eur,
        "amount_display": format_amount(view.amount_eur, lang),
        "amount_text": view.amount_text,
        "currency": view.currency,
        "locations": list(view.locations),
        "sector": view.sector,
        "jobs": view.jobs,
        "edition": view.edition,
        "evidence": view.evidence,
        "status": view.status,
        "first_seen_at": view.first_seen_at.isoformat(),
        "sources": [
            {"url": s.url, "title": s.title, "source": s.source,
             "published": s.published.isoformat() if s.published else None}
            for s in view.sources
        ],
    }


def render(views: list[AnnouncementView], lang: str) -> Payload:
    return {"type": EVENT_TYPE, "language": lang, "announcements": [record(v, lang) for v in views]}
