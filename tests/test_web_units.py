"""The web view's pure parts: the reader's selection, language choice, charts and the map geometry."""

from __future__ import annotations

import asyncio
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
from atom_rules import atom_problems
from db_support import database

from newswatch.places import resolve_names
from web.charts import all_charts, by_edition, by_region, top_investors
from web.feed import build_feed, entry_id
from web.filters import QueryError, apply, paginate, parse_selection
from web.francemap import france_map, polylines, simplified
from web.i18n import accepted_language, choose_language, labels
from web.queries import Item, Place, SourceRef

T0 = datetime(2024, 5, 13, 9, 0, tzinfo=UTC)


def places_of(names: list[str]) -> tuple[Place, ...]:
    """Places as the store keeps them (pipelines/announcements.py resolves them the same way)."""
    return tuple(
        Place(n, p.kind, p.region_code, p.region) if p else Place(n)
        for n, p in zip(names, resolve_names(names), strict=True)
    )


def item(
    id: int,
    investor: str,
    amount: float | None,
    places: list[str],
    edition: int | None = 2024,
    sector: str | None = "batteries",
    jobs: int | None = None,
    **kw: object,
) -> Item:
    return Item(
        id=id,
        investor=investor,
        amount_eur=amount,
        amount_text=None,
        currency="EUR",
        jobs=jobs,
        edition=edition,
        sector=sector,
        status="announced",
        evidence=f"{investor} investit.",
        places=places_of(places),
        first_seen_at=T0.replace(hour=id % 24),
        updated_at=T0,
        source_count=1,
        **kw,
    )  # type: ignore[arg-type]


ITEMS = [
    item(1, "Microsoft", 4e9, ["Mulhouse"], sector="data centers, IA", jobs=250),
    item(2, "ProLogium", 5.2e9, ["Dunkerque"], edition=2023, jobs=3000),
    item(3, "Pfizer", 520e6, ["Amboise"], sector="pharmacie", jobs=200),
    item(4, "Verkor", None, ["Douai", "Hauts-de-France"], edition=2023),
    item(5, "Brookfield", 15e9, ["Cambrai"], edition=2025, sector="data centers", texts=("Un campus géant",)),
]


def ids(items: list[Item]) -> list[int]:
    return [i.id for i in items]


def test_places_get_their_region_and_a_region_name_alone_is_not_shown_twice() -> None:
    verkor = ITEMS[3]
    assert [(p.name, p.region) for p in verkor.places] == [
        ("Douai", "Hauts-de-France"),
        ("Hauts-de-France", "Hauts-de-France"),
    ]
    assert verkor.regions == (("32", "Hauts-de-France"),)
    assert [p.name for p in verkor.shown_places] == ["Douai"]
    assert places_of(["Atlantide"])[0].region is None


def test_each_filter_narrows_the_selection() -> None:
    def chosen(**params: str) -> list[int]:
        return ids(apply(ITEMS, parse_selection(params)))

    assert chosen() == [5, 4, 3, 2, 1]  # newest first
    assert chosen(edition="2023") == [4, 2]
    assert chosen(region="Hauts-de-France") == chosen(region="32") == chosen(region="hdf") == [5, 4, 2]
    assert chosen(sector="IA") == [1] and chosen(sector="data centers") == [5, 1]
    assert chosen(investor="micro") == [1]
    # An unknown amount does not reach a minimum.
    assert chosen(min_amount="1e9") == [5, 2, 1] and chosen(min_amount="1 000 000 000") == [5, 2, 1]
    assert chosen(q="dunkerque") == [2] and chosen(q="campus geant") == [5]
    assert chosen(region="32", min_amount="6000000000") == [5]


