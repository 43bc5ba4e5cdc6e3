"""JSON shapes of the API: amounts as whole euros (integers, like every machine output), instants in ISO 8601 with their time zone (UTC),
publication dates as ISO calendar dates (articles give a day, not a time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from alerts.formatting import whole_euros

from .filters import Page, Selection
from .queries import Item


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value is not None else None


def item_json(item: Item, *, url: str, with_sources: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "url": url,
        "investor": item.investor,
        "amount_eur": whole_euros(item.amount_eur),
        "amount_text": item.amount_text,
        "currency": item.currency,
        "jobs": item.jobs,
        "edition": item.edition,
        "sector": item.sector,
        "sectors": list(item.sectors),
        "status": item.status,
        "places": [
            {
                "name": p.name,
                "kind": p.kind,
                "commune_code": p.commune_code,
                "commune": p.commune,
                "departement_code": p.departement_code,
                "departement": p.departement,
                "region_code": p.region_code,
                "region": p.region,
            }
            for p in item.places
        ],
        "regions": [{"code": code, "name": name} for code, name in item.regions],
        "evidence": item.evidence,
        "source_count": item.source_count,
        "first_seen_at": iso(item.first_seen_at),
        "updated_at": iso(item.updated_at),
    }
    if with_sources:
        data["sources"] = [
            {
                "article_id": s.article_id,
                "url": s.url,
                "title": s.title,
                "outlet": s.outlet,
                "published": s.published.isoformat() if s.published else None,
                "fetched_at": iso(s.fetched_at),
                "linked_at": iso(s.linked_at),
                "evidence": s.evidence,
            }
            for s in item.sources
        ]
    return data


def page_json(
    page: Page, selection: Selection, *, item_url: Callable[[int], str], page_url: Callable[[int], str]
) -> dict[str, Any]:
    """One page of results, with the URLs of the pages before and after (None past the ends)."""
    return {
        "items": [item_json(i, url=item_url(i.id), with_sources=False) for i in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "next": page_url(page.page + 1) if page.has_next else None,
        "previous": page_url(min(page.page - 1, page.pages)) if page.has_previous else None,
        "filters": selection.filter_params(),
        "sort": selection.sort,
        "order": selection.order,
    }
