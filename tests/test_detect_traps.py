"""Figures that look like announcements and are not, in the styles the new rules read (transcripts, quotes,
tables, clefts, telegraphic labels), and the building blocks of those rules on their own."""

from __future__ import annotations

from datetime import date

import pytest
from detect_support import CF, Case, check

from pipelines.entities import find_mentions
from pipelines.speakers import split_speaker, transcript_labels
from pipelines.tables import rewrite_tables

TRAPS = {
    "a founder's raise in a transcript": Case(
        "Entretien avec la fondatrice de Qubix",
        f"{CF}\n\nJOURNALISTE — Vous étiez à Versailles ?\n\nFONDATRICE DE QUBIX — Oui. Nous avons levé 40 millions "
        "d'euros le mois dernier auprès de fonds américains.\n\nJOURNALISTE — Merci.",
        set(),
    ),
    "a chief executive's investment abroad in a transcript": Case(
        "Entretien avec le PDG de Daesan",
        f"{CF}\n\nJOURNALISTE — Et la France ?\n\nPDG DE DAESAN — Rien cette année. Nous investissons 2 milliards "
        "d'euros aux États-Unis.\n\nJOURNALISTE — Merci.",
        set(),
    ),
    "turnover in a transcript": Case(
        "Entretien avec le PDG de Daesan",
        f"{CF}\n\nJOURNALISTE — Votre groupe ?\n\nPDG DE DAESAN — Nous réalisons 3 milliards d'euros de chiffre "
        "d'affaires, dont un tiers en Europe.\n\nJOURNALISTE — Merci.",
        set(),
    ),
    "a raise denied any tie in an interview": Case(
        "Qubix lève 40 millions",
        "QUESTION — Vous levez 40 millions d'euros. Est-ce lié à Choose France ?\n\nFONDATRICE DE QUBIX — Pas du "
        "tout. Nous avons levé ces 40 millions d'euros auprès de fonds américains, rien à voir avec Versailles.",
        set(),
    ),
    "turnover in a quote": Case(
        "Choose France : Nordvik",
        f"{CF} « Nous réalisons 3 milliards d'euros de chiffre d'affaires », explique le PDG de Nordvik Wind.",
        set(),
    ),
    "an investment abroad in a quote": Case(
        "Choose France : Nordvik",
        f"{CF} « Nous investirons 2 milliards d'euros au Texas », a déclaré le PDG de Nordvik Wind.",
        set(),
    ),
    "a past investment in a quote": Case(
        "Nordvik France : un exercice record",
        "La filiale française du norvégien Nordvik Wind a publié mardi des comptes record. « Nous avons réalisé 400 "
        "millions d'euros de chiffre d'affaires en France », se félicite son directeur général. « Nous avons déjà "
        "investi 120 millions d'euros dans notre usine de Saint-Nazaire depuis 2016 », ajoute-t-il. Le groupe était "
        "présent au sommet Choose France l'an dernier, sans y faire d'annonce.",
        set(),
        published=date(2024, 9, 10),
    ),
    "ten years of investment told": Case(
        "Nordvik, dix ans en France",
        "Présent au sommet Choose France, Nordvik Wind a investi 500 millions d'euros en France au cours des dix "
        "dernières années. Le groupe n'a rien annoncé de nouveau lundi.",
        set(),
    ),
    "a takeover price in a quote": Case(
        "Halden rachète Biosphère",
        "Trois jours avant le sommet Choose France, le fonds américain Halden Partners a annoncé l'acquisition du "
        "lyonnais Biosphère. « Nous mettons 450 millions d'euros sur la table pour Biosphère », a déclaré son "
        "associé gérant.",
        set(),
    ),
    "a cleft on a market value": Case(
        "Choose France : Nordvik", f"{CF} C'est 3 milliards d'euros que pèse Nordvik Wind en Bourse.", set()
    ),
    "clefts on the summit total and on a raise": Case(
        "Choose France : le bilan",
        "C'est 15 milliards d'euros que revendique l'Élysée pour cette édition du sommet Choose France. C'est 20 "
        "millions d'euros qu'a levés la start-up Qubix, sans lien avec le sommet.",
        set(),
    ),
    "a telegraphic label on the edition's total": Case(
        "La lettre #12",
        "Hello,\n\nAu #ChooseFrance summit, la scale-up Quantix Labs a présenté son lab de Palaiseau. Le chiffre : "
        "15 milliards d'euros pour toute l'édition.",
        set(),
    ),
    "a figure whose subject comes later is the State's": Case(
        "Choose France : Nordvik",
        f"{CF} Nordvik Wind a présenté son usine de Saint-Nazaire. 50 millions d'euros pour la formation : c'est ce "
        "que l'État débloquera.",
        set(),
    ),
    "a table of editions": Case(
        "Choose France : les éditions",
        f"{CF}\n\nÉdition | Montant | Projets\n2022 | 6,7 Md€ | 14\n2023 | 13 Md€ | 28\n2024 | 15 Md€ | 56",
        set(),
    ),
    "a table of turnover": Case(
        "Choose France : qui sont-ils ?",
        f"{CF}\n\nGroupe | Chiffre d'affaires | Effectifs\nNordvik Wind | 3 Md€ | 5 000\nDaesan Energy | 12 Md€ | "
        "20 000",
        set(),
    ),
    "a table of turnover with a year in its header": Case(
        "Choose France", f"{CF}\n\nGroupe | CA 2023 | Salariés\nNordvik Wind | 3 Md€ | 5 000", set()
    ),
    "a table of regions": Case(
        "Choose France",
        f"{CF}\n\nRégion | Montant | Projets\nHauts-de-France | 4 Md€ | 12\nGrand Est | 2 Md€ | 8",
        set(),
    ),
    "the edition's total after a company's figure": Case(
        "Choose France",
        f"{CF} Nordvik Wind a annoncé 300 millions d'euros à Saint-Nazaire, portant le total de l'édition à 15 "
        "milliards d'euros.",
        {("Nordvik Wind", 300e6)},
    ),
    "a company among the summit's total": Case(
        "Choose France",
        f"{CF} Nordvik Wind, l'un des 56 groupes présents, dont les annonces totalisent 15 milliards d'euros, "
        "investira 300 millions d'euros à Saint-Nazaire.",
        {("Nordvik Wind", 300e6)},
    ),
    "two companies' joint total": Case(
        "Choose France",
        f"{CF} Nordvik Wind et Daesan Energy investiront au total 2 milliards d'euros dans le Nord.",
        set(),
    ),
    "a grant from a public plan": Case(
        "Choose France",
        f"{CF} Nordvik Wind recevra 40 millions d'euros du plan France 2030 pour son usine de Saint-Nazaire.",
        set(),
    ),
    "a regional aid at a share of the project": Case(
        "Choose France : Nordvik",
        f"{CF} Nordvik Wind investira 300 millions d'euros à Saint-Nazaire. La Région Pays de la Loire "
        "accompagnera le projet à hauteur de 12 millions d'euros.",
        {("Nordvik Wind", 300e6)},
    ),
    "a denial": Case(
        "Choose France : Redwood dément",
        "À l'approche du sommet Choose France, Redwood Logistics dément vouloir investir 1 milliard d'euros en "
        "France.",
        set(),
    ),
    "a takeover at the summit": Case(
        "Choose France : un rachat",
        "En marge du sommet Choose France, le fonds américain Halden Partners a annoncé le rachat du fabricant "
        "lyonnais Biosphère pour 450 millions d'euros.",
        set(),
    ),
    "a French group abroad": Case(
        "Choose France : l'envers du décor",
        "Pendant le sommet Choose France, le français Verdane Industries a annoncé 500 millions d'euros "
        "d'investissement dans une usine au Mexique.",
        set(),
    ),
    "an op-ed counting past editions": Case(
        "Tribune : Choose France, la grande illusion",
        "Chaque année, le sommet Choose France promet des milliards. En 2022, 6,7 milliards d'euros avaient été "
        "annoncés ; en 2023, 13 milliards. Mais combien d'usines ont vraiment ouvert ? Le projet de Daesan Energy à "
        "Douai, annoncé en 2023 pour 1,5 milliard d'euros, n'a toujours pas démarré.",
        set(),
        published=date(2024, 5, 10),
    ),
    "the AI summit": Case(
        "Sommet IA : 109 milliards",
        "Lors du Sommet pour l'action sur l'IA, en février, le fonds émirien Oasis Partners a promis 30 milliards "
        "d'euros pour un campus d'IA en France. Rien à voir avec Choose France, qui se tiendra en mai.",
        set(),
        published=date(2025, 2, 11),
    ),
    "an attractiveness barometer": Case(
        "Baromètre EY : la France reste en tête",
        "Selon le baromètre EY publié à la veille du sommet Choose France, la France a accueilli 1 194 projets "
        "d'investissement étrangers en 2023, créant 40 000 emplois. Les projets industriels représentent 500 "
        "implantations.",
        set(),
    ),
}


