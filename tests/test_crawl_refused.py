"""A site that refuses newswatch (403 to every request, as a bot wall does) is reported once as
"refused by the site", in the crawl's summary and in `newswatch status`, and changes no exit code."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from crawl_support import crawl, newswatch, write_config
from web_support import serving

from newswatch.crawling.runs import EXIT_ALL_SOURCES_FAILED
from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite


class Refusing(ThreadingHTTPServer):
    """Answers 403 to everything (home, robots.txt, feeds...), and records who asked for what."""

    daemon_threads = True

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.asked.append((self.path, self.headers.get("User-Agent", "")))
                body = b"<html><body><h1>403 Forbidden</h1>Access denied.</body></html>"
                self.send_response(403)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextmanager
def refusing_site() -> Iterator[Refusing]:
    server = Refusing()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def refusal_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "refused by the site" in line]


def test_a_site_answering_403_to_everything_is_reported_once_as_refused_by_the_site(
    tmp_path: Path, sqlite_url: str
) -> None:
    site = NewsSite(name="tech", n_articles=5)
    with serve([site]) as server, refusing_site() as shut:
        home = server.url_for("tech")
        config = write_config(
            tmp_path,
            [
                {"name": "tech", "home": home, "feeds": [home + "feed/"]},
                {"name": "shut", "home": shut.url},  # discovery: its home page and robots.txt
            ],
        )
        result = crawl(config, sqlite_url)  # asserts exit code 0
    host = shut.url.removeprefix("http://").rstrip("/")
    # The site was asked, politely: its home and robots.txt, by a bot that says who it is.
    assert {"/", "/robots.txt"} <= {path for path, _ in shut.asked}
    assert all(agent.startswith("newswatch/") for _, agent in shut.asked)
    # One line in the summary, none saying the crawl failed; the working source is untouched.
    [line] = refusal_lines(result.stdout)
    assert re.fullmatch(
        r"  shut: refused by the site \(HTTP 403 to all \d+ request\(s\)\); newswatch does not "
        r"get around a refusal",
        line,
    ), line
    assert "FAILED" not in result.stdout and result.summary()["tech"]["new"] == 5
    # One log line for the host, not one per page, and no traceback.
    told = [line for line in result.stderr.splitlines() if host in line]
    assert len(told) == 1 and f"{host} answered HTTP 403" in told[0], told
    assert "fetch failed" not in result.stderr and "Traceback" not in result.stderr

    status = newswatch(config, sqlite_url, "status")
    assert status.returncode == 0, status.stderr
    [line] = refusal_lines(status.stdout)
    assert line.startswith("  - shut: ") and "(finished; refused by the site: HTTP 403 to all" in line, line
    assert "source failed" not in status.stdout
    # The web view's crawl health says it too, in the reader's language.
    with serving(config, sqlite_url, tmp_path / "serve.log") as view:
        english = html.unescape(view.get("/status", headers={"Accept-Language": "en"}).text)
        french = html.unescape(view.get("/status").text)
    assert re.search(r"refused by the site: HTTP 403 to all \d+ request", english), english
    assert re.search(r"refusé par le site\u202f: HTTP 403 to all \d+ request", french), french


def test_a_refusing_site_changes_no_exit_code(tmp_path: Path, sqlite_url: str) -> None:
    with refusing_site() as shut:
        # Alone, it did not fail the run: the site answered, and said no.
        alone = write_config(
            tmp_path,
            [
                {
                    "name": "shut",
                    "home": shut.url,
                    "feeds": [shut.url + "feed/"],
                    "sitemaps": [shut.url + "sitemap.xml"],
                }
            ],
        )
        result = newswatch(alone, sqlite_url, "crawl", "--progress-seconds", "0")
        assert result.returncode == 0, result.stdout + result.stderr
        assert len(refusal_lines(result.stdout)) == 1 and "every source failed" not in result.stderr
        # Beside a source that cannot be reached, the run is what it is without it: every source failed.
        (tmp_path / "down").mkdir()
        down = write_config(
            tmp_path / "down",
            [{"name": "shut", "home": shut.url}, {"name": "gone", "home": "http://127.0.0.1:9/"}],
        )
        result = newswatch(down, sqlite_url, "crawl", "--progress-seconds", "0")
    assert result.returncode == EXIT_ALL_SOURCES_FAILED, result.stdout + result.stderr
    assert len(refusal_lines(result.stdout)) == 1
    assert "  gone: FAILED: cannot reach 127.0.0.1:9: connection refused" in result.stdout
