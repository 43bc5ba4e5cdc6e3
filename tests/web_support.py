"""Helpers for the web view tests: a database filled through the real store functions, a real
`newswatch serve` subprocess on 127.0.0.1, and Debian's Chromium for the browser tests."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from db_support import session_scope

from newswatch.store.announcements import record_announcements
from newswatch.store.articles import ensure_source, store_article
from pipelines.announcements import MERGE_POLICY
from pipelines.detect import Investment
from pipelines.process import ProcessedPage

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("NEWSWATCH_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = '<script>alert("nw")</script>'
# As in conftest.require_service: skipped on a developer's machine without it, failed in CI.
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass(frozen=True)
class Report:
    """One article reporting one announcement."""

    outlet: str
    slug: str
    title: str
    published: date
    investment: Investment


def _investment(
    investor: str,
    amount: float | None,
    places: list[str],
    sector: str | None,
    jobs: int | None,
    edition: int,
    evidence: str,
    *,
    amount_text: str | None = None,
    currency: str | None = "EUR",
) -> Investment:
    text = amount_text or (f"{amount / 1e6:g} millions d'euros" if amount else None)
    return Investment(
        investor=investor,
        amount_eur=amount,
        amount_text=text,
        currency=currency,
        locations=places,
        sector=sector,
        jobs=jobs,
        edition=edition,
        evidence=evidence,
    )


# Nine announcements over four editions and six régions; Pfizer is told twice, the second article
# adding the jobs; one record carries markup from a hostile page.
REPORTS: tuple[Report, ...] = (
    Report(
        "lesechos",
        "microsoft-4-milliards",
        "Microsoft investit 4 milliards en France",
        date(2024, 5, 13),
        _investment(
            "Microsoft",
            4e9,
            ["Mulhouse", "Grand Est"],
            "data centers, IA",
            250,
            2024,
            "Microsoft va investir 4 milliards d'euros dans un campus de données près de Mulhouse.",
        ),
    ),
    Report(
        "usinenouvelle",
        "prologium-dunkerque",
        "ProLogium choisit Dunkerque",
        date(2023, 5, 12),
        _investment(
            "ProLogium",
            5.2e9,
            ["Dunkerque"],
            "batteries",
            3000,
            2023,
            "Le taïwanais ProLogium investira 5,2 milliards d'euros dans une gigafactory à Dunkerque.",
        ),
    ),
    Report(
        "lesechos",
        "pfizer-amboise",
        "Pfizer renforce Amboise",
        date(2024, 5, 13),
        _investment(
            "Pfizer",
            500e6,
            ["Amboise"],
            "pharmacie",
            None,
            2024,
            "Pfizer va investir 500 millions d'euros dans son usine d'Amboise.",
        ),
    ),
    Report(
        "lanouvellerepublique",
        "pfizer-200-emplois",
        "Amboise : 200 emplois chez Pfizer",
        date(2024, 5, 14),
        _investment(
            "Pfizer",
            520e6,
            ["Amboise"],
            "pharmacie",
            200,
            2024,
            "L'investissement de Pfizer, 520 millions d'euros, doit créer 200 emplois à Amboise.",
        ),
    ),
    Report(
        "maddyness",
        "brookfield-data-centers",
        "Brookfield : 15 milliards pour des data centers",
        date(2025, 2, 10),
        _investment(
            "Brookfield",
            15e9,
            ["Cambrai", "Hauts-de-France"],
            "data centers",
            None,
            2025,
            "Le canadien Brookfield annonce 15 milliards d'euros pour des centres de données à Cambrai.",
        ),
    ),
    Report(
        "latribune",
        "lilly-fegersheim",
        "Lilly agrandit Fegersheim",
        date(2022, 5, 11),
        _investment(
            "Eli Lilly",
            1.2e9,
            ["Fegersheim"],
            "pharmacie",
            250,
            2022,
            "Eli Lilly investit 1,2 milliard d'euros sur son site de Fegersheim.",
        ),
    ),
    Report(
        "ladepeche",
        "airbus-toulouse",
        "Airbus Atlantic à Toulouse",
        date(2022, 5, 11),
        _investment(
            "Airbus Atlantic",
            100e6,
            ["Toulouse"],
            "aéronautique",
            150,
            2022,
            "Airbus Atlantic engage 100 millions d'euros à Toulouse.",
        ),
    ),
    Report(
        "maddyness",
        "digital-realty-marseille",
        "Digital Realty à Marseille",
        date(2025, 5, 19),
        _investment(
            "Digital Realty",
            None,
            ["Marseille"],
            "data centers",
            None,
            2025,
            "Digital Realty va investir 2 milliards de dollars à Marseille.",
            amount_text="2 milliards de dollars",
            currency="USD",
        ),
    ),
    Report(
        "blog-hostile",
        "hostile",
        f"{HOSTILE} Choose France",
        date(2023, 5, 15),
        _investment(
            f"Acme {HOSTILE}",
            50e6,
            ["Lyon"],
            "chimie",
            40,
            2023,
            f"Acme investira 50 millions d'euros à Lyon {HOSTILE}.",
        ),
    ),
)
EDITIONS = (2022, 2023, 2024, 2025)


def _page(report: Report, url: str) -> ProcessedPage:
    body = f"{report.title}. {report.investment.evidence}"
    return ProcessedPage(
        url=url,
        title=report.title,
        text=body,
        author=None,
        published=report.published,
        language="fr",
        canonical_url=url,
        fingerprint=hashlib.sha1(body.encode()).hexdigest(),
        flagged=True,
        score=1.0,
        reasons=("test",),
        edition=report.investment.edition,
        investments=(report.investment,),
    )


def record(database_url: str, report: Report) -> list[int]:
    """Store the report's article and record its announcement, as the crawl's store stage does."""
    url = f"https://www.{report.outlet}.example/2025/{report.slug}/"
    with session_scope(database_url) as session:
        source_id = ensure_source(session, report.outlet, f"https://www.{report.outlet}.example/")
        stored = store_article(session, _page(report, url), url=url, source_id=source_id)
        return record_announcements(session, stored.article_id, [report.investment], MERGE_POLICY)


def seed(database_url: str, reports: tuple[Report, ...] = REPORTS) -> dict[str, int]:
    """Record every report; investor -> announcement id."""
    ids: dict[str, int] = {}
    for report in reports:
        (announcement_id,) = record(database_url, report)
        ids[report.investment.investor] = announcement_id
    return ids


def write_view_config(folder: Path, database_url: str, **extra: Any) -> Path:
    from alerts_support import write_config

    return write_config(folder, database_url=database_url, **extra)


@dataclass
class View:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def get(self, path: str, **kw: Any) -> requests.Response:
        return requests.get(self.url.rstrip("/") + path, timeout=20, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return requests.post(self.url.rstrip("/") + path, timeout=20, **kw)


@contextmanager
def serving(config: Path, database_url: str, log: Path, timeout: float = 60) -> Iterator[View]:
    """`newswatch serve --port 0` in a child process; yields once /healthz answers."""
    from alerts_support import child_env, newswatch_cmd

    with log.open("w") as errors:
        process = subprocess.Popen(
            newswatch_cmd(config, "serve", "--port", "0"),
            env=child_env(database_url),
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=config.parent,
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "web view on http://127.0.0.1:" in line, (
            f"serve said {line!r}; log:\n{log.read_text()[-3000:]}"
        )
        view = View(line.split(" on ", 1)[1].split(" ", 1)[0], process, log)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if view.get("/healthz").status_code in (200, 503):
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, f"serve exited {process.returncode}:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, (
                f"serve did not answer in {timeout}s:\n{log.read_text()[-3000:]}"
            )
            time.sleep(0.1)
        yield view
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def require_chromium() -> Path:
    """Skip (or fail in CI) when Debian's Chromium or Playwright is missing."""
    problem = None
    if not CHROMIUM.exists():
        problem = (
            f"Chromium not found at {CHROMIUM} (as root: apt-get install -y chromium; tasks.py test does it)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed (pip install -e .[test])"
    if problem is None:
        return CHROMIUM
    if IN_CI:
        pytest.fail(f"{problem}: CI must run the browser tests", pytrace=False)
    pytest.skip(problem)