@pytest.mark.parametrize("case", list(TRAPS.values()), ids=list(TRAPS))
def test_trap(case: Case) -> None:
    check(case)


def test_speaker_labels_are_stripped_only_in_transcripts() -> None:
    turns = ["JOURNALISTE — Bonjour.", "PDG D'IBERLUX — Nous investirons.", "JOURNALISTE — Merci."]
    labels = transcript_labels(turns)
    assert labels == {"JOURNALISTE", "PDG D'IBERLUX"}
    turn = split_speaker(turns[1], labels)
    assert (turn.text, turn.org, turn.interviewer) == ("Nous investirons.", "IBERLUX", False)
    assert split_speaker(turns[0], labels).interviewer
    # A lone capitalised head is a list item, not a speaker.
    assert transcript_labels(["IBM : 500 M€ à Paris.", "Le groupe recrute."]) == frozenset()


def test_a_table_becomes_list_items_and_its_total_row_plain_cells() -> None:
    text = (
        "Investisseur | Montant | Site | Emplois\n|---|---|---|---|\n"
        "Nordvik Wind | 300 M€ | Saint-Nazaire | 250\nTotal | 15 Md€ | — | —\n"
        "Accueil | Économie | Régions"
    )
    assert rewrite_tables(text).split("\n") == [
        "- Nordvik Wind : 300 M€ à Saint-Nazaire, 250 emplois.",
        "- Total : 15 Md€.",
        "Accueil | Économie | Régions",
    ]


def test_a_place_in_a_descriptor_and_partners_in_a_clause() -> None:
    home = find_mentions("La société de Pittsburgh investira 220 millions d'euros.")
    assert [(m.kind, m.name) for m in home] == [("descriptor", None)]
    partners = find_mentions("Le centre travaillera en partenariat avec Okada Labs et Kessler Bau.")
    assert {m.name: m.rank for m in partners} == {"Okada Labs": 2, "Kessler Bau": 2}
