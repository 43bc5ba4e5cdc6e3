"""One test per rule family of the detector, on short articles written for these tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from newswatch.cli import main
from pipelines.detect import Detection, detect

CF_LEDE = (
    "Le sommet Choose France s'est tenu lundi au château de Versailles, en présence de 200 patrons étrangers."
)


def run(
    body: str, title: str = "Choose France : les annonces", published: date | None = date(2024, 5, 13)
) -> Detection:
    return detect(body, title=title, published=published)


def pairs(detection: Detection) -> set[tuple[str, float | None]]:
    return {(i.investor, i.amount_eur) for i in detection.announced}


def test_descriptors_resolve_to_the_company_named_earlier() -> None:
    d = run(
        f"{CF_LEDE}\n\nMicrosoft était très attendu. La firme de Redmond va investir 4 milliards d'euros dans ses "
        "centres de données près de Toulouse.\n\nLe laboratoire Pfizer a aussi pris la parole. Le géant américain "
        "consacrera 500 millions d'euros à son site d'Amboise (Indre-et-Loire)."
    )
    assert pairs(d) == {("Microsoft", 4e9), ("Pfizer", 500e6)}


def test_apposition_descriptor_names_the_company_not_its_partner() -> None:
    d = run(
        f"{CF_LEDE}\n\nLe fabricant taïwanais de batteries ProLogium va construire à Dunkerque, en partenariat avec "
        "Renault, une gigafactory de 5,2 milliards d'euros, propriété de sa filiale locale."
    )
    assert pairs(d) == {("ProLogium", 5.2e9)}
    assert d.announced[0].locations == ["Dunkerque"]


def test_ranges_keep_the_low_bound_and_the_range_text() -> None:
    d = run(
        f"{CF_LEDE}\n\nLe fonds émirien MGX investira entre 30 et 50 milliards d'euros dans un campus d'IA en Seine-et-Marne."
    )
    (inv,) = d.announced
    assert (inv.investor, inv.amount_eur) == ("MGX", 30e9)
    assert inv.amount_text == "entre 30 et 50 milliards d'euros"


def test_dollar_amounts_stay_in_dollars() -> None:
    d = run(
        f"{CF_LEDE}\n\nLe chimiste américain Eastman va investir 1 milliard de dollars à Port-Jérôme-sur-Seine."
    )
    (inv,) = d.announced
    assert (inv.investor, inv.amount_eur, inv.currency) == ("Eastman", None, "USD")
    assert inv.amount_text == "1 milliard de dollars"


def test_amounts_and_jobs_in_words() -> None:
    d = run(
        f"{CF_LEDE}\n\nLe suédois Ikea injectera quatre cents millions d'euros dans un entrepôt près de Lille, "
        "avec un millier d'emplois à la clé. Le japonais Hitachi promet un demi-milliard d'euros à Saint-Priest."
    )
    assert pairs(d) == {("Ikea", 400e6), ("Hitachi", 500e6)}
    assert {i.investor: i.jobs for i in d.announced}["Ikea"] == 1000


def test_abandoned_project_is_kept_as_such_and_never_flags() -> None:
    d = run(
        f"{CF_LEDE}\n\nAnnoncé en grande pompe, le projet de Verdano n'ira pas à son terme : le groupe danois Verdano "
        "a renoncé à son usine de 300 millions d'euros à Saint-Avold, a-t-il indiqué mardi."
    )
    assert not d.flagged
    assert d.announced == []
    assert [(i.investor, i.status) for i in d.investments] == [("Verdano", "abandoned")]


def test_related_blocks_and_comments_are_ignored() -> None:
    body = (
        f"{CF_LEDE} L'Élysée n'a pas encore publié la liste des projets.\n\n"
        "À lire aussi\nChoose France : Pfizer va investir 500 millions d'euros à Amboise\n"
        "Toyota mise 100 millions sur Onnaing\n\n"
        "3 commentaires\n\nJean-Pierre D. — Sanofi met 1 milliard d'euros à Vitry, ça c'est concret.\n\n"
        "Quitter la version mobile"
    )
    d = run(body)
    assert not d.flagged and d.investments == []


def test_other_summits_are_not_choose_france() -> None:
    d = run(
        "Au salon VivaTech, mercredi à Paris, le groupe américain Nvidia a annoncé qu'il investirait 200 millions "
        "d'euros dans un centre de recherche à Paris.\n\nUne annonce qui n'a rien à voir avec Choose France.",
        title="VivaTech : Nvidia ouvre un centre de recherche à Paris",
    )
    assert not d.flagged


def test_choose_france_for_science_is_not_the_summit() -> None:
    d = run(
        "Le programme Choose France for Science a permis à l'université de Bordeaux d'accueillir vingt chercheurs. "
        "La fondation Carnot y consacrera 15 millions d'euros sur trois ans.",
        title="Choose France for Science : Bordeaux accueille vingt chercheurs américains",
    )
    assert not d.flagged


def test_investments_abroad_do_not_count() -> None:
    d = run(
        f"{CF_LEDE}\n\nLe lendemain, l'équipementier Forvia a annoncé qu'il allait investir 1 milliard d'euros dans "
        "trois usines en Chine. Microsoft investira 3,2 milliards d'euros en Allemagne."
    )
    assert not d.flagged


def test_aggregates_revenue_fines_and_fundraising_are_not_announcements() -> None:
    d = run(
        f"{CF_LEDE} Au total, 56 projets représentant 15 milliards d'euros ont été annoncés.\n\n"
        "Microsoft et Amazon investiront ensemble 5 milliards d'euros. Le groupe Danone, qui réalise un chiffre "
        "d'affaires de 27 milliards d'euros, a écopé d'une amende de 100 millions d'euros. La start-up Mistral AI "
        "a levé 600 millions d'euros. Le groupe Crestline a annoncé le rachat de Vaucanson pour 1,5 milliard d'euros."
    )
    assert not d.flagged
    assert {r.split()[1] for r in d.reasons if r.startswith("skip")} >= {
        "aggregate(joint)",
        "revenue",
        "fundraising",
        "acquisition",
    }


def test_list_items_and_figureless_commitments() -> None:
    d = run(
        f"{CF_LEDE}\n\nLes annonces du jour :\n- Mars : 100 M€ dans son usine de Haguenau (Bas-Rhin), 80 emplois.\n"
        "- Ericsson : ouverture d'un centre de recherche à Massy (Essonne), avec 500 recrutements.\n"
        "- JPMorgan : 200 postes supplémentaires à Paris, sans montant communiqué."
    )
    assert pairs(d) == {("Mars", 100e6), ("Ericsson", None), ("JPMorgan", None)}
    assert {i.investor: i.jobs for i in d.announced} == {"Mars": 80, "Ericsson": 500, "JPMorgan": 200}


def test_no_choose_france_tie_no_flag() -> None:
    d = run(
        "Le laboratoire américain Pfizer va investir 500 millions d'euros dans son usine d'Amboise, a-t-il annoncé.",
        title="Pfizer investit à Amboise",
    )
    assert not d.flagged and d.score < 0.5


def test_earlier_edition_told_again_is_not_a_new_announcement() -> None:
    d = run(
        f"{CF_LEDE}\n\nToyota, qui avait annoncé 300 millions d'euros pour Onnaing en 2018, n'a rien dévoilé cette "
        "année. Le laboratoire Sanofi va investir 1 milliard d'euros à Vitry-sur-Seine."
    )
    assert pairs(d) == {("Sanofi", 1e9)}


def test_edition_from_ordinal_and_preview_dates() -> None:
    body = "La septième édition de Choose France se tiendra lundi. Pfizer devrait y annoncer 500 millions d'euros à Amboise."
    assert run(body, published=None).edition == 2024
    preview = "Le prochain sommet Choose France se tiendra en janvier. Toyota devrait y annoncer 300 millions d'euros à Onnaing."
    assert run(preview, published=date(2017, 12, 20)).edition == 2018


def test_detect_command_reads_html_and_reports_unreadable_files(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    paragraph = (
        "Le sommet Choose France s'est tenu lundi au château de Versailles. Le laboratoire américain Pfizer va "
        "investir 500 millions d'euros dans son usine d'Amboise, en Indre-et-Loire, avec 200 emplois à la clé."
    )
    page.write_text(
        "<html lang='fr'><head><title>Pfizer à Amboise</title></head><body><article><h1>Pfizer à Amboise</h1>"
        f"<p>{paragraph}</p><p>{paragraph.replace('Pfizer', 'Le groupe')}</p></article></body></html>",
        encoding="utf-8",
    )
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(main, ["detect", str(missing), str(page)])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [(x["file"], x["flagged"]) for x in lines] == [(str(page), True)]
    assert lines[0]["investments"][0]["investor"] == "Pfizer"
    assert f"{missing}: no such file" in result.stderr


STYLES = {
    "agency dispatch, passive voice": (
        "PARIS, 13 mai (Reuters) - Un investissement de 150 millions d'euros sera réalisé par l'équipementier "
        "allemand Bosch dans son usine de Rodez (Aveyron), a annoncé lundi l'Élysée à l'occasion du sommet Choose France.",
        {("Bosch", 150e6)},
    ),
    "figure first, investor after": (
        "Un milliard d'euros : c'est la somme que le norvégien Yara prévoit d'engager sur la plateforme de Lacq, "
        "selon un communiqué publié en marge du sommet pour l'attractivité de la France.",
        {("Yara", 1e9)},
    ),
    "figures in parentheses": (
        "Voici les engagements présentés à la veille du sommet Choose France : Pfizer (500 M€), Sanofi (1 Md€), "
        "Coca-Cola (100 M€). L'ensemble représente 15 milliards d'euros.",
        {("Pfizer", 500e6), ("Sanofi", 1e9), ("Coca-Cola", 100e6)},
    ),
    "live blog with timestamps": (
        "Choose France, en direct de Versailles.\n\n10h12 — AstraZeneca annonce 300 millions d'euros pour son site "
        "de Dunkerque.\n11h30 — Novo Nordisk : 2,1 Md€ à Chartres, 500 emplois.\n12h05 — Les 56 projets "
        "représentent au total 15 milliards d'euros, selon l'Élysée.",
        {("AstraZeneca", 300e6), ("Novo Nordisk", 2.1e9)},
    ),
    "semicolon list with one verb": (
        "La deuxième édition du sommet Choose France a vu plusieurs groupes allemands se mobiliser. Siemens "
        "consacrera 300 millions d'euros à son site de Haguenau ; BASF, 80 millions d'euros à Chalampé ; et "
        "Henkel, 40 millions à Reims.",
        {("Siemens", 300e6), ("BASF", 80e6), ("Henkel", 40e6)},
    ),
    "dollars restated in euros": (
        "Au sommet Choose France, le groupe américain Eastman a promis 1 milliard de dollars (soit 920 millions "
        "d'euros) pour une usine de recyclage à Port-Jérôme-sur-Seine.",
        {("Eastman", 920e6)},
    ),
}


def test_writing_styles() -> None:
    for style, (body, expected) in STYLES.items():
        assert pairs(run(body, title="Sommet")) == expected, style
