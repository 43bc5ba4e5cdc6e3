"""HTML pages: the announcements table, one announcement, charts, crawl health, unsubscribe.

Every page works without JavaScript: filters are a GET form, sorting and paging are links.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from alerts.digest import safe_url
from alerts.formatting import foreign_amount, format_amount, format_date, format_int, shown_amount
from newswatch.places import region_names

from . import queries
from .app import context, language, link, render
from .charts import all_charts
from .filters import (
    AMOUNT_STEPS,
    FILTER_KEYS,
    Selection,
    apply,
    default_order,
    facets,
    paginate,
    parse_selection,
)
from .i18n import labels, sector_label
from .queries import Item

logger = logging.getLogger("newswatch.web")

# (sort key or None, label key) of the table's columns, in order.
COLUMNS = (
    ("investor", "investor"),
    ("amount", "amount"),
    ("jobs", "jobs"),
    (None, "places"),
    (None, "sector"),
    ("edition", "edition"),
    ("sources", "source_count"),
)
# Bounded: the one-click POST body is "List-Unsubscribe=One-Click" and nothing else is read.
MAX_UNSUBSCRIBE_BODY = 4096


def amount_text(item: Item, lang: str, style: str = "short") -> str | None:
    """Euros as a French (or English) reader writes them; another currency as the article wrote it."""
    return shown_amount(item.amount_eur, item.amount_text, item.currency, lang, style)  # type: ignore[arg-type]


def places_text(item: Item) -> list[dict[str, str | None]]:
    """Places with their région (none beside a région's own name)."""
    return [{"name": p.name, "region": p.region if p.kind != "region" else None} for p in item.shown_places]


def row(item: Item, lang: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "investor": item.investor,
        "amount": amount_text(item, lang),
        "amount_eur": item.amount_eur,
        "jobs": format_int(item.jobs, lang) if item.jobs is not None else None,
        "places": places_text(item),
        "sectors": [sector_label(s, lang) for s in item.sectors],
        "edition": item.edition,
        "sources": item.source_count,
        "abandoned": item.status == "abandoned",
    }


def _form(selection: Selection, items: list[Item], lang: str) -> dict[str, Any]:
    """What the filter form offers and has chosen."""
    offered = facets(items)
    steps = list(AMOUNT_STEPS)
    if selection.min_amount is not None and selection.min_amount not in steps:
        steps = sorted([*steps, selection.min_amount])
    regions = dict(offered["regions"])
    if selection.region is not None and selection.region not in regions:
        regions[selection.region] = region_names()[selection.region]
    return {
        "editions": offered["editions"],
        "regions": sorted(regions.items(), key=lambda kv: kv[1]),
        "sectors": [(s, sector_label(s, lang)) for s in offered["sectors"]],
        "amounts": [(f"{a:.0f}", format_amount(a, lang)) for a in steps],
        "chosen": {k: selection.filter_params().get(k) for k in FILTER_KEYS},
    }


def _totals(items: list[Item], lang: str, t: Mapping[str, str]) -> dict[str, str | None]:
    amounts = [i.amount_eur for i in items if i.amount_eur is not None]
    jobs = [i.jobs for i in items if i.jobs is not None]
    n = len(items)
    return {
        "count": t["count_none"] if n == 0 else (t["count_one"] if n == 1 else t["count_many"].format(n=n)),
        "amount": t["summary_amount"].format(amount=format_amount(sum(amounts), lang)) if amounts else None,
        "jobs": t["summary_jobs"].format(jobs=format_int(sum(jobs), lang)) if jobs else None,
    }


def _headers(selection: Selection, t: Mapping[str, str]) -> list[dict[str, Any]]:
    headers = []
    for sort, key in COLUMNS:
        header: dict[str, Any] = {
            "label": t[key],
            "href": None,
            "aria_sort": None,
            "arrow": "",
            "numeric": key in ("amount", "jobs", "edition", "source_count"),
        }
        if sort is not None:
            current = selection.sort == sort
            order = ("asc" if selection.order == "desc" else "desc") if current else None
            header["href"] = link(
                "/", selection.params(sort=sort, order=order or default_order(sort), page=1)
            )
            header["title"] = t["sort_by"].format(column=t[key])
            if current:
                header["aria_sort"] = "ascending" if selection.order == "asc" else "descending"
                header["arrow"] = "▲" if selection.order == "asc" else "▼"
        headers.append(header)
    return headers


@dataclass(frozen=True)
class _Selected:
    """What a page with the filter form works from: every announcement, and those the reader chose."""

    lang: str
    t: Mapping[str, str]
    selection: Selection
    items: list[Item]
    chosen: list[Item]


def _select(request: Request) -> _Selected:
    web = context(request)
    lang = language(request)
    selection = parse_selection(request.query_params, per_page=web.config.web.page_size)
    with web.session() as session:
        items = queries.load_items(session)
    return _Selected(lang, labels(lang), selection, items, apply(items, selection))


def announcements(request: Request) -> Response:
    chosen = _select(request)
    lang, t, selection = chosen.lang, chosen.t, chosen.selection
    page = paginate(chosen.chosen, selection)
    filters = selection.filter_params()
    return render(
        request,
        "announcements.html",
        {
            "rows": [row(i, lang) for i in page.items],
            "page": page,
            "headers": _headers(selection, t),
            "form": _form(selection, chosen.items, lang),
            "totals": _totals(chosen.chosen, lang, t),
            "previous_url": link("/", selection.params(page=page.page - 1)) if page.has_previous else None,
            "next_url": link("/", selection.params(page=page.page + 1)) if page.has_next else None,
            "feed_url": link("/feed.atom", filters),
            "json_url": link("/api/announcements", filters),
            "charts_url": link("/charts", filters),
            "reset_url": "/",
            "filtered": selection.filtered,
        },
        lang=lang,
    )


def announcement(request: Request) -> Response:
    web = context(request)
    lang = language(request)
    with web.session() as session:
        item = queries.load_item(session, request.path_params["announcement_id"])
    if item is None:
        raise HTTPException(404)
    sentences = []
    for text in (item.evidence, *(s.evidence for s in item.sources)):
        if text and text not in sentences:
            sentences.append(text)
    sources = [
        {
            "title": s.title or s.url,
            "url": s.url,
            "href": safe_url(s.url),
            "outlet": s.outlet,
            "published": format_date(s.published, lang),
            "published_iso": s.published.isoformat() if s.published else None,
        }
        for s in item.sources
    ]
    return render(
        request,
        "announcement.html",
        {
            "item": row(item, lang),
            "amount_long": amount_text(item, lang, "long"),
            "original": foreign_amount(item.amount_text, item.currency),
            "sentences": sentences,
            "sources": sources,
            "first_seen": format_date(item.first_seen_at, lang, "Europe/Paris"),
            "updated": format_date(item.updated_at, lang, "Europe/Paris"),
            "regions": [name for _, name in item.regions],
            "json_url": f"/api/announcements/{item.id}",
        },
        lang=lang,
    )


def charts(request: Request) -> Response:
    chosen = _select(request)
    lang, t, selection = chosen.lang, chosen.t, chosen.selection
    return render(
        request,
        "charts.html",
        {
            "charts": all_charts(chosen.chosen, lang=lang, t=t),
            "form": _form(selection, chosen.items, lang),
            "totals": _totals(chosen.chosen, lang, t),
            "table_url": link("/", selection.filter_params()),
            "reset_url": "/charts",
            "filtered": selection.filtered,
        },
        lang=lang,
    )


def status(request: Request) -> Response:
    web = context(request)
    with web.session() as session:
        report = queries.crawl_health(session, web.config)
    return render(request, "status.html", {"report": report})


async def unsubscribe(request: Request) -> Response:
    """GET shows a confirmation button (link scanners fetch GETs: they must not unsubscribe anyone);
    POST, from the mail client's one-click or from that button, records the unsubscription."""
    from alerts.unsubscribe import read_token, resolve

    web = context(request)
    t = labels(language(request))
    secret = web.config.web.secret
    if secret is None:
        raise HTTPException(404, t["unsubscribe_unavailable"])
    key, token = secret.get_secret_value(), request.path_params["token"]
    # Only a genuine signature costs a read of the config file.
    genuine = read_token(key, token) is not None
    recipient = await run_in_threadpool(lambda: resolve(key, token, web.subscribers())) if genuine else None
    if recipient is None:
        why = "subscriber or address no longer configured" if genuine else "invalid token"
        logger.warning(
            "web: unsubscribe refused: %s (%s %s)",
            why,
            request.method,
            request.client.host if request.client else "?",
        )
        return render(request, "unsubscribe.html", {"state": "invalid", "recipient": None}, status_code=403)
    if request.method == "GET":

        def check() -> bool:
            with web.session() as session:
                return queries.is_unsubscribed(session, recipient)

        done = await run_in_threadpool(check)
        return render(
            request,
            "unsubscribe.html",
            {"state": "already" if done else "confirm", "recipient": recipient, "action": request.url.path},
        )
    body = await _bounded_body(request)
    via = "one-click" if b"List-Unsubscribe=One-Click" in body else "page"

    def record() -> bool:
        with web.session() as session:
            return queries.record_unsubscribe(session, recipient, via=via)

    recorded = await run_in_threadpool(record)
    if recorded:
        logger.info("web: unsubscribed subscriber=%s via=%s", recipient.subscriber, via)
    return render(
        request, "unsubscribe.html", {"state": "done" if recorded else "already", "recipient": recipient}
    )


async def _bounded_body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_UNSUBSCRIBE_BODY:
            raise HTTPException(413, "request body too large")
    return body