def test_sorting_puts_unknown_values_last_whatever_the_order() -> None:
    assert ids(apply(ITEMS, parse_selection({"sort": "amount"}))) == [5, 2, 1, 3, 4]
    assert ids(apply(ITEMS, parse_selection({"sort": "amount", "order": "asc"}))) == [3, 1, 2, 5, 4]
    assert ids(apply(ITEMS, parse_selection({"sort": "investor"})))[:2] == [5, 1]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "Atlantide"}, "region: unknown région 'Atlantide'"),
        ({"min_amount": "beaucoup"}, "min_amount: expected an amount in euros"),
        ({"min_amount": "-5"}, "min_amount: expected a positive amount"),
        ({"edition": "20x4"}, "edition: expected a whole number from 1900 to 2999, got '20x4'"),
        ({"sort": "colour"}, "sort: expected one of date, amount, jobs, investor, edition, sources"),
        ({"per_page": "5000"}, "per_page: expected a whole number from 1 to 200"),
        ({"page": "0"}, "page: expected a whole number from 1"),
    ],
)
def test_a_bad_parameter_is_named_in_one_line(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_selection(params)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_a_bad_parameter_is_explained_in_the_page_language_too() -> None:
    with pytest.raises(QueryError) as caught:
        parse_selection({"region": "Atlantide"})
    assert caught.value.message("fr") == (
        "region\u202f: région inconnue «\u202fAtlantide\u202f» (un nom comme "
        "Hauts-de-France ou un code INSEE comme 32)"
    )
    assert caught.value.message("en") == str(caught.value)


def test_empty_form_fields_count_as_absent_and_links_keep_only_what_differs() -> None:
    selection = parse_selection({"edition": "", "region": " ", "q": "", "min_amount": "1e8"}, per_page=50)
    assert selection.filter_params() == {"min_amount": "100000000"}
    assert selection.params(page=3) == {"min_amount": "100000000", "page": "3"}
    assert selection.params(sort="investor", order="asc") == {"min_amount": "100000000", "sort": "investor"}


def test_pages_cover_every_item_once() -> None:
    selection = parse_selection({"per_page": "2"})
    kept = apply(ITEMS, selection)
    pages = [paginate(kept, replace(selection, page=n)) for n in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3] and [len(p.items) for p in pages] == [2, 2, 1]
    assert sorted(i for p in pages for i in ids(p.items)) == [1, 2, 3, 4, 5]
    assert not pages[0].has_previous and pages[0].has_next and not pages[2].has_next


def test_language_comes_from_the_switch_then_the_cookie_then_accept_language() -> None:
    assert accepted_language("en-GB,en;q=0.9,fr;q=0.8") == "en"
    assert accepted_language("de-DE, fr;q=0.5, en;q=0.4") == "fr"
    assert accepted_language("de, ja") is None and accepted_language(None) is None
    assert choose_language(None, None, "de") == "fr"
    assert choose_language("en", "fr", "fr") == "en" and choose_language(None, "en", "fr") == "en"
    assert labels("en")["nav_charts"] == "Charts" and labels("xx")["nav_charts"] == "Graphiques"


def test_charts_have_one_mark_per_edition_and_escape_every_label() -> None:
    hostile = item(9, "<script>alert(1)</script>", 1e6, ["Lyon"], edition=2022)
    charts = all_charts([*ITEMS, hostile], lang="fr", t=labels("fr"))
    for chart_id in ("chart-edition-amount", "chart-edition-count"):
        svg = ET.fromstring(str(charts[chart_id]))
        marks = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("class") == "mark"]
        assert [m.get("data-key") for m in marks] == ["2022", "2023", "2024", "2025"]
    amounts = {g.key: g.amount for g in by_edition(ITEMS)}
    assert amounts == {"2023": 5.2e9, "2024": 4.52e9, "2025": 15e9}
    assert "<script>" not in "".join(map(str, charts.values()))
    assert "&lt;script&gt;" in str(charts["chart-investors"])
    assert "20,2\u00a0Md€ · 3 annonces" in str(charts["chart-region-bars"])  # Hauts-de-France


