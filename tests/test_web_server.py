"""`newswatch serve` as a real process over a real database (SQLite, and PostgreSQL when it runs):
the JSON API, the Atom feed, /metrics, /healthz, escaping, errors and the read-only rule."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
import requests
from atom_rules import NS, atom_problems
from conftest import POSTGRES_URL, require_service
from db_support import database
from prometheus_client.parser import text_string_to_metric_families
from servers.webhook import WebhookReceiver
from sqlalchemy import create_engine, text
from web_support import HOSTILE, REPO, REPORTS, View, seed, serving, write_view_config

from alerts.deliver import DeliveryOptions, deliver
from alerts.http import RetryPolicy


@pytest.fixture
def view(db_url: str, tmp_path: Path) -> Iterator[tuple[View, dict[str, int]]]:
    ids = seed(db_url)
    config = write_view_config(tmp_path, db_url)
    with serving(config, db_url, tmp_path / "serve.log") as running:
        yield running, ids


def test_the_api_pages_through_every_announcement_once(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    first = server.get("/api/announcements?per_page=3&sort=amount").json()
    assert (first["total"], first["pages"], first["page"], first["previous"]) == (8, 3, 1, None)
    seen, page = [], first
    while True:
        seen += [i["id"] for i in page["items"]]
        if page["next"] is None:
            break
        assert "per_page=3" in page["next"] and "sort=amount" in page["next"]
        page = server.get(page["next"].split(server.url.rstrip("/"), 1)[1]).json()
    assert sorted(seen) == sorted(ids.values()) and len(seen) == 8
    # Biggest first; the dollar amount (no euro figure) last.
    assert seen[0] == ids["Brookfield"] and seen[-1] == ids["Digital Realty"]
    response = server.get("/api/announcements?per_page=3&page=2")
    assert 'rel="next"' in response.headers["link"] and 'rel="prev"' in response.headers["link"]


def test_api_filters_dates_and_amounts(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    data = server.get("/api/announcements", params={"region": "Hauts-de-France", "min_amount": "6e9"}).json()
    assert [i["investor"] for i in data["items"]] == ["Brookfield"]
    assert data["filters"] == {"region": "32", "min_amount": "6000000000"}
    item = data["items"][0]
    assert item["amount_eur"] == 15_000_000_000 and isinstance(item["amount_eur"], int)  # whole euros
    assert item["regions"] == [{"code": "32", "name": "Hauts-de-France"}]
    assert item["places"][0] == {
        "name": "Cambrai",
        "kind": "commune",
        "commune_code": "59122",
        "commune": "Cambrai",
        "departement_code": "59",
        "departement": "Nord",
        "region_code": "32",
        "region": "Hauts-de-France",
    }
    for stamp in (item["first_seen_at"], item["updated_at"]):
        assert datetime.fromisoformat(stamp).utcoffset() is not None
    assert {i["investor"] for i in server.get("/api/announcements?edition=2022").json()["items"]} == {
        "Eli Lilly",
        "Airbus Atlantic",
    }
    assert server.get("/api/announcements?q=gigafactory").json()["items"][0]["investor"] == "ProLogium"

    pfizer = server.get(f"/api/announcements/{ids['Pfizer']}").json()
    assert pfizer["jobs"] == 200 and pfizer["source_count"] == 2
    assert [s["outlet"] for s in pfizer["sources"]] == ["lesechos", "lanouvellerepublique"]
    assert pfizer["sources"][1]["published"] == "2024-05-14"
    assert datetime.fromisoformat(pfizer["sources"][0]["fetched_at"]).utcoffset() is not None


def test_bad_requests_get_one_line_and_no_trace(view: tuple[View, dict[str, int]]) -> None:
    server, _ = view
    bad = server.get("/api/announcements?min_amount=beaucoup")
    assert bad.status_code == 400 and bad.json()["error"].startswith(
        "min_amount: expected an amount in euros"
    )
    for missing in ("999999", "3000000000", "99999999999999999999999"):  # past int4, past int8
        api = server.get(f"/api/announcements/{missing}")
        assert api.status_code == 404 and api.json() == {"error": f"no announcement {missing}", "status": 404}
        html = server.get(f"/announcements/{missing}")
        assert html.status_code == 404 and "Page introuvable." in html.text and "Traceback" not in html.text
    assert server.get("/api/nope").json() == {"error": "Not Found", "status": 404}
    page = server.get("/?region=Atlantide", headers={"Accept-Language": "en"})
    assert page.status_code == 400 and "unknown région" in page.text and "Traceback" not in page.text
    # Read-only: nothing but the unsubscribe link takes a POST.
    for path in ("/", "/api/announcements", "/feed.atom", "/metrics"):
        assert server.post(path, data={"x": "1"}).status_code == 405


def test_article_text_is_escaped_everywhere(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    acme = ids["Acme " + HOSTILE]
    for path in (
        "/",
        f"/announcements/{acme}",
        "/charts",
        "/?lang=en",
        f"/announcements/{acme}?lang=en",
        "/charts?lang=en",
        "/?q=Acme",
        "/?investor=Acme&sort=amount",
    ):
        html = server.get(path).text
        assert HOSTILE not in html and "&lt;script&gt;alert(" in html, path
    # The feed: the markup is text of the entry, never an element of it (nor of its HTML content).
    feed = ET.fromstring(server.get("/feed.atom").content)
    entry = next(e for e in feed.iter(NS + "entry") if (e.findtext(NS + "title") or "").startswith("Acme"))
    assert entry.findtext(NS + "title", "").startswith(f"Acme {HOSTILE}")
    assert not any(element.tag.endswith("script") for element in feed.iter())
    content = entry.findtext(NS + "content", "")
    assert HOSTILE not in content and "&lt;script&gt;alert(" in content
    # The API gives the text as it was found, as JSON that no browser renders as a page.
    api = server.get(f"/api/announcements/{acme}")
    assert api.headers["content-type"] == "application/json" and api.json()["investor"] == f"Acme {HOSTILE}"
    assert api.headers["x-content-type-options"] == "nosniff"
    headers = server.get("/").headers
    assert (
        "script-src" not in headers["content-security-policy"]
        and "default-src 'none'" in headers["content-security-policy"]
    )
    assert headers["x-content-type-options"] == "nosniff"


def test_the_atom_feed_is_valid_and_filters_like_the_table(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    response = server.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert atom_problems(response.content) == []
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and len(feed.entries) == 8
    assert len({e.id for e in feed.entries}) == 8 and all(e.id.startswith("urn:uuid:") for e in feed.entries)
    # The Pfizer entry was updated by its second article: it comes first (newest update first).
    pfizer = next(e for e in feed.entries if e.link.endswith(f"/announcements/{ids['Pfizer']}"))
    assert len([link for link in pfizer.links if link.rel == "related"]) == 2

    filtered_body = server.get("/feed.atom?region=Grand%20Est&min_amount=2000000000").content
    assert atom_problems(filtered_body) == []
    filtered = feedparser.parse(filtered_body)
    assert not filtered.bozo and [e.title for e in filtered.entries] == [
        "Microsoft — 4\u00a0Md€ (Choose France 2024)"
    ]
    assert filtered.feed.links[0].href.endswith("/feed.atom?region=44&min_amount=2000000000")
    empty = server.get("/feed.atom?investor=Personne").content
    assert atom_problems(empty) == [] and feedparser.parse(empty).entries == []


def test_metrics_parse_and_count_the_store(view: tuple[View, dict[str, int]]) -> None:
    server, _ = view
    response = server.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    value = {(f.name, tuple(sorted(s.labels.items()))): s.value for f in families.values() for s in f.samples}
    assert value[("newswatch_articles_stored", ())] == len(REPORTS)
    assert value[("newswatch_announcements", (("status", "announced"),))] == 8
    assert value[("newswatch_deliveries", (("state", "pending"),))] == 0
    assert "newswatch_last_crawl_timestamp_seconds" in families


def test_healthz_says_stale_before_any_crawl(db_url: str, tmp_path: Path) -> None:
    config = write_view_config(tmp_path, db_url)
    with serving(config, db_url, tmp_path / "serve.log") as server:
        body = server.get("/healthz").json()
    assert body == {
        "status": "stale",
        "database": "ok",
        "last_crawl_at": None,
        "last_crawl_age_seconds": None,
        "stale_after_seconds": 3 * 60 * 60,
    }


def test_a_database_error_reaches_the_client_as_one_line(
    view: tuple[View, dict[str, int]], db_url: str
) -> None:
    server, _ = view
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE announcement_sources"))
    engine.dispose()
    page = server.get("/", headers={"Accept-Language": "en"})
    api = server.get("/api/announcements")
    assert page.status_code == 503 and "The database does not answer" in page.text
    assert api.status_code == 503 and set(api.json()) == {"error", "status"}
    for body in (page.text, api.text):
        assert "Traceback" not in body and "announcement_sources" not in body
    assert "announcement_sources" in server.log.read_text()  # the cause is for the operator's log


@pytest.mark.postgres
def test_healthz_answers_503_when_the_database_is_gone(tmp_path: Path) -> None:
    require_service("postgres", POSTGRES_URL)
    name = f"newswatch_gone_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        with serving(write_view_config(tmp_path, url), url, tmp_path / "serve.log") as server:
            assert server.get("/healthz").status_code == 200
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            response = server.get("/healthz")
        assert response.status_code == 503 and response.json() == {
            "status": "error",
            "database": "unreachable",
        }
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def readme_api_example() -> tuple[str, dict[str, object]]:
    """The curl command and the JSON answer the README's JSON API section shows."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("**JSON API.**", 1)[1]
    command = re.search(r"```sh\ncurl '([^']+)'\n```", section)
    answer = re.search(r"```json\n(.*?)\n```", section, re.S)
    assert command and answer, "the README's JSON API section lost its example"
    return command.group(1), json.loads(answer.group(1))


