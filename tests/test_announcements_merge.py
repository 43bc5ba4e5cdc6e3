"""One announcement, many articles: merge rules, and the database keeps one row with every source."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from newswatch.store import db
from newswatch.store.models import Announcement, AnnouncementSource, Article, url_hash
from pipelines.announcements import (
    amounts_agree,
    fill,
    merge_investments,
    record_announcements,
    same_announcement,
)
from pipelines.detect import Investment, detect
from pipelines.detect.companies import investor_key

BASE = Investment(
    investor="Microsoft", amount_eur=4e9, amount_text="4 milliards d'euros", currency="EUR",
    locations=["Toulouse"], sector="data centers", jobs=None, edition=2024, evidence="Microsoft va investir 4 milliards.",
)  # fmt: skip


def test_amounts_within_ten_percent_or_missing_agree() -> None:
    assert amounts_agree(4e9, 4.2e9)
    assert not amounts_agree(4e9, 5e9)
    assert amounts_agree(None, 5e9) and amounts_agree(4e9, None)


def test_same_investor_key_and_edition_make_one_announcement() -> None:
    assert same_announcement(BASE, replace(BASE, investor="MICROSOFT France", amount_eur=4.1e9))
    assert same_announcement(BASE, replace(BASE, amount_eur=None))
    assert not same_announcement(BASE, replace(BASE, edition=2023))
    assert not same_announcement(BASE, replace(BASE, investor="Amazon"))
    assert not same_announcement(BASE, replace(BASE, amount_eur=1e9))


def test_later_report_fills_what_the_earlier_lacked() -> None:
    later = replace(
        BASE, amount_eur=None, amount_text=None, jobs=200, locations=["Marseille", "toulouse"], sector="cloud"
    )
    merged = fill(BASE, later)
    assert merged.jobs == 200 and merged.amount_eur == 4e9 and merged.sector == "data centers"
    assert merged.locations == ["Toulouse", "Marseille"]
    assert fill(replace(BASE, amount_eur=None, amount_text=None), BASE).amount_eur == 4e9


def test_merge_investments_groups_reports() -> None:
    reports = [
        BASE,
        replace(BASE, investor="Amazon", amount_eur=1.2e9),
        replace(BASE, jobs=100),
        replace(BASE, amount_eur=9e9),
    ]
    merged = merge_investments(reports)
    assert [(m.investor, m.amount_eur, m.jobs) for m in merged] == [
        ("Microsoft", 4e9, 100),
        ("Amazon", 1.2e9, None),
        ("Microsoft", 9e9, None),
    ]


def _article(session, url: str) -> int:  # type: ignore[no-untyped-def]
    article = Article(
        url=url, url_hash=url_hash(url), fingerprint=url_hash(url), text="...", published=date(2024, 5, 13)
    )
    session.add(article)
    session.flush()
    return article.id


FIRST = (
    "Choose France : Pfizer à Amboise",
    "Le sommet Choose France s'est tenu lundi à Versailles. Le laboratoire américain Pfizer va investir "
    "500 millions d'euros dans son usine d'Amboise (Indre-et-Loire).",
)
SECOND = (
    "Amboise : 200 emplois chez Pfizer",
    "Annoncé lundi au sommet Choose France, l'investissement de Pfizer, 520 millions d'euros, doit créer "
    "200 emplois à Amboise. Le groupe étendra aussi son site de Pocé-sur-Cisse.",
)


def test_two_articles_on_one_announcement_give_one_row_with_two_sources(db_url: str) -> None:
    reports = [detect(body, title=title, published=date(2024, 5, 13)) for title, body in (FIRST, SECOND)]
    assert [len(r.announced) for r in reports] == [1, 1]
    assert reports[0].announced[0].jobs is None and reports[1].announced[0].jobs == 200
    with db.session_scope(db_url) as session:
        first, second = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        ids_first = record_announcements(session, first, reports[0].investments)
        ids_second = record_announcements(session, second, reports[1].investments)
    assert ids_first == ids_second
    with db.session_scope(db_url) as session:
        (row,) = session.scalars(select(Announcement)).all()
        assert (row.investor, row.amount_eur, row.edition) == ("Pfizer", 500e6, 2024)
        assert row.jobs == 200  # filled by the later article
        assert "Amboise" in row.locations
        sources = session.scalars(
            select(AnnouncementSource.article_id).order_by(AnnouncementSource.article_id)
        ).all()
        assert sources == [first, second]


def test_recording_the_same_article_twice_links_it_once(db_url: str) -> None:
    with db.session_scope(db_url) as session:
        article = _article(session, "https://a.example/1")
        record_announcements(session, article, [BASE])
        record_announcements(session, article, [BASE])
    with db.session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(AnnouncementSource)) == 1


def test_abandoned_report_marks_the_stored_announcement_and_creates_none(db_url: str) -> None:
    with db.session_scope(db_url) as session:
        a, b = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        assert record_announcements(session, a, [replace(BASE, investor="Amazon", status="abandoned")]) == []
        (kept,) = record_announcements(session, a, [BASE])
        assert record_announcements(session, b, [replace(BASE, amount_eur=None, status="abandoned")]) == [
            kept
        ]
    with db.session_scope(db_url) as session:
        (row,) = session.scalars(select(Announcement)).all()
        assert row.status == "abandoned"


@pytest.mark.postgres
def test_concurrent_workers_record_one_announcement(postgres_server_url: str) -> None:
    url = postgres_server_url
    with db.session_scope(url) as session:
        session.execute(Announcement.__table__.delete())
        articles = [_article(session, f"https://race.example/{i}") for i in range(6)]
    barrier = threading.Barrier(len(articles))
    errors: list[BaseException] = []

    def worker(article_id: int) -> None:
        try:
            barrier.wait()
            with db.session_scope(url) as session:
                record_announcements(
                    session, article_id, [replace(BASE, investor="Race Corp", jobs=article_id)]
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(a,)) for a in articles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    with db.session_scope(url) as session:
        rows = session.scalars(
            select(Announcement).where(Announcement.investor_key == investor_key("Race Corp"))
        ).all()
        assert len(rows) == 1
        assert session.scalar(select(func.count()).select_from(AnnouncementSource)) == len(articles)


def test_investments_command_lists_each_announcement_once_with_its_sources(
    db_url: str,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import csv
    import io
    import json

    from click.testing import CliRunner

    from newswatch.cli import main

    with db.session_scope(db_url) as session:
        first, second = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        record_announcements(
            session, first, [BASE, replace(BASE, investor="Amazon", amount_eur=1.2e9, edition=2023)]
        )
        record_announcements(session, second, [replace(BASE, jobs=300)])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    runner = CliRunner()
    result = runner.invoke(main, ["investments", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["investor"], r["edition"], r["jobs"], r["sources"]) for r in rows] == [
        ("Microsoft", 2024, 300, ["https://a.example/1", "https://b.example/2"]),
        ("Amazon", 2023, None, ["https://a.example/1"]),
    ]
    only_2023 = runner.invoke(main, ["investments", "--edition", "2023", "--format", "csv"])
    (row,) = list(csv.DictReader(io.StringIO(only_2023.output)))
    assert (row["investor"], row["amount_eur"], row["sources"]) == (
        "Amazon",
        "1200000000",
        "https://a.example/1",
    )
    table = runner.invoke(main, ["investments"]).output
    assert "Microsoft" in table and "4\u00a0Md€" in table and "    https://b.example/2" in table
