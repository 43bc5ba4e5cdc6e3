"""The generic `json` format: structured records for programs, in the Standard Webhooks envelope and signed
the Standard Webhooks way (alerts/signing.py):

    {"type": "announcements.new", "timestamp": "<ISO 8601>", "data": {"language": "fr", "announcements": [...]}}

`timestamp` is when the event happened: the newest of the post's announcements was first seen then. It
is not the time of sending (that is the signed webhook-timestamp header), so a retried post carries the
same body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from ..formatting import format_amount, whole_euros
from ..i18n import sectors_text
from ..view import AnnouncementView
from . import ChatFormat, Part, Payload, over

EVENT_TYPE = "announcements.new"


@dataclass(frozen=True)
class Limits:
    announcements: int


# No platform to please: posts stay a size any receiver reads in one go.
LIMITS = Limits(announcements=100)


def record(view: AnnouncementView, lang: str) -> dict[str, object]:
    return {
        "id": view.id,
        "investor": view.investor,
        "amount_eur": whole_euros(view.amount_eur),
        "amount_display": format_amount(view.amount_eur, lang),
        "amount_text": view.amount_text,
        "currency": view.currency,
        "locations": list(view.locations),
        "places": [asdict(p) for p in view.located],
        "regions": [{"code": code, "name": name} for code, name in view.regions],
        "sector": view.sector,
        "sector_display": sectors_text(view.sector, lang),
        "jobs": view.jobs,
        "edition": view.edition,
        "evidence": view.evidence,
        "status": view.status,
        "first_seen_at": view.first_seen_at.isoformat(),
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "source": s.source,
                "published": s.published.isoformat() if s.published else None,
            }
            for s in view.sources
        ],
    }


def render(views: Sequence[AnnouncementView], lang: str, part: Part | None = None) -> Payload:
    data: Payload = {"language": lang, "announcements": [record(v, lang) for v in views]}
    if part is not None:
        data["part"] = {"index": part.index, "total": part.total}
    happened = max((v.first_seen_at for v in views), default=None)
    return {"type": EVENT_TYPE, "timestamp": happened.isoformat() if happened else None, "data": data}


def over_limits(payload: Payload) -> list[str]:
    return over("announcements", len(payload["data"]["announcements"]), LIMITS.announcements)


FORMAT = ChatFormat("json", render, over_limits, signed=True)
