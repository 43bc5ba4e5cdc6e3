"""General gates of the detector, each proved on sentences written for these tests (none from a corpus):
number words, places as investors, public aid, fundraising, summit totals, menu names, press-kit fields,
pledges without a figure."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines import gates
from pipelines.amounts import find_money
from pipelines.detect import detect
from pipelines.numwords import parse_word_number
from pipelines.tables import rewrite_tables

SUMMIT = "Le sommet Choose France s'est tenu lundi au château de Versailles."
DAY = date(2024, 5, 14)


def _read(body: str, title: str = "Choose France : les annonces du jour") -> list[tuple[str, float | None]]:
    found = detect(f"{SUMMIT}\n\n{body}", title=title, published=DAY)
    return [(i.investor, i.amount_eur) for i in found.announced]


# --- 1. number words -------------------------------------------------------------------------------
_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]  # noqa: SIM905
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int) -> str:
    """French spelling written independently of the parser (traditional hyphens, 1990 rules aside)."""
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        ten, unit = divmod(n, 10)
        return _TENS[ten] + ("" if unit == 0 else " et un" if unit == 1 else "-" + _UNITS[unit])
    if n < 80:
        return "soixante" + (" et onze" if n == 71 else "-" + _below_hundred(n - 60))
    if n == 80:
        return "quatre-vingts"
    return "quatre-vingt-" + _below_hundred(n - 80)


def _spell(n: int) -> str:
    if n < 100:
        return _below_hundred(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else _UNITS[hundreds] + (" cents" if rest == 0 else " cent")
        return head + (
            "" if rest == 0 else " " + _below_hundred(rest).replace("quatre-vingts", "quatre-vingts")
        )
    thousands, rest = divmod(n, 1000)
    spelled = _spell(thousands)
    if spelled.endswith(("cents", "vingts")):
        spelled = spelled[:-1]  # "deux cent mille", "quatre-vingt mille"
    head = "mille" if thousands == 1 else spelled + " mille"
    return head + ("" if rest == 0 else " " + _spell(rest))


def test_every_number_below_a_million_spelled_in_french_reads_back() -> None:
    wrong = [(n, _spell(n), parse_word_number(_spell(n))) for n in range(1_000_000) if n % 7 == 0 or n < 2000]
    assert [w for w in wrong if w[0] != w[2]] == []


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("soixante-dix", 70), ("soixante et onze", 71), ("soixante-dix-neuf", 79), ("quatre-vingts", 80),
        ("quatre-vingt", 80), ("quatre-vingt-un", 81), ("quatre-vingt-dix", 90), ("quatre-vingt-dix-sept", 97),
        ("cent", 100), ("cents", 100), ("deux cents", 200), ("deux cent cinquante", 250),
        ("trois cent quatre-vingts", 380), ("mille", 1000), ("deux mille trois cents", 2300),
        ("un million", 1_000_000), ("trois milliards", 3_000_000_000),
        ("un milliard deux cents millions", 1_200_000_000), ("septante-cinq", 75), ("nonante", 90),
    ],
)  # fmt: skip
def test_french_number_words_read_as_their_value(words: str, value: int) -> None:
    assert parse_word_number(words) == value


@pytest.mark.parametrize(
    "words",
    ["deux trois", "vingt trente", "cent cent", "dix un", "vingts", "mille mille", "millions milliards"],
)
def test_word_lists_that_are_no_number_read_as_none(words: str) -> None:
    assert parse_word_number(words) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("quatre-vingts millions d'euros", 80e6), ("quatre-vingt-dix millions d'euros", 90e6),
        ("soixante-dix millions d'euros", 70e6), ("deux cent cinquante millions d'euros", 250e6),
        ("trois milliards et demi d'euros", 3.5e9), ("un milliard deux cents millions d'euros", 1.2e9),
        ("1 milliard 300 millions d'euros", 1.3e9), ("cent vingt millions d’euros", 120e6),
    ],
)  # fmt: skip
def test_money_in_number_words_has_its_full_value(text: str, value: float) -> None:
    found = find_money(f"Le groupe mettra {text} sur la table.")
    assert [m.value for m in found] == [value]


def test_an_announcement_in_number_words_keeps_the_spelled_amount() -> None:
    body = (
        "Le brasseur danois Holmgaard va consacrer quatre-vingt-dix millions d'euros à une malterie à Reims."
    )
    assert _read(body) == [("Holmgaard", 90e6)]


# --- 2. a place never invests ---------------------------------------------------------------------
def test_a_town_after_a_in_a_headline_is_no_investor() -> None:
    title = "Kerrigan Motors à Trévanec : 240 millions d'euros et 500 emplois annoncés à Versailles"
    body = "Kerrigan Motors va investir 240 millions d'euros dans son usine de Trévanec, en Bretagne."
    investors = [name for name, _ in _read(body, title)]
    assert "Trévanec" not in investors
    assert investors == ["Kerrigan Motors"]


def test_a_company_after_consacree_a_is_still_a_company() -> None:
    body = (
        "Dans la liste, la ligne consacrée à Pellworth Composites, un fabricant irlandais de pièces, "
        "affiche un investissement de 40 millions d'euros pour une unité à Tarbes."
    )
    assert _read(body) == [("Pellworth Composites", 40e6)]


# --- 3. public aid -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "Brenvale Bio, à Saint-Lô (Manche) : aide de 7 millions d'euros pour une ligne de flacons.",
        "Lauréate de l'appel à projets, la société Osmira investira 12 millions d'euros à Lannion.",
        "Tecvaldo recevra une subvention de 5 millions d'euros pour son usine de Brive.",
        "Grâce à un prêt de Bpifrance, Lunaris financera 8 millions d'euros d'équipements à Laval.",
        "Dans le cadre de France 2030, Ferrovane investira 15 millions d'euros à Belfort.",
    ],
)
def test_public_aid_figures_are_never_announcements(sentence: str) -> None:
    assert _read(sentence) == []


def test_a_list_of_grant_recipients_yields_nothing() -> None:
    body = (
        "L'État a dévoilé les lauréats de son programme de relocalisation.\n\n"
        "Medvalis, à Nantes : aide de 3 millions d'euros pour un atelier stérile.\n\n"
        "Pharmarel, à Pau : aide de 2,5 millions d'euros pour une ligne de gélules."
    )
    assert _read(body) == []


# --- 4. fundraising ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "Nantes : Vélocia boucle 18 M€ pour son vélo cargo.",
        "La start-up Orbelle lève 22 millions d'euros lors d'un tour de table mené par un fonds suédois.",
        "Qwerion annonce une levée de fonds de 40 M€ en série B.",
        "Avec ces 9 millions d'euros, Dendrio finance son développement en Europe.",
    ],
)
def test_fundraising_rounds_are_not_announcements(sentence: str) -> None:
    assert _read(sentence) == []


def test_a_round_tied_to_the_summit_in_the_same_sentence_may_count() -> None:
    assert gates.fundraising("La jeune pousse lève 30 M€ auprès d'un fonds canadien.")
    assert not gates.fundraising("Annoncé à Choose France, le fonds lève 300 M€ pour investir en France.")


def test_a_vc_fund_deploying_money_in_series_b_startups_is_no_fundraising() -> None:
    assert not gates.fundraising("Le fonds déploiera 100 M€ dans des scale-ups en Series B et C.")


# --- 5. summit totals ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        ("Le Point Bourse — votre lettre du mardi", "Le sommet, avec ses 14 milliards d'euros d'investissements annoncés au total, n'a pas ému la cote."),
        ("La Revue Éco — votre brief du matin", "Versailles a tenu ses promesses : 11 milliards d'euros et 31 projets, un record."),
        ("Séance du jour", "Au total, 12 milliards d'euros ont été promis par 40 entreprises étrangères."),
    ],
)  # fmt: skip
def test_summit_totals_are_never_announcements_whatever_heads_them(title: str, sentence: str) -> None:
    assert _read(sentence, title) == []


def test_a_company_figure_next_to_a_record_word_stays_when_the_company_is_named() -> None:
    assert not gates.summit_total(
        "Ostrava Steel investira 900 millions d'euros, un record.", investor_in_sentence=True
    )
    assert gates.summit_total(
        "Le sommet a réuni 45 projets pour 9 milliards d'euros.", investor_in_sentence=True
    )


# --- 6. names from menus and mastheads --------------------------------------------------------------
def test_menu_and_masthead_words_never_become_investors() -> None:
    text = (
        "Le Journal des Usines — Accueil  Dossiers  Graphiques  Contact\n\n"
        f"{SUMMIT}\n\n"
        "Le fabricant coréen de batteries promet deux milliards d'euros d'investissement à Douai."
    )
    found = detect(text, title="Choose France : ce qu'il faut retenir", published=DAY)
    assert [i.investor for i in found.announced if "Accueil" in i.investor or "Dossiers" in i.investor] == []


def test_a_heading_name_written_lower_case_in_the_body_is_a_common_word() -> None:
    vocab = (frozenset(), gates.lower_vocabulary("La séance d'hier a fini en baisse."))
    assert not gates.credible_investor("Séance", "Séance", "La Séance — votre newsletter", *vocab)
    assert gates.credible_investor(
        "Sakurai Telecom", "Sakurai Telecom", "3. Sakurai Telecom, le retour", *vocab
    )


def test_an_organisation_marker_makes_a_heading_name_credible() -> None:
    assert gates.organisation_marked("Nordhavn Stål AB")
    assert gates.organisation_marked("Brightwater Capital")
    assert not gates.organisation_marked("Articles Graphiques")


# --- 7. press-kit fields ------------------------------------------------------------------------------
def test_press_kit_fields_belong_to_the_entry_heading() -> None:
    kit = (
        "1. Harlow Turbines (Royaume-Uni) — Éolien en mer\n"
        "Montant : 650 M€ | Emplois : 420 | Localisation : Cherbourg (Manche)\n"
        "Le turbinier britannique construira une usine de nacelles."
    )
    rewritten = rewrite_tables(kit)
    assert "- Harlow Turbines : 650 M€ à Cherbourg (Manche), 420 emplois." in rewritten
    assert _read(kit) == [("Harlow Turbines", 650e6)]


def test_semicolon_fields_under_a_bold_heading_are_read_too() -> None:
    kit = "**Vintergaard Foods**\n- Emplois : 120 ; Montant : 35 M€ ; Localisation : Vire (Calvados)"
    assert "- Vintergaard Foods : 35 M€ à Vire (Calvados), 120 emplois." in rewrite_tables(kit)


def test_a_field_label_is_never_an_investor() -> None:
    kit = "Projets retenus\nEmplois : 300 | Montant : 80 M€ | Localisation : Metz"
    assert all(name not in ("Emplois", "Montant") for name, _ in _read(kit))


# --- 8. pledges without a figure ----------------------------------------------------------------------
def test_a_promise_to_keep_jobs_in_an_acquisition_story_is_no_announcement() -> None:
    body = (
        "Le japonais Hoshimi a finalisé l'acquisition du fromager jurassien Montbréal.\n\n"
        "Hoshimi s'engage à maintenir les 400 emplois et le siège à Lons-le-Saunier pendant cinq ans."
    )
    assert _read(body) == []


def test_a_bare_head_count_is_no_new_commitment() -> None:
    body = (
        "Le groupe Virelli investira 120 millions d'euros dans un centre de données à Lyon.\n\n"
        "La jeune pousse de Turin prévoit une trentaine de postes sur place."
    )
    assert _read(body) == [("Virelli", 120e6)]


def test_a_new_site_announced_without_a_figure_still_counts() -> None:
    text = (
        "Lors du sommet Choose France, le suédois Torvik Logistik a annoncé l'ouverture d'un nouvel entrepôt "
        "à Amiens, avec 300 emplois à la clé."
    )
    found = detect(text, title="Choose France : Torvik choisit Amiens", published=DAY)
    assert [(i.investor, i.amount_eur, i.jobs) for i in found.announced] == [("Torvik Logistik", None, 300)]
