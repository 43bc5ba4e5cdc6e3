"""Serve demo sites on 127.0.0.1, one port per site, with conditional GET, gzip and (for tests) fault paths.

    with serve([NewsSite("journal", 200)]) as server:
        feed = requests.get(server.url_for("journal") + "feed/")

Or from a shell, until killed:  python -m newswatch.demo.server --articles 200 --sites 3 --port-file F
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import logging
import os
import signal
import socket
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC as _UTC
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from newswatch.demo import routes
from newswatch.demo.hits import Hit, Hits
from newswatch.demo.responses import Page
from newswatch.demo.sites import TEMPLATES, NewsSite

logger = logging.getLogger(__name__)
MIN_GZIP_BYTES = 256
LOOPBACK = "127.0.0.1"


class Site(Protocol):
    name: str


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive connections must not hold stop() up
    # The default backlog of 5 makes a crawler with more connections wait a SYN retry (1 s).
    request_queue_size = 128

    def __init__(self, site: Any, group: DemoServer, port: int = 0, host: str = LOOPBACK) -> None:
        super().__init__((host, port), _Handler)
        self.site = site
        self.group = group
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            sockets = list(self.connections)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newswatch-demo/1.0"
    timeout = 60  # idle keep-alive connections end after this
    server: _SiteServer

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._send(
            Page(
                b"Method not allowed\n",
                "text/plain; charset=utf-8",
                405,
                {"Allow": "GET, HEAD"},
                conditional=False,
            ),
            head=False,
        )

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logger.debug("demo %s: " + format, self.server.site.name, *args)

    # --- request handling ----------------------------------------------------------------------
    def _serve(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = parts.path or "/"
        host, port = cast("tuple[str, int]", self.server.server_address[:2])
        base = f"http://{self.headers.get('Host') or f'{host}:{port}'}"
        group = self.server.group
        try:
            page = group.resolve(self.server.site, path, parts.query, base)
        except Exception:  # a bug in a demo page must show as a 500, not a hung client
            logger.exception("demo %s: error rendering %s", self.server.site.name, self.path)
            page = Page(b"Internal error\n", "text/plain; charset=utf-8", 500, conditional=False)
        if page.action == "sleep":
            interrupted = group.stopping.wait(page.sleep_seconds)
            if interrupted:
                self._record(0)
                self.close_connection = True
                return
        if page.action == "drop":
            self._record(0)
            self.close_connection = True
            return
        self._send(page, head)

    def _record(self, status: int) -> None:
        kept = {k: v for k in Hits.KEPT_HEADERS if (v := self.headers.get(k)) is not None}
        self.server.group.hits.add(Hit(self.server.site.name, self.command, self.path, status, kept))

    def _send(self, page: Page, head: bool) -> None:
        body, headers = page.body, dict(page.headers)
        status = page.status
        if page.conditional and status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:24] + '"'
            headers["ETag"] = etag
            if page.last_modified is not None:
                headers["Last-Modified"] = format_datetime(page.last_modified.astimezone(_UTC), usegmt=True)
            if self._not_modified(etag, page):
                self._record(304)
                self.send_response(304)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                return
        if page.encoding:
            headers["Content-Encoding"] = page.encoding
        elif (
            page.compress
            and len(body) >= MIN_GZIP_BYTES
            and _accepts(self.headers.get("Accept-Encoding"), "gzip")
        ):
            body = gzip.compress(body, compresslevel=5, mtime=0)
            headers["Content-Encoding"] = "gzip"
        if page.compress:
            headers["Vary"] = "Accept-Encoding"
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        if page.action == "partial":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if head:
            return
        if page.action == "partial":
            body = body[: len(body) // 2]
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _not_modified(self, etag: str, page: Page) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            # Weak comparison, as RFC 9110 asks for If-None-Match.
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        if since and page.last_modified is not None:
            try:
                when = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            if when.tzinfo is None:
                when = when.replace(tzinfo=_UTC)
            return page.last_modified.replace(microsecond=0) <= when
        return False


def _accepts(header: str | None, coding: str) -> bool:
    if not header:
        return False
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() == coding:
            return params.replace(" ", "") not in ("q=0", "q=0.0")
    return False


class Faults(Protocol):
    """Misbehaving paths served beside a news site's own pages (the tests' fault server,
    tests/servers/faults.py): the demo itself serves none."""

    PREFIX: str

    def respond(
        self, site: NewsSite, path: str, query: str, base: str, count: Callable[[str], int]
    ) -> Page | None: ...


class DemoServer:
    """Running demo sites: one ThreadingHTTPServer per site, each on its own 127.0.0.1 port (or on the
    loopback address `hosts` gives it by site name: a second address such as 127.0.0.2 is another host
    for the crawler). `faults` adds misbehaving paths under its PREFIX on every news site."""

    def __init__(
        self,
        sites: Sequence[Any],
        ports: Mapping[str, int] | None = None,
        hosts: Mapping[str, str] | None = None,
        faults: Faults | None = None,
    ) -> None:
        names = [s.name for s in sites]
        if len(set(names)) != len(names):
            raise ValueError(f"demo site names must be unique, got {names}")
        self.sites = list(sites)
        self._wanted_ports = dict(ports or {})
        self._hosts = dict(hosts or {})
        self.hits = Hits()
        self.faults = faults
        self.stopping = threading.Event()
        self._fault_counts: Counter[str] = Counter()
        self._fault_lock = threading.Lock()
        self._servers: dict[str, _SiteServer] = {}
        self._threads: list[threading.Thread] = []

    def start(self) -> DemoServer:
        for site in self.sites:
            httpd = self._bind(site)
            thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"demo-{site.name}",
                daemon=True,
            )
            thread.start()
            self._servers[site.name] = httpd
            self._threads.append(thread)
            logger.info("demo site %s serving at %s", site.name, self.url_for(site))
        return self

    def _bind(self, site: Any) -> _SiteServer:
        port = self._wanted_ports.get(site.name, 0)
        host = self._hosts.get(site.name, LOOPBACK)
        if not ip_address(host).is_loopback:
            raise ValueError(f"demo site {site.name}: {host} is not a loopback address")
        if port:
            try:
                return _SiteServer(site, self, port, host)
            except OSError as exc:  # taken since last time: any free port will do
                logger.info("demo site %s: port %d unavailable (%s), using another", site.name, port, exc)
        return _SiteServer(site, self, 0, host)

    def url_for(self, site_or_name: Any) -> str:
        name = site_or_name if isinstance(site_or_name, str) else site_or_name.name
        host, port = cast("tuple[str, int]", self._servers[name].server_address[:2])
        return f"http://{host}:{port}/"

    @property
    def urls(self) -> dict[str, str]:
        return {name: self.url_for(name) for name in self._servers}

    def site(self, name: str) -> Any:
        return self._servers[name].site

    def reset_hits(self) -> None:
        self.hits.reset()

    def reset_faults(self) -> None:
        with self._fault_lock:
            self._fault_counts.clear()

    def _count_fault(self, key: str) -> int:
        with self._fault_lock:
            self._fault_counts[key] += 1
            return self._fault_counts[key]

    def resolve(self, site: Any, path: str, query: str, base: str) -> Page:
        if isinstance(site, NewsSite):
            faults = self.faults
            if faults is not None and (path.startswith(faults.PREFIX) or path == faults.PREFIX.rstrip("/")):
                page = faults.respond(site, path, query, base, self._count_fault)
            else:
                page = routes.respond(site, path, base)
            return page or routes.not_found(site, base, path)
        page = site.respond(path, query, base)
        return page or Page(b"Not found\n", "text/plain; charset=utf-8", 404, conditional=False)

    def stop(self) -> None:
        """Stop every site; slow fault answers in progress are cut short. Calling it again does nothing."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        for httpd in self._servers.values():
            httpd.shutdown()
            httpd.close_connections()
            httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def serve(
    sites: Iterable[Any],
    ports: Mapping[str, int] | None = None,
    hosts: Mapping[str, str] | None = None,
    faults: Faults | None = None,
) -> DemoServer:
    """Start serving `sites` (NewsSite or CorpusSite) now; use as a context manager or call .stop().

    Each site gets a free port on 127.0.0.1, or the one `ports` asks for by site name when it is free;
    `hosts` puts a site on another loopback address (127.0.0.2...).
    """
    return DemoServer(list(sites), ports, hosts, faults).start()