def test_the_readme_api_example_is_what_the_api_answers(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    url, shown = readme_api_example()
    real = server.get(url.split("127.0.0.1:8000", 1)[1]).json()
    assert list(real) == list(shown)
    (real_item,), (shown_item,) = real["items"], shown["items"]  # type: ignore[misc]
    assert list(real_item) == list(shown_item)
    # What does not depend on when or in which order the seed was stored is the same to the letter.
    varying = {"id", "url", "amount_text", "first_seen_at", "updated_at"}
    assert {k: v for k, v in real_item.items() if k not in varying} == {
        k: v for k, v in shown_item.items() if k not in varying
    }
    assert real_item["id"] == ids["Brookfield"] and real_item["url"].endswith(
        f"/api/announcements/{ids['Brookfield']}"
    )
    assert {k: v for k, v in real.items() if k not in ("items", "next")} == {
        k: v for k, v in shown.items() if k not in ("items", "next")
    }
    assert real["next"].split("/api/", 1)[1] == str(shown["next"]).split("/api/", 1)[1]


def test_crawl_health_shows_pending_and_failed_deliveries_as_status_does(
    sqlite_url: str, hook: WebhookReceiver, tmp_path: Path
) -> None:
    from alerts_support import child_env, load, newswatch_cmd

    seed(sqlite_url, REPORTS[:2])
    # Nothing listens on port 9: the digest waits for a retry; the webhook refuses its first post for good.
    config_path = write_view_config(
        tmp_path, sqlite_url, smtp_port=9, webhooks=[{"name": "chat", "format": "json", "url": hook.url}]
    )
    hook.fail(1, 404)
    deliver(
        load(config_path),
        database(sqlite_url),
        DeliveryOptions(http=RetryPolicy(attempts=1, backoff_base_seconds=0.01, connect_timeout_seconds=1)),
    )
    status = subprocess.run(
        newswatch_cmd(config_path, "status", "--format", "json"),
        env=child_env(sqlite_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    (pending,), (failed,) = report["pending_deliveries"], report["failed_deliveries"]
    assert (pending["channel"], failed["channel"]) == ("email:analyste", "webhook:chat")

    with serving(config_path, sqlite_url, tmp_path / "serve.log") as server:
        page = server.get("/status", headers={"Accept-Language": "en"}).text
        metrics = {
            (s.name, s.labels.get("state")): s.value
            for f in text_string_to_metric_families(server.get("/metrics").text)
            for s in f.samples
        }
    counts = re.sub(r"<[^>]+>", "", page.split('id="delivery-counts">', 1)[1].split("</p>", 1)[0])
    assert counts == " · ".join(f"{state}: {n}" for state, n in sorted(report["deliveries"].items()))
    rows = {
        table: re.findall(
            r"<tr><th scope=\"row\">([^<]+)</th>(.*?)</tr>",
            page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0],
            re.S,
        )
        for table in ("pending", "failed")
    }
    [(channel, cells)] = rows["pending"]
    assert (
        channel == "email:analyste" and "cannot connect" in cells and f">{pending['announcements']}<" in cells
    )
    [(channel, cells)] = rows["failed"]
    assert channel == "webhook:chat" and f'href="/announcements/{failed["announcement_id"]}"' in cells
    assert "HTTP 404" in cells
    for state, n in report["deliveries"].items():
        assert metrics[("newswatch_deliveries", state)] == n


def test_serve_listens_where_told_and_a_taken_port_is_one_line(sqlite_url: str, tmp_path: Path) -> None:
    from alerts_support import child_env, newswatch_cmd

    config = write_view_config(tmp_path, sqlite_url)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        refused = subprocess.run(
            newswatch_cmd(config, "serve", "--host", "127.0.0.1", "--port", str(port)),
            env=child_env(sqlite_url),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == f"newswatch: cannot listen on 127.0.0.1:{port}: Address already in use\n"

    # Now free: told --host and --port, it listens there and says so.
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(
            newswatch_cmd(config, "serve", "--host", "127.0.0.1", "--port", str(port)),
            env=child_env(sqlite_url),
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(f"newswatch: web view on http://127.0.0.1:{port}/ ")
        # Printed once it listens: asked at once, it answers (the request waits until the app is up).
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=20).json()["database"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=15)
        process.stdout.close()  # type: ignore[union-attr]
    # uvicorn shuts down cleanly, then ends by the signal it was sent, as a service manager expects.
    assert process.returncode in (0, -signal.SIGTERM)
    assert "Shutting down" in (tmp_path / "serve.log").read_text()
