"""Who a text names and what each name is: organisations, people, places and everything else, typed from
what the whole article says of them; descriptors and pronouns; places from the French geography."""

from __future__ import annotations

import pytest

from pipelines.detect.discourse import compatible
from pipelines.detect.entities import sentence_mentions
from pipelines.detect.entity_types import Typer
from pipelines.detect.places import find_places, not_project_places, resolve


def _mentions(*sentences: str) -> list[list[tuple[str, str, str]]]:
    typer = Typer.read(list(sentences))
    types = {k: typer.type_of(k) for k in typer.evidence}
    return [
        [(m.kind, m.surface, m.type) for m in sentence_mentions(s, raws, types)]
        for s, raws in zip(sentences, typer.names, strict=True)
    ]


def test_an_institution_name_is_captured_whole() -> None:
    (found,) = _mentions(
        "Selon nos informations, la Caisse Boréale de prévoyance, qui gère l'épargne, prévoit d'investir."
    )
    assert ("name", "Caisse Boréale de prévoyance", "UNK") in found


def test_a_ministry_field_and_a_heading_label_are_no_company() -> None:
    (minister,) = _mentions(
        "Le ministre délégué à l'Industrie et la secrétaire d'État chargée du Numérique ont reçu Verano."
    )
    assert [s for k, s, t in minister if t in ("ORG", "UNK")] == ["Verano"]
    (label,) = _mentions("Investissement : 220 millions d'euros, 400 emplois à la clé.")
    assert [s for k, s, t in label if t in ("ORG", "UNK")] == []


def test_people_are_typed_by_titles_roles_and_first_names() -> None:
    first, later = _mentions(
        "Le footballeur Kylian Mbappé a salué l'arrivée du groupe.", "Mbappé investira aussi dans un club."
    )
    assert ("name", "Kylian Mbappé", "PER") in first
    assert ("name", "Mbappé", "PER") in later
    (role,) = _mentions("« Nous sommes prêts », explique Anne Durand, directrice générale de Kestrel.")
    assert ("name", "Anne Durand", "PER") in role
    # An occupation apposed to the name describes a person, whatever words about a trade follow it.
    (guest,) = _mentions("Avec nous, Solène Guérard, journaliste spécialiste de l'énergie.")
    assert ("name", "Solène Guérard", "PER") in guest
    (lawyer,) = _mentions("Selon Bertrand Ollier, avocat spécialiste des fusions, le dossier avance.")
    assert ("name", "Bertrand Ollier", "PER") in lawyer


def test_a_small_commune_is_a_place_only_where_the_article_uses_it_as_one() -> None:
    (company,) = _mentions("Richemont mise sur les métiers d'art.")
    assert ("name", "Richemont", "UNK") in company
    place, subject = _mentions(
        "Le projet sera construit à Richemont, en Moselle.", "Richemont accueillera le site."
    )
    assert ("name", "Richemont", "LOC") in subject


def test_a_descriptor_in_apposition_makes_a_company_and_gives_its_nationality() -> None:
    typer = Typer.read(["Le groupe suédois Mars Nordic investira.", "Mars investira à Lyon."])
    types = {k: typer.type_of(k) for k in typer.evidence}
    (m,) = [
        m
        for m in sentence_mentions("Le groupe suédois Mars Nordic investira.", typer.names[0], types)
        if m.kind == "name"
    ]
    assert (m.type, m.nationality, m.role) == ("ORG", "suédois", "subject")


@pytest.mark.parametrize(
    ("known", "said", "fits"),
    [
        ("suédois", "scandinave", True), ("japonais", "asiatique", True), ("coréen", "coréen", True),
        ("américain", "allemand", False), ("suédois", "asiatique", False), (None, "scandinave", True),
    ],
)  # fmt: skip
def test_descriptor_nationalities_fit_the_company_or_its_region(
    known: str | None, said: str, fits: bool
) -> None:
    assert compatible(known, said) is fits


def test_places_in_france_and_abroad_with_their_region() -> None:
    refs = find_places("une usine à Lamballe (Côtes-d’Armor), au Havre, à Kerdroniou et à Cherbourg")
    assert [(r.surface, r.place.region if r.place else None) for r in refs] == [
        ("Lamballe", "Bretagne"), ("Côtes-d’Armor", "Bretagne"), ("Le Havre", "Normandie"), ("Kerdroniou", None),
        ("Cherbourg", "Normandie"),
    ]  # fmt: skip
    # A town abroad no table lists, named beside a place abroad, is no French place.
    abroad = find_places("une usine près de Legnica, en Basse-Silésie")
    assert [(r.surface, r.foreign) for r in abroad] == [("Basse-Silésie", True)]
    assert [p.region for p in resolve(["Dunkerque", "Nord"])] == ["Hauts-de-France", "Hauts-de-France"]
    assert find_places("un entrepôt en région parisienne")[0].place.region == "Île-de-France"  # type: ignore[union-attr]


def test_home_places_institutions_and_suppliers_are_blanked_but_project_places_kept() -> None:
    text = (
        "le fonds d'Abou Dhabi investira à Lyon ; le groupe Ardelis, dont le siège est à Grenoble, construira à "
        "Pune avec l'université de Rennes, alimenté par la centrale de Gravelines"
    )
    kept = not_project_places(text)
    assert len(kept) == len(text)
    assert "Lyon" in kept and "Pune" in kept
    assert not any(name in kept for name in ("Abou Dhabi", "Grenoble", "Rennes", "Gravelines"))
