"""One announcement, many articles: merge rules, and the database keeps one row with every source."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from functools import partial

import pytest
from db_support import session_scope
from sqlalchemy import func, select

from newswatch.store.announcements import record_announcements as record_with
from newswatch.store.models import Announcement, AnnouncementSource, Article, url_hash
from pipelines.announcements import (
    MERGE_POLICY,
    amounts_agree,
    fill,
    merge_investments,
    same_announcement,
    strength,
)
from pipelines.detect import Investment, detect
from pipelines.detect.companies import investor_key

# The store's repository with the detector's merge rules, as the crawl's store stage calls it.
record_announcements = partial(record_with, policy=MERGE_POLICY)

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
    with session_scope(db_url) as session:
        first, second = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        ids_first = record_announcements(session, first, reports[0].investments)
        ids_second = record_announcements(session, second, reports[1].investments)
    assert ids_first == ids_second
    with session_scope(db_url) as session:
        (row,) = session.scalars(select(Announcement)).all()
        assert (row.investor, row.amount_eur, row.edition) == ("Pfizer", 500e6, 2024)
        assert row.jobs == 200  # filled by the later article
        assert "Amboise" in row.locations
        sources = session.scalars(
            select(AnnouncementSource.article_id).order_by(AnnouncementSource.article_id)
        ).all()
        assert sources == [first, second]


def test_recording_the_same_article_twice_links_it_once(db_url: str) -> None:
    with session_scope(db_url) as session:
        article = _article(session, "https://a.example/1")
        record_announcements(session, article, [BASE])
        record_announcements(session, article, [BASE])
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(AnnouncementSource)) == 1


def test_abandoned_report_marks_the_stored_announcement_and_creates_none(db_url: str) -> None:
    with session_scope(db_url) as session:
        a, b = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        assert record_announcements(session, a, [replace(BASE, investor="Amazon", status="abandoned")]) == []
        (kept,) = record_announcements(session, a, [BASE])
        assert record_announcements(session, b, [replace(BASE, amount_eur=None, status="abandoned")]) == [
            kept
        ]
    with session_scope(db_url) as session:
        (row,) = session.scalars(select(Announcement)).all()
        assert row.status == "abandoned"


@pytest.mark.postgres
def test_concurrent_workers_record_one_announcement(postgres_server_url: str) -> None:
    url = postgres_server_url
    with session_scope(url) as session:
        session.execute(Announcement.__table__.delete())
        articles = [_article(session, f"https://race.example/{i}") for i in range(6)]
    barrier = threading.Barrier(len(articles))
    errors: list[BaseException] = []

    def worker(article_id: int) -> None:
        try:
            barrier.wait()
            with session_scope(url) as session:
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
    with session_scope(url) as session:
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

    with session_scope(db_url) as session:
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
    rows = json.loads(result.output)
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


def _rows(db_url: str) -> list[Announcement]:
    with session_scope(db_url) as session:
        return list(session.scalars(select(Announcement).order_by(Announcement.id)).all())


def test_one_company_three_editions_stay_three_records(db_url: str) -> None:
    plans = [
        replace(BASE, edition=year, amount_eur=4e9, evidence=f"Microsoft investit 4 milliards ({year}).")
        for year in (2022, 2023, 2024)
    ]
    undated = replace(BASE, edition=None, amount_eur=4e9)
    with session_scope(db_url) as session:
        article = _article(session, "https://a.example/1")
        ids = [record_announcements(session, article, [plan])[0] for plan in plans]
        # A report that names no summit joins none of them: it may be any of the three, or a fourth.
        (undated_id,) = record_announcements(session, article, [undated])
        again = [record_announcements(session, article, [plan])[0] for plan in plans]
    assert len(set(ids)) == 3 and again == ids and undated_id not in ids
    assert [r.edition for r in _rows(db_url)] == [2022, 2023, 2024, None]
    assert not same_announcement(BASE, undated)
    assert len(merge_investments([*plans, undated, *plans])) == 4


def test_parent_and_subsidiary_make_one_record(db_url: str) -> None:
    parent = replace(
        BASE,
        investor="Stellantis",
        amount_eur=2e9,
        amount_text="2 milliards d'euros",
        aliases=["ACC"],
        locations=["Douvrin"],
        sector=None,
        evidence="Stellantis investira 2 milliards via sa filiale ACC.",
    )
    subsidiary = replace(
        BASE,
        investor="ACC",
        amount_eur=None,
        amount_text=None,
        jobs=1400,
        locations=["Billy-Berclau"],
        sector=None,
        evidence="ACC créera 1 400 emplois.",
    )
    later_parent = replace(
        BASE,
        investor="groupe Stellantis",
        amount_eur=2e9,
        sector="batteries",
        locations=[],
        evidence="Le groupe Stellantis confirme 2 milliards.",
    )
    with session_scope(db_url) as session:
        a, b, c = (_article(session, f"https://{n}.example/1") for n in "abc")
        first = record_announcements(session, a, [parent])
        assert record_announcements(session, b, [subsidiary]) == first
        assert record_announcements(session, c, [later_parent]) == first
    (row,) = _rows(db_url)
    assert (row.investor, row.amount_eur, row.jobs, row.sector) == ("Stellantis", 2e9, 1400, "batteries")
    assert row.locations == ["Douvrin", "Billy-Berclau"]
    assert "acc" in row.aliases


def test_article_linking_a_subsidiary_joins_it_to_the_parent_record(db_url: str) -> None:
    """The link comes from the article's own words ("X, filiale de Y"), read by the detector."""
    first = detect(
        "Le sommet Choose France s'est tenu lundi à Versailles. Le groupe suédois Volvo investira 1,2 milliard "
        "d'euros à Douai (Nord) via sa filiale Volvo Trucks Industrie, qui y assemblera des camions électriques.",
        title="Choose France : Volvo à Douai",
        published=date(2024, 5, 13),
    )
    second = detect(
        "Annoncé au sommet Choose France, le projet de Volvo Trucks Industrie à Douai créera 600 emplois, "
        "pour un investissement de 1,2 milliard d'euros.",
        title="Douai : 600 emplois",
        published=date(2024, 5, 14),
    )
    assert [i.investor for i in first.announced] == ["Volvo"]
    with session_scope(db_url) as session:
        a, b = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        ids_a = record_announcements(session, a, first.investments)
        ids_b = record_announcements(session, b, second.investments)
    assert ids_a == ids_b
    (row,) = _rows(db_url)
    assert row.investor == "Volvo" and row.jobs == 600


