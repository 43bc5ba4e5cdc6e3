"""Places on the map: a subscriber following a région gets the announcements of its communes, and every
output shows the région beside the place."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner
from db_support import session_scope

from alerts.digest import build_digest
from alerts.filters import matches
from alerts.formats import generic_json
from alerts.formats.registry import chat_format
from alerts.view import load_views
from newswatch.cli import main
from newswatch.config import Filters, Subscriber
from newswatch.store.announcements import record_announcements
from newswatch.store.models import Article, url_hash
from pipelines.announcements import MERGE_POLICY
from pipelines.detect import Investment, detect

DUNKERQUE = Investment(
    investor="Verkor", amount_eur=1.5e9, amount_text="1,5 milliard d'euros", currency="EUR",
    locations=["Dunkerque"], sector="batteries", jobs=1200, edition=2023,
    evidence="Verkor investira 1,5 milliard d'euros à Dunkerque.",
)  # fmt: skip


def _store(db_url: str, *investments: Investment) -> list[int]:
    with session_scope(db_url) as session:
        article = Article(
            url="https://a.example/1",
            url_hash=url_hash("https://a.example/1"),
            fingerprint=url_hash("x"),
            text="...",
            published=date(2023, 5, 15),
        )
        session.add(article)
        session.flush()
        return record_announcements(session, article.id, investments, MERGE_POLICY)


@pytest.mark.parametrize(
    ("followed", "expected"),
    [
        (["Hauts-de-France"], True),
        (["hauts de france"], True),
        (["32"], True),
        (["Nord-Pas-de-Calais"], True),
        (["HDF"], True),
        (["Grand Est", "Bretagne"], False),
        (["Normandie", "Hauts-de-France"], True),
    ],
)
def test_subscriber_following_a_region_gets_its_communes(
    db_url: str, followed: list[str], expected: bool
) -> None:
    _store(db_url, DUNKERQUE)
    with session_scope(db_url) as session:
        (view,) = load_views(session, [1])
    assert view.regions == (("32", "Hauts-de-France"),)
    assert matches(view, Filters(regions=followed)) is expected


def test_region_follows_the_stored_place_not_the_words(db_url: str) -> None:
    """A place whose name holds no région's words still belongs to it, and a name that only looks like
    one ("Nord" is a département) does not make another région match."""
    _store(db_url, replace(DUNKERQUE, locations=["Saint-Pol-sur-Mer"]))
    with session_scope(db_url) as session:
        (view,) = load_views(session, [1])
    assert matches(view, Filters(regions=["Hauts-de-France"]))
    assert not matches(view, Filters(regions=["Provence-Alpes-Côte d'Azur"]))


def test_digest_chat_and_json_show_the_region_beside_the_place(db_url: str) -> None:
    _store(db_url, replace(DUNKERQUE, locations=["Dunkerque", "Hauts-de-France", "Bruxelles"]))
    with session_scope(db_url) as session:
        views = load_views(session, [1])
    subscriber = Subscriber(name="ana", email="ana@example.org")
    digest = build_digest(views, subscriber, operator="ops@example.org", now=datetime.now(UTC))
    # The région named on its own is not repeated beside a commune that lies in it.
    assert "Dunkerque (Hauts-de-France), Bruxelles" in digest.text
    for name in ("slack", "teams", "discord", "mattermost", "googlechat"):
        post = json.dumps(chat_format(name).render(views, "fr"), ensure_ascii=False)
        # Markdown formats escape the brackets and hyphens.
        assert "Dunkerque (Hauts-de-France)" in post.replace("\\\\", ""), name
    record = generic_json.record(views[0], "fr")
    assert record["regions"] == [{"code": "32", "name": "Hauts-de-France"}]
    assert record["places"][0] == {
        "name": "Dunkerque",
        "kind": "commune",
        "commune_code": "59183",
        "commune": "Dunkerque",
        "departement_code": "59",
        "departement": "Nord",
        "region_code": "32",
        "region": "Hauts-de-France",
    }


def test_investments_command_gives_the_region_in_table_json_and_csv(
    db_url: str, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _store(db_url, DUNKERQUE, replace(DUNKERQUE, investor="Pfizer", locations=["Amboise"], amount_eur=5e8))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    runner = CliRunner()
    table = runner.invoke(main, ["investments"])
    assert table.exit_code == 0, table.output
    assert "Dunkerque (Hauts-de-France)" in table.output and "Amboise (Centre-Val de Loire)" in table.output
    rows = json.loads(runner.invoke(main, ["investments", "--format", "json"]).output)
    assert [(r["investor"], r["regions"], r["places"][0]["commune_code"]) for r in rows] == [
        ("Verkor", ["Hauts-de-France"], "59183"),
        ("Pfizer", ["Centre-Val de Loire"], "37003"),
    ]
    listed = list(csv.DictReader(io.StringIO(runner.invoke(main, ["investments", "--format", "csv"]).output)))
    assert [(r["locations"], r["regions"]) for r in listed] == [
        ("Dunkerque", "Hauts-de-France"),
        ("Amboise", "Centre-Val de Loire"),
    ]


def test_detected_places_keep_what_they_resolve_to(db_url: str) -> None:
    detection = detect(
        "Le sommet Choose France s'est tenu lundi à Versailles. Le danois Ørsted investira 2 milliards d'euros "
        "dans un parc éolien en mer au large de Dunkerque (Nord), dans les Hauts-de-France.",
        title="Choose France : Ørsted",
        published=date(2024, 5, 13),
    )
    (ident,) = _store(db_url, *detection.announced)
    with session_scope(db_url) as session:
        (view,) = load_views(session, [ident])
    kinds = {p.name: (p.kind, p.region_code) for p in view.places}
    assert kinds["Dunkerque"] == ("commune", "32")
    assert kinds.get("Hauts-de-France", ("region", "32")) == ("region", "32")


def test_web_view_filters_by_the_stored_region(db_url: str) -> None:
    from sqlalchemy import update

    from newswatch.store.models import AnnouncementPlace
    from web.filters import apply, parse_selection
    from web.queries import load_items

    _store(
        db_url,
        DUNKERQUE,
        replace(DUNKERQUE, investor="Pfizer", locations=["Amboise"], amount_eur=5e8),
        replace(DUNKERQUE, investor="Mistral", locations=["la Vallée des Hauts-de-France"], amount_eur=1e8),
    )

    def chosen(region: str) -> list[str]:
        with session_scope(db_url) as session:
            return sorted(i.investor for i in apply(load_items(session), parse_selection({"region": region})))

    # "la Vallée des Hauts-de-France" is no place: its words do not put it in the région.
    assert chosen("Hauts-de-France") == chosen("32") == ["Verkor"]
    assert chosen("Centre-Val de Loire") == ["Pfizer"]
    with session_scope(db_url) as session:
        session.execute(
            update(AnnouncementPlace)
            .where(AnnouncementPlace.name == "Amboise")
            .values(region_code="32", region="Hauts-de-France")
        )
    assert chosen("hauts de france") == ["Pfizer", "Verkor"]
