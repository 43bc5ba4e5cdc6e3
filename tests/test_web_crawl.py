"""The web view over a database filled by a real crawl of a demo site: the Atom feed keeps its entry
ids across a re-crawl and moves an entry's `updated` when a later article fills a field; crawl health,
/healthz and /metrics speak of that crawl; and the view answers beside a running `newswatch schedule`."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from alerts_support import child_env, newswatch_cmd
from alerts_support import write_config as write_alert_config
from atom_rules import atom_problems
from crawl_support import FAST_CRAWL, crawl, write_config
from db_support import session_scope
from prometheus_client.parser import text_string_to_metric_families
from servers.smtp import ScriptedSMTP
from web_support import Report, record, serving

from newswatch.demo.server import serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Announcement
from pipelines.detect import Investment


def entries(feed_bytes: bytes) -> dict[str, tuple[str, str, int]]:
    """Announcement page URL -> (entry id, updated, number of source links)."""
    assert atom_problems(feed_bytes) == []
    parsed = feedparser.parse(feed_bytes)
    assert not parsed.bozo, parsed.bozo_exception
    return {
        e.link: (e.id, e.updated, sum(1 for link in e.links if link.rel == "related")) for e in parsed.entries
    }


@pytest.mark.slow
def test_feed_ids_survive_a_recrawl_and_a_filled_field_moves_updated(tmp_path: Path, sqlite_url: str) -> None:
    site = NewsSite(name="journal", n_articles=30, template="journal", seed=4)
    with serve([site]) as sites:
        config = write_config(tmp_path, [{"name": "demo-journal", "home": sites.url_for("journal")}])
        crawl(config, sqlite_url)
        with serving(config, sqlite_url, tmp_path / "serve.log") as view:
            before = entries(view.get("/feed.atom").content)
            assert before, "the crawl found no announcement"

            second = crawl(config, sqlite_url)
            assert second.summary()["demo-journal"]["new"] == 0
            assert entries(view.get("/feed.atom").content) == before

            # A later article about one of them adds a place the first did not give.
            with session_scope(sqlite_url) as session:
                first = session.query(Announcement).order_by(Announcement.id).first()
                assert first is not None and "Brest" not in first.locations
                known = Investment(
                    investor=first.investor,
                    amount_eur=first.amount_eur,
                    amount_text=first.amount_text,
                    currency=first.currency,
                    locations=["Brest"],
                    sector=first.sector,
                    jobs=first.jobs,
                    edition=first.edition,
                    evidence=f"{first.investor} ouvrira aussi un site à Brest.",
                )
            record(
                sqlite_url,
                Report("ouest", "suite", f"{first.investor} à Brest", date(2025, 6, 2), replace(known)),
            )
            after = entries(view.get("/feed.atom").content)
            page = next(link for link in after if link.endswith(f"/announcements/{first.id}"))
            assert after[page][0] == before[page][0]  # same entry id
            assert after[page][1] > before[page][1]  # updated moved
            assert after[page][2] == before[page][2] + 1  # the new article is linked
            assert {k: v for k, v in after.items() if k != page} == {
                k: v for k, v in before.items() if k != page
            }
            assert "Brest" in view.get(f"/announcements/{first.id}").text

            status = view.get("/status").text
            assert 'data-source="demo-journal"' in status and "finished" in status
            health = view.get("/healthz").json()
            assert health["status"] == "ok" and 0 <= health["last_crawl_age_seconds"] < 600
            metrics = {
                (s.name, s.labels.get("source")): s.value
                for f in text_string_to_metric_families(view.get("/metrics").text)
                for s in f.samples
            }
            assert metrics[("newswatch_articles_stored", None)] >= 30
            assert metrics[("newswatch_last_crawl_new_articles", "demo-journal")] == 0
            assert metrics[("newswatch_last_crawl_pages", "demo-journal")] > 0


@pytest.mark.slow
def test_the_view_answers_beside_a_running_scheduler(db_url: str, smtp: ScriptedSMTP, tmp_path: Path) -> None:
    """`serve` and `schedule` over one database: the view keeps answering while the scheduler crawls and
    delivers, then shows what the crawl stored, and the digest's one-click link works on it."""
    site = NewsSite(name="journal", n_articles=30, template="journal", seed=4)
    subscribers = [{"name": "veille", "email": "veille@example.org", "frequency": "immediate"}]
    with serve([site]) as sites:

        def config(**web: str) -> Path:
            return write_alert_config(
                tmp_path,
                database_url=db_url,
                smtp_port=smtp.port,
                subscribers=subscribers,
                sources=[{"name": "demo-journal", "home": sites.url_for("journal")}],
                crawl=FAST_CRAWL,
                schedule={"crawl_every_minutes": 60},
                web={"secret": "a secret of the tests, long enough", **web},
            )

        with serving(config(), db_url, tmp_path / "serve.log") as view:
            scheduler = subprocess.Popen(
                newswatch_cmd(config(base_url=view.url), "schedule"),
                env=child_env(db_url),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                answers: list[int] = []
                totals: list[int] = []  # what the view counted as the crawl went on
                while not smtp.received:
                    assert scheduler.poll() is None, scheduler.communicate()[1][-3000:]
                    assert len(totals) < 1000, "no digest from the scheduler"
                    answers += [
                        view.get(path).status_code for path in ("/", "/feed.atom", "/healthz", "/metrics")
                    ]
                    api = view.get("/api/announcements?per_page=5")
                    answers.append(api.status_code)
                    totals.append(api.json()["total"])
                    time.sleep(0.05)
                assert set(answers) == {200} and totals[0] == 0 and len(set(totals)) >= 2
                api = view.get("/api/announcements").json()
                with session_scope(db_url) as session:
                    assert api["total"] == session.query(Announcement).count() > 0
                assert view.get("/healthz").json()["status"] == "ok"
                # The health page names the live scheduler (this process's child) and speaks the config's zone.
                status = view.get("/status").text
                assert f"(pid {scheduler.pid})" in status and "Heures en Europe/Paris" in status
                assert re.search(r"crawl\s*:\s*\d{4}-\d\d-\d\d \d\d:\d\d\+0[12]:00", status), status

                digest = smtp.received[0].message
                link = str(digest["List-Unsubscribe"]).split(",")[0].strip(" <>")
                assert link.startswith(f"{view.url}unsubscribe/")
                done = view.post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
                assert done.status_code == 200 and 'data-state="done"' in done.text
            finally:
                scheduler.send_signal(signal.SIGTERM)
                _, stderr = scheduler.communicate(timeout=30)
            assert scheduler.returncode == 0, stderr[-3000:]
