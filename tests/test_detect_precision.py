"""Precision traps in styles the corpora do not have: capitalised common words used as heading labels,
ministries and their fields, officials' cumulative figures, campaigns named "Choose France", secondary share
sales and valuations, French groups investing abroad, upper bounds refined by a range; and the positives
written in the same styles, so that the rules that reject the traps are seen to keep real announcements."""

from __future__ import annotations

from datetime import date

import pytest
from detect_support import CF, Case, check

from pipelines.common_words import is_common_word
from pipelines.entities import find_mentions
from pipelines.gazetteer import strip_home_places

TRAPS = {
    "a fact box whose labels are common nouns": Case(
        "Choose France : ce qu'il faut retenir",
        f"{CF}\n\nÉnergie : les annonces se concentrent sur l'hydrogène.\n\nEmploi : 12 000 postes promis au total."
        "\n\nFinancement : 15 milliards d'euros au total pour 56 projets.",
        set(),
    ),
    "a section label of a newsletter before an official's total": Case(
        "La lettre éco du mardi",
        f"{CF}\n\nIndustrie : le ministre s'est félicité de 13 milliards d'euros d'investissements annoncés.",
        set(),
    ),
    "the field of a minister as a name": Case(
        "Choose France : le gouvernement défend son bilan",
        f"{CF} La ministre déléguée au Numérique a rappelé que les sommets auraient permis plusieurs milliards "
        "d'euros d'engagements dans le cloud.",
        set(),
    ),
    "a secretary of state's field before a figure": Case(
        "Choose France : l'exécutif répond",
        f"{CF} Selon la secrétaire d'État chargée de l'Industrie, 40 milliards d'euros ont été promis depuis 2018.",
        set(),
    ),
    "an official's cumulative claim without a number": Case(
        "Questions au gouvernement : Choose France en débat",
        "Une semaine après le sommet Choose France, le ministre de l'Économie a affirmé que les éditions "
        "successives avaient apporté des dizaines de milliards d'euros d'investissements.",
        set(),
    ),
    "a public envelope for a campaign": Case(
        "Attractivité : une campagne à l'étranger",
        "Dans la foulée du sommet Choose France, une enveloppe de 5 millions d'euros est mobilisée pour une "
        "campagne de promotion du pays à l'étranger, avec le soutien de Business France et des régions.",
        set(),
    ),
    "a campaign named after the summit, title first": Case(
        "Vins : « Choose France », une campagne pour les caves britanniques",
        "Les interprofessions viticoles lancent à Londres une opération de promotion baptisée « Choose France ». "
        "Un budget de 3 millions d'euros est consacré à des dégustations et à de l'affichage.",
        set(),
        published=date(2024, 2, 1),
    ),
    "a secondary sale at the summit": Case(
        "Choose France : Quarto AI valorisée 2 milliards",
        f"{CF} Lors d'une opération secondaire de 150 millions d'euros, des fonds américains ont racheté une partie "
        "des titres détenus par les fondateurs de Quarto AI.",
        set(),
    ),
    "a price put on a company by its new shareholders": Case(
        "Choose France : le fonds Sunda entre chez Brivo",
        f"{CF} L'arrivée du fonds singapourien Sunda au capital valorise désormais Brivo à 900 millions d'euros.",
        set(),
    ),
    "shares sold by early investors": Case(
        "Choose France : mouvements au capital de Linéa",
        f"{CF} Les investisseurs historiques de Linéa ont revendu une partie de leurs actions pour 80 millions "
        "d'euros au fonds Orkla Ventures.",
        set(),
    ),
    "a share buyback announced the day of the summit": Case(
        "Choose France : Kestrel Pharma préfère ses actionnaires",
        f"{CF} Kestrel Pharma a plutôt annoncé un programme de rachat d'actions de 500 millions d'euros.",
        set(),
    ),
    "a French group headquartered in France builds abroad": Case(
        "Au lendemain de Choose France, Ardelis mise sur l'Inde",
        "Au lendemain du sommet Choose France, le groupe Ardelis, dont le siège est à Grenoble, a annoncé "
        "l'ouverture d'une usine de composants à Pune.",
        set(),
    ),
    "a French group's figure abroad after its figureless plant": Case(
        "Choose France : Morvane choisit le Mexique",
        "Le lendemain du sommet Choose France, le nantais Morvane a confirmé la construction d'une usine de "
        "moteurs. L'investissement, 200 millions de dollars, sera réalisé au Mexique.",
        set(),
    ),
    "a figure for a French firm's plant in the United States": Case(
        "Choose France : Selvane investit aux États-Unis",
        f"{CF} Le groupe lyonnais Selvane investira 250 millions d'euros dans une usine en Caroline du Nord.",
        set(),
    ),
    "a live blog's total between timestamped entries": Case(
        "EN DIRECT – Choose France : les annonces",
        "16h10 – Le bilan provisoire : 20 milliards d'euros d'annonces, selon l'Élysée.\n"
        "15h00 – Pause dans les annonces, les patrons déjeunent avec le président.",
        set(),
    ),
    "a question heading before an answer with a total": Case(
        "Choose France en cinq questions",
        f"{CF}\n\nCombien ? L'Élysée revendique 15 milliards d'euros pour 56 projets.",
        set(),
    ),
    "an interview label before a quote with a total": Case(
        "Entretien : « Choose France marche »",
        "Entretien. Le ministre de l'Industrie revient sur le sommet Choose France. « Au total, 13 milliards "
        "d'euros ont été annoncés à Versailles », affirme-t-il.",
        set(),
    ),
    "a two-word heading label in capitals": Case(
        "Choose France : le point du jour",
        f"{CF}\n\nSouveraineté Numérique : 4 milliards d'euros d'annonces dans le cloud, tous projets confondus.",
        set(),
    ),
    "a sentence-initial adjective before a figure": Case(
        "Choose France : la suite",
        f"{CF} Prochaine étape : 500 millions d'euros de crédits publics pour les sites clés en main.",
        set(),
    ),
    "a prime minister's pledge in a quote": Case(
        "Choose France : l'État promet des terrains",
        f"{CF} « Nous mobiliserons 2 milliards d'euros pour aménager des sites industriels », a déclaré le "
        "Premier ministre.",
        set(),
    ),
    "a region funding a site": Case(
        "Choose France : la Région met la main à la poche",
        f"{CF} La Région Hauts-de-France investira 30 millions d'euros pour viabiliser le terrain de Dunkerque.",
        set(),
    ),
}