def test_acronym_and_full_legal_name_are_one_company() -> None:
    full = replace(BASE, investor="Taiwan Semiconductor Manufacturing Company", amount_eur=2e9)
    assert same_announcement(full, replace(BASE, investor="TSMC", amount_eur=2e9))
    assert same_announcement(replace(BASE, investor="Eli Lilly and Company"), replace(BASE, investor="Lilly"))
    assert not same_announcement(full, replace(BASE, investor="TSM", amount_eur=2e9))


def test_weak_report_does_not_overwrite_an_amount(db_url: str) -> None:
    precise = replace(
        BASE,
        amount_eur=1.2e9,
        amount_text="1,2 milliard d'euros",
        evidence="Microsoft investira 1,2 milliard d'euros à Toulouse.",
    )
    floor = replace(
        BASE,
        amount_eur=1e9,
        amount_text="plus d'un milliard d'euros",
        evidence="Microsoft investira plus d'un milliard d'euros à Toulouse.",
    )
    recap = replace(
        BASE,
        amount_eur=1.25e9,
        amount_text="1,25 milliard d'euros",
        evidence="Au total, les 56 projets annoncés lundi, dont celui de Microsoft, pèsent 1,25 milliard.",
    )
    with session_scope(db_url) as session:
        a, b, c = (_article(session, f"https://{n}.example/1") for n in "abc")
        first = record_announcements(session, a, [precise])
        assert record_announcements(session, b, [floor]) == first
        assert record_announcements(session, c, [recap]) == first
    (row,) = _rows(db_url)
    assert (row.amount_eur, row.amount_text) == (1.2e9, "1,2 milliard d'euros")
    assert row.evidence == precise.evidence


