"""`newswatch serve` as a real process over a real database (SQLite, and PostgreSQL when it runs):
the JSON API, the Atom feed, /metrics, /healthz, escaping, errors and the read-only rule."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from conftest import POSTGRES_URL, require_service
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from web_support import HOSTILE, REPORTS, View, seed, serving, write_view_config


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
    assert item["amount_eur"] == 15e9 and isinstance(item["amount_eur"], float)
    assert item["regions"] == [{"code": "32", "name": "Hauts-de-France"}]
    assert item["places"][0] == {"name": "Cambrai", "kind": "commune", "commune_code": "59122", "commune": "Cambrai",
                                 "departement_code": "59", "departement": "Nord", "region_code": "32",
                                 "region": "Hauts-de-France"}
    for stamp in (item["first_seen_at"], item["updated_at"]):
        assert datetime.fromisoformat(stamp).utcoffset() is not None
    assert {i["investor"] for i in server.get("/api/announcements?edition=2022").json()["items"]} == {
        "Eli Lilly", "Airbus Atlantic"}
    assert server.get("/api/announcements?q=gigafactory").json()["items"][0]["investor"] == "ProLogium"

    pfizer = server.get(f"/api/announcements/{ids['Pfizer']}").json()
    assert pfizer["jobs"] == 200 and pfizer["source_count"] == 2
    assert [s["outlet"] for s in pfizer["sources"]] == ["lesechos", "lanouvellerepublique"]
    assert pfizer["sources"][1]["published"] == "2024-05-14"
    assert datetime.fromisoformat(pfizer["sources"][0]["fetched_at"]).utcoffset() is not None


def test_bad_requests_get_one_line_and_no_trace(view: tuple[View, dict[str, int]]) -> None:
    server, _ = view
    bad = server.get("/api/announcements?min_amount=beaucoup")
    assert bad.status_code == 400 and bad.json()["error"].startswith("min_amount: expected an amount in euros")
    assert server.get("/api/announcements/999999").status_code == 404
    page = server.get("/?region=Atlantide", headers={"Accept-Language": "en"})
    assert page.status_code == 400 and "unknown région" in page.text and "Traceback" not in page.text
    # Read-only: nothing but the unsubscribe link takes a POST.
    for path in ("/", "/api/announcements", "/feed.atom", "/metrics"):
        assert server.post(path, data={"x": "1"}).status_code == 405


def test_article_text_is_escaped_everywhere(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    for path in ("/", f"/announcements/{ids['Acme ' + HOSTILE]}", "/charts"):
        html = server.get(path).text
        assert HOSTILE not in html and "&lt;script&gt;alert(" in html, path
    headers = server.get("/").headers
    assert "script-src" not in headers["content-security-policy"] and "default-src 'none'" in headers[
        "content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_the_atom_feed_is_valid_and_filters_like_the_table(view: tuple[View, dict[str, int]]) -> None:
    server, ids = view
    response = server.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and len(feed.entries) == 8
    assert len({e.id for e in feed.entries}) == 8 and all(e.id.startswith("urn:uuid:") for e in feed.entries)
    # The Pfizer entry was updated by its second article: it comes first (newest update first).
    pfizer = next(e for e in feed.entries if e.link.endswith(f"/announcements/{ids['Pfizer']}"))
    assert len([link for link in pfizer.links if link.rel == "related"]) == 2

    filtered = feedparser.parse(server.get("/feed.atom?region=Grand%20Est&min_amount=2000000000").content)
    assert not filtered.bozo and [e.title for e in filtered.entries] == ["Microsoft — 4\u00a0Md€ (Choose France 2024)"]
    assert filtered.feed.links[0].href.endswith("/feed.atom?region=44&min_amount=2000000000")


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
    assert body == {"status": "stale", "database": "ok", "last_crawl_at": None, "last_crawl_age_seconds": None,
                    "stale_after_seconds": 3 * 60 * 60}


def test_a_database_error_reaches_the_client_as_one_line(view: tuple[View, dict[str, int]], db_url: str) -> None:
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
        assert response.status_code == 503 and response.json() == {"status": "error", "database": "unreachable"}
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
