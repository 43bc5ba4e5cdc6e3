"""The offline French geography: every commune with its département and région, found in text."""

from __future__ import annotations

import pytest

from newswatch.geo import Geography, geography, place_key


@pytest.fixture(scope="module")
def geo() -> Geography:
    return geography()


def test_the_table_holds_every_commune_departement_and_region(geo: Geography) -> None:
    regions = geo.regions()
    assert {"Hauts-de-France", "Île-de-France", "Occitanie", "Corse", "La Réunion"} <= set(regions.values())
    # Metropolitan and overseas communes: the 2026 COG counts about 34,900.
    communes = {p.commune_code for key in ("Saint-Aubin", "Sainte-Colombe") for p in geo.candidates(key)}
    assert len(communes) >= 10
    for dep in ("Nord", "Ain", "Corse-du-Sud", "Guadeloupe", "Territoire de Belfort"):
        assert any(p.kind == "departement" for p in geo.candidates(dep)), dep


@pytest.mark.parametrize(
    ("name", "commune", "departement", "region"),
    [
        ("Dunkerque", "59183", "Nord", "Hauts-de-France"),
        ("Onnaing", "59447", "Nord", "Hauts-de-France"),
        ("Fos-sur-Mer", "13039", "Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur"),
        ("Saint-Étienne", "42218", "Loire", "Auvergne-Rhône-Alpes"),
        ("St-Etienne", "42218", "Loire", "Auvergne-Rhône-Alpes"),
        ("SAINT ETIENNE", "42218", "Loire", "Auvergne-Rhône-Alpes"),
        ("Paris", "75056", "Paris", "Île-de-France"),
        ("Les Sables-d'Olonne", "85194", "Vendée", "Pays de la Loire"),
        ("Ajaccio", "2A004", "Corse-du-Sud", "Corse"),
        ("Saint-Nazaire", "44184", "Loire-Atlantique", "Pays de la Loire"),
    ],
)
def test_a_commune_resolves_to_its_insee_code_departement_and_region(
    geo: Geography, name: str, commune: str, departement: str, region: str
) -> None:
    place = geo.resolve(name)
    assert place is not None
    assert (place.kind, place.commune_code, place.departement, place.region) == (
        "commune",
        commune,
        departement,
        region,
    )


def test_small_villages_are_places_too(geo: Geography) -> None:
    # A closed list of big cities misses these; the open table has every commune, however small.
    for village in ("Saint-Vulbas", "Béthencourt-sur-Mer", "Chalampé", "Y"):
        place = geo.resolve(village)
        assert place is not None and place.kind == "commune" and place.population is not None, village
        assert place.population < 5000


def test_a_homonym_commune_is_chosen_by_the_departement_named_beside_it(geo: Geography) -> None:
    biggest = geo.resolve("Saint-Aubin")
    assert biggest is not None
    in_essonne = geo.resolve("Saint-Aubin", hints=["Essonne"])
    assert (
        in_essonne is not None
        and in_essonne.departement == "Essonne"
        and in_essonne.region == "Île-de-France"
    )
    in_the_landes = geo.resolve("Saint-Aubin", hints=["Nouvelle-Aquitaine"])
    assert in_the_landes is not None and in_the_landes.region == "Nouvelle-Aquitaine"
    # Saint-Denis (La Réunion) is bigger; beside "Seine-Saint-Denis" the other one is meant.
    assert geo.resolve("Saint-Denis", hints=["Seine-Saint-Denis"]).commune_code == "93066"  # type: ignore[union-attr]


def test_former_communes_and_arrondissements_are_placed_at_their_commune(geo: Geography) -> None:
    cherbourg = geo.resolve("Cherbourg-Octeville")
    assert (
        cherbourg is not None
        and cherbourg.commune == "Cherbourg-en-Cotentin"
        and cherbourg.departement == "Manche"
    )
    lyon3 = geo.resolve("Lyon 3e Arrondissement")
    assert lyon3 is not None and lyon3.commune == "Lyon" and lyon3.commune_code == "69123"


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Hauts-de-France", "32"),
        ("hauts de france", "32"),
        ("Nord-Pas-de-Calais", "32"),
        ("Picardie", "32"),
        ("Alsace", "44"),
        ("région parisienne", "11"),
        ("PACA", "93"),
        ("Rhône-Alpes", "84"),
        ("Midi-Pyrénées", "76"),
    ],
)
def test_a_region_is_known_by_its_official_former_and_short_names(
    geo: Geography, name: str, region: str
) -> None:
    assert geo.region_code(name) == region


def test_economic_areas_that_are_no_commune_are_placed_in_their_departement(geo: Geography) -> None:
    saclay = geo.resolve("Paris-Saclay")
    assert saclay is not None and (saclay.kind, saclay.departement, saclay.region) == (
        "area",
        "Essonne",
        "Île-de-France",
    )
    valenciennois = geo.resolve("Valenciennois")
    assert valenciennois is not None and valenciennois.region == "Hauts-de-France"


def test_a_departement_named_like_a_commune_elsewhere_is_the_departement(geo: Geography) -> None:
    vienne = geo.resolve("Vienne")
    assert vienne is not None and vienne.kind == "departement" and vienne.departement_code == "86"
    commune = next(p for p in geo.candidates("Vienne") if p.kind == "commune")
    assert commune.departement == "Isère"


def test_scan_finds_multiword_names_with_their_spans_and_locative_cue(geo: Geography) -> None:
    text = (
        "Toyota investira à Onnaing (Nord), le groupe Orange à Saint-Quentin-en-Yvelines, "
        "et Le Havre accueillera une usine en Provence-Alpes-Côte d'Azur."
    )
    found = {m.surface: m for m in geo.scan(text)}
    assert list(found) == [
        "Onnaing",
        "Nord",
        "Orange",
        "Saint-Quentin-en-Yvelines",
        "Le Havre",
        "Provence-Alpes-Côte d'Azur",
    ]
    for mention in found.values():
        assert text[mention.start : mention.end] == mention.surface
    assert found["Onnaing"].locative and found["Nord"].locative
    # "le groupe Orange": a company, as far as the words before it tell; the reader decides.
    assert not found["Orange"].locative
    assert found["Saint-Quentin-en-Yvelines"].places[0].departement == "Yvelines"


def test_scan_ignores_lower_case_words_and_stops_a_name_at_punctuation(geo: Geography) -> None:
    assert geo.scan("une orange, une nice idée") == []
    names = [m.surface for m in geo.scan("Lyon, Grenoble. Nantes")]
    assert names == ["Lyon", "Grenoble", "Nantes"]


def test_place_key_folds_accents_case_hyphens_and_saint() -> None:
    assert place_key("Saint-Étienne") == place_key("st etienne") == "saint etienne"
    assert place_key("L'Isle-d'Abeau") == "l isle d abeau"
    assert place_key("Île-de-France") == "ile de france"
