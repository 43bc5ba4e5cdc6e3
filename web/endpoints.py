"""Machine-readable endpoints: the Atom feed, the JSON API, /healthz and /metrics."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlencode

from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newswatch.places import region_names

from . import queries
from .api import item_json, page_json
from .app import context, language, public_base
from .feed import FEED_ENTRIES, build_feed
from .filters import apply, paginate, parse_selection
from .i18n import labels
from .ops import health, metrics_text

logger = logging.getLogger("newswatch.web")
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _absolute(base: str, path: str, params: dict[str, str]) -> str:
    return f"{base}{path}" + (f"?{urlencode(params)}" if params else "")


def _subtitle(params: dict[str, str], lang: str) -> str | None:
    if not params:
        return None
    regions = region_names()
    shown = {k: (regions.get(v, v) if k == "region" else v) for k, v in params.items()}
    return labels(lang)["feed_subtitle_filtered"].format(
        filters=", ".join(f"{k}={v}" for k, v in shown.items())
    )


def feed(request: Request) -> Response:
    """Newest updated first; `?region=…&min_amount=…` (any filter of the table) narrows it."""
    web = context(request)
    lang = language(request)
    selection = parse_selection(request.query_params, per_page=FEED_ENTRIES)
    filters = selection.filter_params()
    with web.session() as session:
        kept = apply(queries.load_items(session), selection)
        newest = sorted(kept, key=lambda i: (i.updated_at, i.id), reverse=True)[:FEED_ENTRIES]
        entries = queries.with_sources(session, newest)
    base = public_base(request)
    params = {**filters, **({"lang": lang} if "lang" in request.query_params else {})}
    body = build_feed(
        entries,
        self_url=_absolute(base, "/feed.atom", params),
        html_url=_absolute(base, "/", filters),
        entry_url=lambda i: f"{base}/announcements/{i}",
        lang=lang,
        t=labels(lang),
        subtitle=_subtitle(filters, lang),
    )
    return Response(body, media_type=ATOM_TYPE)


def api_announcements(request: Request) -> Response:
    """Same filters as the table; `page` and `per_page` (at most 200) page through the results."""
    web = context(request)
    selection = parse_selection(request.query_params, per_page=web.config.web.page_size)
    with web.session() as session:
        page = paginate(apply(queries.load_items(session), selection), selection)
    base = public_base(request)
    params = selection.params(page=1)

    def page_url(number: int) -> str:
        return _absolute(base, "/api/announcements", {**params, "page": str(number)})

    body = page_json(page, selection, item_url=lambda i: f"{base}/api/announcements/{i}", page_url=page_url)
    response = JSONResponse(body)
    links = [
        f'<{body[rel]}>; rel="{rel if rel == "next" else "prev"}"'
        for rel in ("next", "previous")
        if body[rel]
    ]
    if links:
        response.headers["link"] = ", ".join(links)
    return response


def api_announcement(request: Request) -> Response:
    web = context(request)
    with web.session() as session:
        item = queries.load_item(session, request.path_params["announcement_id"])
    if item is None:
        raise HTTPException(404, f"no announcement {request.path_params['announcement_id']}")
    base = public_base(request)
    data = item_json(item, url=f"{base}/api/announcements/{item.id}", with_sources=True)
    data["html_url"] = f"{base}/announcements/{item.id}"
    return JSONResponse(data)


def healthz(request: Request) -> Response:
    """200 while the database answers (status "ok", or "stale" when the last crawl is old); 503 when not."""
    web = context(request)
    try:
        with web.session() as session:
            queries.ping(session)
            last = queries.last_crawl_at(session)
    except DBAPIError as exc:
        logger.error("web: healthz: database not reachable: %s", " ".join(str(exc).split())[:300])
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse(health(web.config, last, datetime.now(UTC)))


def metrics(request: Request) -> Response:
    web = context(request)
    with web.session() as session:
        figures = queries.metric_figures(session)
    return Response(metrics_text(figures), media_type=CONTENT_TYPE_LATEST)