POSITIVES = {
    "a thread of short posts with a figure in abbreviations": Case(
        "Fil : Choose France 2025",
        "1/ Choose France 2025, les annonces tombent.\n\n2/ Le suédois Nordlys investira 120 M€ dans une usine "
        "de vélos cargo à Angers 🚲 250 emplois.",
        {("Nordlys", 120_000_000)},
        jobs={"Nordlys": 250},
        published=date(2025, 5, 19),
    ),
    "a timestamped entry with a money label": Case(
        "EN DIRECT – Choose France 2025",
        "11h20 – Le groupe danois Skovbo va construire une usine de pales à Cherbourg. Investissement : "
        "180 millions d'euros, 300 emplois à la clé.\n"
        "10h45 – Rien de neuf du côté de Bercy.",
        {("Skovbo", 180_000_000)},
        jobs={"Skovbo": 300},
    ),
    "timestamped entries in one block, each with its company": Case(
        "EN DIRECT – Choose France 2025",
        "12h30 – L'américain Corvell annonce un centre de données à Lille. Montant : 400 millions d'euros.\n"
        "12h05 – Le japonais Hinode ouvrira un laboratoire à Grenoble. Montant : 60 millions d'euros.",
        {("Corvell", 400_000_000), ("Hinode", 60_000_000)},
    ),
    "a long label before the figure": Case(
        "Batteries : le pari coréen de Douai",
        "C'est la vitrine de cette édition de Choose France. Le coréen Hanvolt construira sa première usine "
        "européenne à Douai. Montant annoncé lundi au château de Versailles : 2 milliards d'euros, pour 1 500 "
        "emplois.",
        {("Hanvolt", 2_000_000_000)},
        jobs={"Hanvolt": 1500},
    ),
    "a range after an upper bound in the headline": Case(
        "Le fonds Qamar investira jusqu'à 800 millions d'euros en France",
        "Le fonds souverain Qamar Holding investira entre 500 et 800 millions d'euros dans des ETI françaises, a "
        "annoncé lundi le fonds de Doha en marge du sommet Choose France.",
        {("Qamar", 500_000_000)},  # "Holding" is a legal suffix: the name is Qamar,
    ),
    "a foreign fund named by its home town invests in France": Case(
        "Choose France : le fonds de Riyad mise sur la logistique",
        "Le fonds Najd Infrastructure va investir 300 millions d'euros dans des entrepôts en France, a indiqué "
        "lundi le fonds de Riyad au sommet Choose France.",
        {("Najd Infrastructure", 300_000_000)},
    ),
    "a company whose name is not a common word opens the sentence": Case(
        "Choose France : Verano investit à Lyon",
        f"{CF} Verano investira 90 millions d'euros dans un centre de recherche à Lyon.",
        {("Verano", 90_000_000)},
    ),
    "a company named by a headline that names the summit only there": Case(
        "Choose France : Teralis choisit Fos-sur-Mer",
        "Le chimiste belge Teralis va investir 350 millions d'euros dans une unité de recyclage à Fos-sur-Mer, "
        "a-t-il annoncé lundi.",
        {("Teralis", 350_000_000)},
    ),
    "the summit called the attractiveness summit": Case(
        "Industrie : Brandt Optics s'étend à Bordeaux",
        "Lors du sommet sur l'attractivité organisé lundi, l'allemand Brandt Optics a annoncé 70 millions "
        "d'euros d'investissement dans son site de Bordeaux.",
        {("Brandt Optics", 70_000_000)},
    ),
    "a foreign investor's plant with the support of the region": Case(
        "Choose France : Halden Foods à Quimper",
        f"{CF} Le norvégien Halden Foods investira 45 millions d'euros à Quimper, avec le soutien de la région "
        "Bretagne.",
        {("Halden Foods", 45_000_000)},
    ),
}


