"""The web application: routes, templates, security headers and error pages, on Starlette.

`create_app(config, database)` builds it on the Database its caller owns; `newswatch serve` runs it with uvicorn. Every route is a
GET except the signed unsubscribe POST. Errors reach the client as a short page or JSON body, never
a stack trace; the trace goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newswatch.config import Config, ConfigError, Subscriber
from newswatch.store.db import Database
from newswatch.store.models import as_utc

from .filters import QueryError
from .i18n import LANG_COOKIE, LANGUAGES, choose_language, labels

logger = logging.getLogger("newswatch.web")

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# No script at all, no third-party origin: styles and images from here only.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
LANG_COOKIE_SECONDS = 365 * 24 * 3600


class LiveSubscribers:
    """The subscribers as the config file has them now: one added, or an address changed, while the
    view runs is honoured without a restart. A file that does not load (an edit in progress) leaves
    the ones last loaded."""

    def __init__(self, config: Config, reload: Callable[[], Config] | None) -> None:
        self.reload = reload
        self.last = config.subscribers

    def __call__(self) -> list[Subscriber]:
        if self.reload is not None:
            try:
                self.last = self.reload().subscribers
            except ConfigError as exc:
                logger.warning("web: config not reloaded, keeping the subscribers last loaded: %s", exc)
        return self.last


@dataclass(frozen=True)
class WebContext:
    config: Config
    database: Database
    templates: Jinja2Templates
    subscribers: LiveSubscribers

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.database.session() as session:
            yield session


def context(request: Request) -> WebContext:
    return request.app.state.web  # type: ignore[no-any-return]


def language(request: Request) -> str:
    return choose_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def public_base(request: Request) -> str:
    """Where absolute links point: web.base_url when set (behind a proxy), else the address asked."""
    return context(request).config.web.url() or str(request.base_url).rstrip("/")


def link(path: str, params: dict[str, str] | None = None) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def render(
    request: Request,
    template: str,
    values: dict[str, Any],
    *,
    status_code: int = 200,
    lang: str | None = None,
) -> HTMLResponse:
    lang = lang or language(request)
    other = next(code for code in LANGUAGES if code != lang)
    switch = dict(request.query_params)
    switch["lang"] = other
    response = context(request).templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": labels(lang),
            "switch_url": link(request.url.path, switch),
            "path": request.url.path,
            **values,
        },
        status_code=status_code,
    )
    chosen = request.query_params.get("lang")
    if chosen in LANGUAGES:
        # The switch is remembered, so following a link keeps the language without carrying ?lang=.
        response.set_cookie(LANG_COOKIE, chosen, max_age=LANG_COOKIE_SECONDS, httponly=True, samesite="lax")
    response.headers["vary"] = "Accept-Language, Cookie"
    return response


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/healthz", "/metrics")


def error_response(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    try:
        return render(request, "error.html", {"message": message, "status": status}, status_code=status)
    except Exception:  # noqa: BLE001 - the error page itself failed: plain text, still no trace
        logger.exception("web: error page failed")
        return Response(message, status_code=status, media_type="text/plain; charset=utf-8")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _wants_json(request):
        # The API speaks English to programs, like its 400s: "no announcement 12", "Not Found".
        message = exc.detail or "error"
    else:
        t = labels(language(request))
        message = t["error_not_found"] if exc.status_code == 404 else (exc.detail or t["error_title"])
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _query_error(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return error_response(request, 400, str(exc))
    assert isinstance(exc, QueryError)
    lang = language(request)
    return error_response(request, 400, labels(lang)["error_bad_request"].format(detail=exc.message(lang)))


async def _database_error(request: Request, exc: Exception) -> Response:
    logger.error("web: database error on %s: %s", request.url.path, " ".join(str(exc).split())[:300])
    return error_response(request, 503, labels(language(request))["error_database"])


class Guard:
    """Adds SECURITY_HEADERS to every response, and turns an unexpected exception into the short 500 page
    (the trace goes to the log once, never to the client)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                raise  # too late for an error page: the server closes the connection
            request = Request(scope)
            logger.error("web: internal error on %s %s", request.method, request.url.path, exc_info=exc)
            response = error_response(request, 500, labels(language(request))["error_internal"])
            await response(scope, receive, send_with_headers)


def local_time(value: datetime | str | None, zone: str | None) -> str:
    """An instant as the operator reads it: minutes and offset in the config's time zone, like `status`."""
    if value is None:
        return ""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return as_utc(instant).astimezone(ZoneInfo(zone or "UTC")).isoformat(sep=" ", timespec="minutes")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["local_time"] = local_time
    return env


def create_app(
    config: Config, database: Database, *, reload: Callable[[], Config] | None = None
) -> Starlette:
    from . import endpoints, pages

    routes = [
        Route("/", pages.announcements, name="announcements"),
        Route("/announcements/{announcement_id:int}", pages.announcement, name="announcement"),
        Route("/charts", pages.charts, name="charts"),
        Route("/status", pages.status, name="status"),
        Route("/unsubscribe/{token}", pages.unsubscribe, methods=["GET", "POST"], name="unsubscribe"),
        Route("/feed.atom", endpoints.feed, name="feed"),
        Route("/api/announcements", endpoints.api_announcements, name="api_announcements"),
        Route(
            "/api/announcements/{announcement_id:int}", endpoints.api_announcement, name="api_announcement"
        ),
        Route("/healthz", endpoints.healthz, name="healthz"),
        Route("/metrics", endpoints.metrics, name="metrics"),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(
        debug=False,
        routes=routes,
        exception_handlers={
            HTTPException: _http_error,
            QueryError: _query_error,
            OperationalError: _database_error,
            DBAPIError: _database_error,
        },
    )
    app.add_middleware(Guard)
    templates = Jinja2Templates(env=_environment())
    app.state.web = WebContext(config, database, templates, LiveSubscribers(config, reload))
    return app