def test_region_totals_and_top_investors_fold_spellings() -> None:
    items = [*ITEMS, item(6, "MICROSOFT", 1e9, ["Paris"])]
    assert [(g.key, g.count) for g in by_region(items)][:1] == [("32", 3)]
    top = top_investors(items)
    assert top[0].label == "Brookfield" and next(g for g in top if g.key == "microsoft").amount == 5e9


def test_the_map_has_every_region_of_france_drawn_from_the_package() -> None:
    shapes = france_map()
    regions = {code for layer in shapes.layers for code in layer.regions}
    assert regions == {
        "01",
        "02",
        "03",
        "04",
        "06",
        "11",
        "24",
        "27",
        "28",
        "32",
        "44",
        "52",
        "53",
        "75",
        "76",
        "84",
        "93",
        "94",
    }
    svg = ET.fromstring(str(all_charts(ITEMS, lang="en", t=labels("en"))["chart-region-map"]))
    groups = {
        g.get("data-region"): g.get("class")
        for g in svg.iter("{http://www.w3.org/2000/svg}g")
        if g.get("data-region")
    }
    assert groups["32"] == "region q4" and groups["94"] == "region q-none"


def test_path_data_is_read_as_absolute_points() -> None:
    assert polylines("m 10,10 5,0 c 1,1 2,2 0,5 z m 1,1 l 2,0 L 30 30 Z") == [
        [(10, 10), (15, 10), (15, 15)],
        [(11, 11), (13, 11), (30, 30)],
    ]
    assert simplified("M 0 0 L 100 0 L 100.4 0.2 L 100 100 Z") == "M0 0 100 0 100 100Z"
    with pytest.raises(ValueError):
        polylines("M 0 0 Q 1 1 2 2")


def test_feed_entries_keep_their_id_and_escape_article_text() -> None:
    base = item(1, "Acme <b>", 4e9, ["Mulhouse"])
    source = SourceRef(7, "https://news.example/a", "Titre <i>", "news", None, T0, "phrase", T0)
    later = replace(base, jobs=300, updated_at=T0.replace(day=20), sources=(source,))
    assert entry_id(base) == entry_id(later) and entry_id(base) != entry_id(replace(base, id=2))
    body = build_feed(
        [later],
        self_url="http://127.0.0.1/feed.atom",
        html_url="http://127.0.0.1/",
        entry_url=lambda i: f"http://127.0.0.1/announcements/{i}",
        lang="fr",
        t=labels("fr"),
    )
    assert atom_problems(body) == []
    parsed = feedparser.parse(body)
    assert not parsed.bozo and parsed.version == "atom10"
    entry = parsed.entries[0]
    assert entry.id == entry_id(base) and entry.updated.startswith("2024-05-20")
    assert entry.title == "Acme <b> — 4\u00a0Md€ (Choose France 2024)"
    assert re.search(r"&lt;b&gt;|&amp;lt;b&amp;gt;", body.decode()) and "<b>" not in body.decode()


def asgi_get(app: Any, path: str) -> tuple[int, dict[str, str], str]:
    """One GET through the ASGI interface itself: status, headers, body."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept-language", b"en")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body.decode()


def test_an_unexpected_error_is_a_short_page_and_the_trace_goes_to_the_log(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from starlette.routing import Route

    from newswatch.config import Config
    from web.app import create_app

    def broken(request: Any) -> Any:
        raise RuntimeError("secret detail of a bug")

    app = create_app(Config(database_url=sqlite_url), database(sqlite_url))
    # A route with a bug in it, as any route could have one.
    app.router.routes[:0] = [Route("/broken", broken), Route("/api/broken", broken)]
    status, headers, body = asgi_get(app, "/broken")
    assert status == 500 and "Internal server error" in body and "<html" in body
    assert "secret detail" not in body and "Traceback" not in body and "RuntimeError" not in body
    assert "default-src 'none'" in headers["content-security-policy"]
    status, _, body = asgi_get(app, "/api/broken")
    assert status == 500 and json.loads(body)["status"] == 500 and "secret detail" not in body
    assert "secret detail of a bug" in caplog.text and "internal error on GET /broken" in caplog.text