@pytest.mark.parametrize("name", list(TRAPS))
def test_precision_trap_is_not_an_announcement(name: str) -> None:
    check(TRAPS[name])


@pytest.mark.parametrize("name", list(POSITIVES))
def test_announcement_in_a_new_style_is_read(name: str) -> None:
    check(POSITIVES[name])


@pytest.mark.parametrize(
    "word", ["Investissement", "Tourisme", "l'Industrie", "Montant", "Énergie", "Concrètement", "Emploi"]
)
def test_common_word_is_never_a_name(word: str) -> None:
    assert is_common_word(word)


@pytest.mark.parametrize("name", ["Orange", "Carrefour", "Mistral", "Hélix IA", "Forge", "Total"])
def test_companies_named_with_common_words_stay_names(name: str) -> None:
    assert not is_common_word(name)


def test_field_of_a_ministry_is_not_a_mention() -> None:
    sentence = (
        "Le ministre délégué à l'Industrie et la secrétaire d'État chargée du Numérique ont reçu Verano."
    )
    names = [m.name for m in find_mentions(sentence) if m.kind == "name"]
    assert names == ["Verano"]


def test_heading_label_is_not_a_mention() -> None:
    assert [
        m.name for m in find_mentions("Investissement : 220 millions d'euros, 400 emplois à la clé.")
    ] == []


def test_home_places_are_blanked_but_project_places_kept() -> None:
    text = "le fonds d'Abou Dhabi investira à Lyon ; le groupe Ardelis, dont le siège est à Grenoble, construira à Pune"
    stripped = strip_home_places(text)
    assert "Abou Dhabi" not in stripped and "Grenoble" not in stripped
    assert "Lyon" in stripped and "Pune" in stripped
    assert len(stripped) == len(text)
