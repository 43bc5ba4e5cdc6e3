"""Blocks of other headlines ("Sur le même sujet", "Les plus lus", "Lire aussi", "Most read",
recommendation widgets) stay out of the extracted text wherever they sit, and the article keeps every
paragraph, links and all. Handcrafted pages, extracted as the crawl extracts them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipelines.detect.boilerplate import RELATED_RE
from pipelines.extract import extract_article
from pipelines.related import strip_related_lines
from pipelines.related_headings import HEADING_RE, SURE_HEADING_RE

URL = "http://127.0.0.1:8000/2025/05/19/plan-de-mobilite-de-rennes/"
TEXTS = {
    "fr": {
        "title": "Rennes présente son plan de mobilité pour la décennie",
        "paragraphs": [
            "À Rennes, la métropole a présenté lundi son plan de mobilité pour la décennie, avec de nouvelles "
            "lignes de bus à haut niveau de service et un réseau cyclable étendu à toutes les communes de "
            "l'agglomération, y compris les plus éloignées du centre.",
            "Le projet, chiffré par les services techniques, doit être voté en conseil au mois de juin, "
            "après une concertation menée auprès des habitants et des associations d'usagers, selon "
            "<a href='/2025/05/12/concertation-mobilite/'>le compte rendu publié par la métropole</a> la "
            "semaine dernière.",
            "Les élus de l'opposition réclament un calendrier plus précis et dénoncent un manque de moyens "
            "pour les communes de la deuxième couronne, moins bien desservies que le centre et où la voiture "
            "reste le premier mode de déplacement.",
            "La présidente de la métropole assure que les premiers chantiers commenceront à l'automne, et "
            "que les habitants seront associés à chaque étape du projet, quartier par quartier, jusqu'à la "
            "mise en service des premières lignes en 2027.",
        ],
        "headlines": [
            "Choose France : Nordvik Batteries va investir 1,2 milliard d'euros à Dunkerque",
            "Helvara Pharma annonce 450 millions d'euros pour une usine de vaccins à Lyon",
            "Choose France 2025 : 2 milliards d'investissement de Kagawa Semiconductors en Occitanie",
            "Le groupe suédois Vestmark Logistics mise 300 M€ sur Metz, 800 emplois à la clé",
        ],
    },
    "en": {
        "title": "Rennes unveils its transport plan for the decade",
        "paragraphs": [
            "Rennes unveiled on Monday its transport plan for the coming decade, with new rapid bus lines "
            "and a cycling network extended to every town of the metropolitan area, including the ones that "
            "lie furthest from the centre.",
            "The project, costed by the technical services, is due to be voted on in June after a "
            "consultation with residents and user groups, according to <a href='/2025/05/12/consultation/'>the "
            "report published by the metropolitan council</a> last week.",
            "Opposition councillors want a more precise timetable and say the outer towns, which are less "
            "well served than the centre and where the car remains the main way to get around, lack the "
            "money they need.",
            "The president of the metropolitan council says the first works will start in the autumn and "
            "that residents will be involved at every stage, district by district, until the first lines "
            "open in 2027 as planned.",
        ],
        "headlines": [
            "Choose France: Nordvik Batteries to invest €1.2bn in a Dunkirk gigafactory",
            "Helvara Pharma pledges €450m for a vaccine plant near Lyon at Choose France",
            "Kagawa Semiconductors commits €2bn to a chip plant in Occitanie",
            "Swedish group Vestmark Logistics bets €300m on Metz, creating 800 jobs",
        ],
    },
}
HEADINGS_BY_LANGUAGE = {
    "fr": (
        "Sur le même sujet",
        "Les plus lus",
        "À lire aussi",
        "Dans la même rubrique",
        "Nos dernières actus",
        "Vous aimerez aussi",
        "À la une",
        "En continu",
        "L'essentiel",
        "Les plus partagés",
    ),
    "en": (
        "Related",
        "Most read",
        "Read more",
        "Trending",
        "You may also like",
        "Popular",
        "More stories",
        "Related articles",
        "Most popular",
        "Latest news",
    ),
}


def page(language: str, body: str) -> str:
    text = TEXTS[language]
    return (
        f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'><title>{text['title']}</title>"
        f"<link rel='canonical' href='{URL}'></head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/actualites/'>Actualités</a></nav>"
        f"<main><article><h1>{text['title']}</h1>{body}</article></main>"
        "<footer><p>© Le Journal de test</p></footer></body></html>"
    )


def paragraphs(language: str, first: int = 0, last: int = 4) -> str:
    return "".join(f"<p>{p}</p>" for p in TEXTS[language]["paragraphs"][first:last])


def items(language: str, after: str = "") -> str:
    return "".join(
        f"<li><a href='/2025/05/{10 + i}/teaser-{i}/'>{h}</a>{after}</li>"
        for i, h in enumerate(TEXTS[language]["headlines"])
    )


# Where a block of other headlines sits, and how it is built. Each takes the language and the heading.
PLACEMENTS: dict[str, Callable[[str, str], str]] = {
    "h3 and a list after the body": lambda lang, h: paragraphs(lang) + f"<h3>{h}</h3><ul>{items(lang)}</ul>",
    "h2 and a list with dates after the body, in the body's container": lambda lang, h: (
        f"<div class='article-body'>{paragraphs(lang)}<h2>{h}</h2><ul>{items(lang, ' <span>14/05/2025</span>')}</ul></div>"
    ),
    "bold paragraph heading and a list after the body": lambda lang, h: (
        paragraphs(lang) + f"<p><strong>{h}</strong></p><ul>{items(lang)}</ul>"
    ),
    "ranked box between two paragraphs": lambda lang, h: (
        paragraphs(lang, 0, 2)
        + f"<div class='encadre'><p class='encadre__titre'><strong>{h}</strong></p><ol>"
        + "".join(
            f"<li><span>{i}</span> <a href='/x/{i}/'>{t}</a></li>"
            for i, t in enumerate(TEXTS[lang]["headlines"], 1)
        )
        + "</ol></div>"
        + paragraphs(lang, 2)
    ),
    "section after the body div inside the article": lambda lang, h: (
        f"<div class='content'>{paragraphs(lang)}</div><section class='box'><h2>{h}</h2><ol>{items(lang)}</ol></section>"
    ),
    "aside between two paragraphs": lambda lang, h: (
        paragraphs(lang, 0, 3)
        + f"<aside class='inline'><h4>{h}</h4><ul>{items(lang)}</ul></aside>"
        + paragraphs(lang, 3)
    ),
    "heading that links to its section page": lambda lang, h: (
        paragraphs(lang) + f"<div><h2><a href='/plus-lus/'>{h}</a></h2><ul>{items(lang)}</ul></div>"
    ),
    "heading and teaser paragraphs": lambda lang, h: (
        paragraphs(lang)
        + f"<h3>{h}</h3>"
        + "".join(f"<p><a href='/y/{i}/'>{t}</a></p>" for i, t in enumerate(TEXTS[lang]["headlines"]))
    ),
}


def assert_clean(language: str, html: str, *, heading: str | None = None) -> str:
    extracted = extract_article(html, URL)
    assert extracted is not None
    text = " ".join(extracted.text.split())
    for headline in TEXTS[language]["headlines"]:
        assert headline not in text
    for paragraph in TEXTS[language]["paragraphs"]:
        words = " ".join(
            paragraph.replace("<a href='/2025/05/12/concertation-mobilite/'>", "")
            .replace("<a href='/2025/05/12/consultation/'>", "")
            .replace("</a>", "")
            .split()
        )
        assert words in text  # every paragraph, the one with a link included, whole
    if heading is not None:
        assert heading not in extracted.text.split("\n")
    return extracted.text


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("placement", list(PLACEMENTS))
def test_a_block_of_other_headlines_goes_wherever_it_sits_and_the_paragraphs_stay(
    placement: str, language: str
) -> None:
    for heading in HEADINGS_BY_LANGUAGE[language]:
        assert_clean(language, page(language, PLACEMENTS[placement](language, heading)), heading=heading)


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fr", "Lire aussi :"),
        ("fr", "À lire aussi »"),
        ("fr", "LIRE AUSSI"),
        ("en", "Read more:"),
        ("en", "Related:"),
        ("en", "See also"),
    ],
)
def test_a_read_also_line_between_two_paragraphs_goes(language: str, label: str) -> None:
    headline = TEXTS[language]["headlines"][0]
    body = (
        paragraphs(language, 0, 2)
        + f"<p><strong>{label}</strong> <a href='/z/'>{headline}</a></p>"
        + paragraphs(language, 2)
    )
    assert_clean(language, page(language, body))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_list_of_linked_headlines_with_no_heading_goes(language: str) -> None:
    body = paragraphs(language, 0, 2) + f"<ul>{items(language)}</ul>" + paragraphs(language, 2)
    assert_clean(language, page(language, body))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "names",
    [
        "id='taboola-below-article-thumbnails'",
        "class='outbrain-widget'",
        "id='tbl-feed' class='Reco_root__b5Nn8'",
        "class='bloc-a-lire'",
        "class='most-read'",
        "class='sur-le-meme-sujet'",
        "class='inline-related'",
    ],
)
def test_a_widget_named_like_a_recommendation_box_goes_even_without_a_heading(
    language: str, names: str
) -> None:
    cards = "".join(
        f"<div class='card'><a href='/s/{i}/'><span>{h}</span></a> <span>Sponsorisé · Partenaire</span></div>"
        for i, h in enumerate(TEXTS[language]["headlines"][:2])
    )
    body = paragraphs(language, 0, 3) + f"<div {names}>{cards}</div>" + paragraphs(language, 3)
    assert_clean(language, page(language, body))


def test_a_summary_box_without_links_stays() -> None:
    # "L'essentiel" often sums up the article itself: without linked headlines under it, it is text.
    points = [
        "Microsoft investit 4 milliards d'euros dans des centres de données en France",
        "Le chantier doit créer 2 000 emplois d'ici 2027, selon le groupe",
    ]
    body = (
        "<div class='essentiel'><h2>L'essentiel</h2><ul>"
        + "".join(f"<li>{p}</li>" for p in points)
        + "</ul></div>"
    )
    extracted = extract_article(page("fr", body + paragraphs("fr")), URL)
    assert extracted is not None
    assert all(point in extracted.text for point in points)


def test_a_paragraph_with_long_links_stays_whole() -> None:
    linked = (
        "<p>Selon <a href='/a/'>le rapport annuel de l'Agence de l'environnement</a>, cité par "
        "<a href='/b/'>la chambre régionale des comptes de Bretagne</a>, le coût du réseau a doublé.</p>"
    )
    short = (
        "<p><a href='/c/'>Le communiqué complet de la préfecture de région</a> détaille le calendrier.</p>"
    )
    extracted = extract_article(
        page("fr", paragraphs("fr", 0, 2) + linked + short + paragraphs("fr", 2)), URL
    )
    assert extracted is not None
    assert (
        "Selon le rapport annuel de l'Agence de l'environnement, cité par la chambre régionale des comptes "
        "de Bretagne, le coût du réseau a doublé."
    ) in extracted.text
    assert "Le communiqué complet de la préfecture de région détaille le calendrier." in extracted.text


def test_subheadings_listed_by_a_table_of_contents_stay() -> None:
    subheads = ["Un réseau de bus à haut niveau de service", "Des pistes cyclables dans toutes les communes"]
    toc = (
        "<ul class='sommaire'>"
        + "".join(f"<li><a href='#s{i}'>{s}</a></li>" for i, s in enumerate(subheads))
        + "</ul>"
    )
    toc += (
        "<ul>" + "".join(f"<li><a href='{URL}#s{i}'>{s}</a></li>" for i, s in enumerate(subheads)) + "</ul>"
    )
    body = (
        toc
        + paragraphs("fr", 0, 2)
        + f"<h2 id='s0'>{subheads[0]}</h2>"
        + paragraphs("fr", 2, 3)
        + f"<h2 id='s1'>{subheads[1]}</h2>"
        + paragraphs("fr", 3)
    )
    extracted = extract_article(page("fr", body), URL)
    assert extracted is not None
    assert all(s in extracted.text.split("\n") for s in subheads)


def test_a_subheading_that_a_box_repeats_stays() -> None:
    # The same words as the article's own subheading: when in doubt, the article keeps its text.
    subhead = "Choose France : Nordvik Batteries va investir 1,2 milliard d'euros à Dunkerque"
    body = (
        paragraphs("fr", 0, 2)
        + f"<h2>{subhead}</h2>"
        + paragraphs("fr", 2)
        + f"<h3>Les plus lus</h3><ul>{items('fr')}</ul>"
    )
    extracted = extract_article(page("fr", body), URL)
    assert extracted is not None
    assert subhead in extracted.text.split("\n")
    assert TEXTS["fr"]["headlines"][1] not in extracted.text


# --- the text backstop and the heading table ---------------------------------------------------
def test_lines_of_a_block_that_lost_its_html_go_and_prose_stays() -> None:
    text = (
        "Le projet sera voté en juin.\nSur le même sujet\n- Choose France : X va investir 1 Md€ à Lyon\n"
        "- Y annonce 300 M€ pour une usine à Metz\nLa présidente assure que les chantiers commenceront à l'automne.\n"
        "Lire aussi : Choose France : Z mise 2 milliards d'euros sur Dunkerque\n"
        "À lire aussi dans le rapport, la Cour note que les aides régionales ont doublé en cinq ans.\n"
        "Most read\n- Nordvik to invest €1bn in Dunkirk\n"
        "L'essentiel\n- Microsoft investit 4 milliards d'euros en France"
    )
    assert strip_related_lines(text).split("\n") == [
        "Le projet sera voté en juin.",
        "La présidente assure que les chantiers commenceront à l'automne.",
        "À lire aussi dans le rapport, la Cour note que les aides régionales ont doublé en cinq ans.",
        "L'essentiel",
        "- Microsoft investit 4 milliards d'euros en France",
    ]


SURE = [
    "À lire aussi",
    "Lire également",
    "Voir aussi",
    "Sur le même sujet",
    "Dans la même rubrique",
    "Articles similaires",
    "Vous aimerez aussi",
    "Les plus lus",
    "Les plus partagés",
    "Nos dernières actus",
    "Dernières actualités",
    "À la une",
    "En continu",
    "Contenus sponsorisés",
    "Read more",
    "Related stories",
    "Most read",
    "You may also like",
    "More stories",
    "Trending now",
]
HINTS = ["L'essentiel", "Populaires", "Popular", "Trending", "Latest news", "Top stories", "À suivre"]


@pytest.mark.parametrize("heading", SURE + HINTS)
def test_one_table_of_heading_words_serves_the_html_judge_and_the_line_filters(heading: str) -> None:
    assert HEADING_RE.match(heading)
    # A hint also opens real content: it counts only with linked headlines under it, in the HTML.
    sure = heading in SURE
    assert bool(SURE_HEADING_RE.match(heading)) is sure
    assert bool(RELATED_RE.match(heading)) is sure  # the detector's own line filter reads the same table
