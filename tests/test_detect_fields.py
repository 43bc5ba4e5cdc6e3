"""Fields users read: which places, jobs and sector an announcement gets (pipelines.placement, sectors)."""

from __future__ import annotations

from datetime import date

from pipelines.detect import Investment, detect
from pipelines.placement import about_other_subject, refers_to_project, strip_institutions
from pipelines.sectors import project_sector

PUBLISHED = date(2025, 5, 19)


def _one(text: str, title: str = "Choose France : une nouvelle usine") -> Investment:
    found = detect(text, title=title, published=PUBLISHED).announced
    assert len(found) == 1, found
    return found[0]


def test_filler_sentences_about_an_ecosystem_or_an_event_add_no_place() -> None:
    inv = _one(
        "À l'occasion du sommet Choose France 2025 organisé au château de Versailles, Vestmark Logistics "
        "a confirmé un projet de 750 millions d'euros à Valenciennes.\n\n"
        "L'écosystème de Lyon compte désormais plusieurs centaines de jeunes entreprises innovantes.\n\n"
        "Le salon VivaTech, organisé chaque année à Paris, sert souvent de vitrine à ce type d'annonces."
    )
    assert inv.locations == ["Valenciennes"]


def test_a_sentence_naming_the_investor_places_it_even_far_from_the_evidence() -> None:
    inv = _one(
        "Le groupe suédois Brennvik a annoncé lundi au sommet Choose France un investissement de 200 millions "
        "d'euros.\n\nLe marché de l'emballage progresse.\n\nLes élus saluent une bonne nouvelle.\n\n"
        "Brennvik construira son usine à Saint-Quentin, dans l'Aisne."
    )
    assert "Saint-Quentin" in inv.locations


def test_the_project_referred_to_in_the_next_paragraph_places_it() -> None:
    inv = _one(
        "Le groupe suédois Brennvik a annoncé lundi au sommet Choose France un investissement de 200 millions "
        "d'euros.\n\nLe futur site sera implanté à Douai."
    )
    assert inv.locations == ["Douai"]


def test_a_pronoun_three_paragraphs_later_does_not_place_it() -> None:
    inv = _one(
        "Le groupe suédois Brennvik a annoncé lundi au sommet Choose France un investissement de 200 millions "
        "d'euros à Douai.\n\nLes collectivités se mobilisent.\n\nLe marché reste porteur.\n\n"
        "Selon un analyste, il faudra aussi regarder Toulouse."
    )
    assert inv.locations == ["Douai"]


def test_existing_sites_headquarters_and_competing_sites_are_not_the_project() -> None:
    inv = _one(
        "Le groupe suédois Brennvik, dont le siège est à Lyon, a annoncé lundi au sommet Choose France un "
        "investissement de 200 millions d'euros pour une usine à Douai.\n\n"
        "Brennvik est déjà présent à Rennes. Le projet était en concurrence avec Metz."
    )
    assert inv.locations == ["Douai"]


def test_a_region_funding_the_project_or_a_school_is_an_institution_not_a_site() -> None:
    inv = _one(
        "Le groupe suédois Brennvik a annoncé lundi au sommet Choose France un investissement de 200 millions "
        "d'euros pour une usine à Douai (Nord).\n\n"
        "La Région Hauts-de-France accompagnera le projet, qui recrutera avec l'université de Lille."
    )
    assert inv.locations == ["Douai", "Nord"]


def test_customers_and_energy_sources_do_not_place_the_project() -> None:
    inv = _one(
        "Le fonds singapourien Merak annonce au sommet Choose France 1 milliard d'euros pour un campus de "
        "data centers à Dunkerque, alimenté par l'électricité de la centrale de Gravelines.\n\n"
        "Le site produira des films à destination des industriels de Normandie."
    )
    assert inv.locations == ["Dunkerque"]


def test_rule_helpers_read_references_subjects_and_institutions() -> None:
    assert refers_to_project("La future usine emploiera 300 personnes à Metz.")
    assert refers_to_project("Il y installera 80 chercheurs.")
    assert not refers_to_project("Le marché du verre progresse partout en Europe.")
    assert about_other_subject("L'écosystème de Lyon compte des centaines de start-up.")
    assert about_other_subject("Le groupe exploite déjà une usine à Rouen.")
    assert not about_other_subject("L'usine sera construite à Rouen.")
    assert "Bretagne" not in strip_institutions("avec le soutien de la Région Bretagne")
    assert "Rennes" not in strip_institutions("des ingénieurs formés à l'université de Rennes")


def test_jobs_are_the_new_ones_not_the_existing_workforce() -> None:
    inv = _one(
        "Le groupe suédois Brennvik a annoncé lundi au sommet Choose France un investissement de 200 millions "
        "d'euros pour agrandir son usine de Douai, qui créera 150 emplois.\n\n"
        "Le site emploie aujourd'hui 900 salariés."
    )
    assert inv.jobs == 150


def test_sector_comes_from_the_project_words_before_the_article() -> None:
    inv = _one(
        "Le groupe coréen Hanwol va investir 2 milliards d'euros dans une usine de batteries à Douai, "
        "a-t-il annoncé au sommet Choose France.\n\n"
        "Les constructeurs automobiles et l'agroalimentaire de la région attendent ces cellules."
    )
    assert inv.sector == "batteries"


def test_a_data_centre_is_not_tagged_from_an_unrelated_sentence() -> None:
    inv = _one(
        "L'opérateur américain Northbeam va investir 1 milliard d'euros pour un centre de données à Marseille, "
        "a-t-il annoncé au sommet Choose France.\n\n"
        "La région est aussi connue pour son industrie agroalimentaire."
    )
    assert inv.sector is not None and inv.sector.startswith("data centers")
    assert "agroalimentaire" not in inv.sector


def test_article_keywords_decide_only_when_the_project_words_say_nothing() -> None:
    assert project_sector([["pour une usine à Douai"], [], ["le laboratoire pharmaceutique"]]) == "pharmacie"
    assert project_sector([["pour une usine à Douai"], [], []]) == "industrie"
    assert project_sector([["une usine de puces pour les constructeurs automobiles"]]).startswith(
        "semi-conducteurs"
    )