def default_sites(
    n_sites: int = 3, n_articles: int = 40, seed: int = 0, languages: Sequence[str] = ("fr",)
) -> list[NewsSite]:
    """`n_sites` sites cycling through the looks (sites.TEMPLATES): journal, blog, trade, regional, magazine, journal-2, ..."""
    sites = []
    for i in range(n_sites):
        template = TEMPLATES[i % len(TEMPLATES)]
        name = template if i < len(TEMPLATES) else f"{template}-{i // len(TEMPLATES) + 1}"
        sites.append(NewsSite(name, n_articles, template=template, seed=seed + i, languages=tuple(languages)))
    return sites


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newswatch.demo.server", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--articles", type=int, default=40, help="articles per news site")
    parser.add_argument("--sites", type=int, default=3, help="number of news sites")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--languages", default="fr", help="comma-separated, e.g. fr,en")
    parser.add_argument(
        "--corpus",
        type=int,
        default=0,
        metavar="N",
        help="serve N real pages from the shared corpus instead of news sites",
    )
    parser.add_argument(
        "--corpus-dir", type=Path, default=None, help="corpus folder (default ../shared/corpus)"
    )
    parser.add_argument(
        "--port-file", type=Path, default=None, help="write {name: url} here as JSON once serving"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if args.corpus:
        from newswatch.demo.corpus import CorpusSite

        sites: list[Any] = [CorpusSite.from_manifest(args.corpus, args.corpus_dir)]
    else:
        sites = default_sites(args.sites, args.articles, args.seed, args.languages.split(","))
    server = serve(sites)
    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    for name, url in server.urls.items():
        print(f"{name} {url}", flush=True)
    if args.port_file:
        tmp = args.port_file.with_suffix(args.port_file.suffix + ".tmp")
        tmp.write_text(json.dumps(server.urls, indent=1))
        os.replace(tmp, args.port_file)  # readers never see a half-written file
    try:
        done.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