def test_stronger_report_replaces_a_weak_amount(db_url: str) -> None:
    floor = replace(
        BASE,
        amount_eur=1e9,
        amount_text="plus d'un milliard d'euros",
        evidence="Microsoft investira plus d'un milliard d'euros à Toulouse.",
    )
    precise = replace(
        BASE,
        amount_eur=1.4e9,
        amount_text="1,4 milliard d'euros",
        evidence="Microsoft précise : 1,4 milliard d'euros à Toulouse.",
    )
    with session_scope(db_url) as session:
        a, b = _article(session, "https://a.example/1"), _article(session, "https://b.example/2")
        first = record_announcements(session, a, [floor])
        # "plus d'un milliard" is met by 1,4 milliard: the same announcement, told more precisely.
        assert record_announcements(session, b, [precise]) == first
    (row,) = _rows(db_url)
    assert (row.amount_eur, row.amount_text, row.evidence) == (
        1.4e9,
        "1,4 milliard d'euros",
        precise.evidence,
    )


def test_report_strength_ranks_wording_and_attribution() -> None:
    names = ["Microsoft"]
    said = "Microsoft investira {} à Toulouse."
    precise = strength(1e9, "1 milliard d'euros", said.format("1 milliard d'euros"), names)
    approximate = strength(1e9, "près d'un milliard d'euros", said.format("près d'un milliard"), names)
    bounded = strength(1e9, "plus d'un milliard d'euros", said.format("plus d'un milliard"), names)
    recap = strength(1e9, "1 milliard d'euros", "Au total, ces 12 projets pèsent 1 milliard d'euros.", names)
    assert precise > approximate > bounded > recap > strength(None, None, "", names)


def test_places_are_stored_with_commune_departement_and_region(db_url: str) -> None:
    report = replace(BASE, locations=["Dunkerque", "Grand Est", "la Vallée de la Seine"])
    with session_scope(db_url) as session:
        (ident,) = record_announcements(session, _article(session, "https://a.example/1"), [report])
        record_announcements(
            session,
            _article(session, "https://b.example/1"),
            [replace(BASE, locations=["dunkerque", "Fos-sur-Mer"])],
        )
    with session_scope(db_url) as session:
        places = session.get(Announcement, ident).places
        got = [
            (p.position, p.name, p.kind, p.commune_code, p.departement_code, p.region_code, p.region)
            for p in places
        ]
    assert got == [
        (0, "Dunkerque", "commune", "59183", "59", "32", "Hauts-de-France"),
        (1, "Grand Est", "region", None, None, "44", "Grand Est"),
        (2, "la Vallée de la Seine", None, None, None, None, None),
        (3, "Fos-sur-Mer", "commune", "13039", "13", "93", "Provence-Alpes-Côte d'Azur"),
    ]


def test_a_bound_agrees_with_the_figure_it_rounds_only() -> None:
    assert amounts_agree(1e9, 1.2e9, a_text="plus d'un milliard d'euros")
    assert amounts_agree(1.2e9, 1e9, b_text="plus d'un milliard d'euros")
    assert not amounts_agree(1e9, 5e9, a_text="plus d'un milliard d'euros")
    assert amounts_agree(3e8, 2.5e8, a_text="jusqu'à 300 millions d'euros")
    assert not amounts_agree(3e8, 3.5e8, a_text="jusqu'à 300 millions d'euros")


def test_a_generic_word_alone_is_no_short_form_of_a_company() -> None:
    assert not same_announcement(
        replace(BASE, investor="Industries"), replace(BASE, investor="Kinsei Industries")
    )
    assert same_announcement(replace(BASE, investor="Kinsei"), replace(BASE, investor="Kinsei Industries"))
    assert same_announcement(replace(BASE, investor="Renault"), replace(BASE, investor="le groupe Renault"))
