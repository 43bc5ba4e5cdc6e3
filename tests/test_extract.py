"""Extraction: article fields out of a news page, boilerplate left out, accents intact whatever the charset."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.http import HtmlResponse

from crawler.spiders.base import page_markup
from newswatch.demo import phrases as P
from newswatch.demo.render import article_html, comments_for
from newswatch.demo.sites import TEMPLATES, NewsSite
from pipelines.extract import content_fingerprint, extract_article

BASE = "http://127.0.0.1:8000"


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=TEMPLATES)
def site(request: pytest.FixtureRequest) -> NewsSite:
    return NewsSite(name="t", n_articles=12, template=request.param, seed=3)


def _with_comments(site: NewsSite) -> int:
    return next(i for i in range(2, 12) if comments_for(site.articles[i], site.seed))


def test_title_date_author_language_and_canonical_come_out_of_each_template(site: NewsSite) -> None:
    article = site.articles[_with_comments(site)]
    extracted = extract_article(article_html(site, article, BASE), BASE + article.path)
    assert extracted is not None
    assert extracted.title == folded(article.title)
    assert extracted.published == article.published.date()
    assert extracted.author == article.author
    assert extracted.language == "fr"
    assert extracted.canonical_url == BASE + article.path
    body = folded(extracted.text)
    for paragraph in article.paragraphs:
        assert folded(paragraph)[:80] in body


def test_menus_related_articles_comments_and_cookie_banner_stay_out_of_the_body(site: NewsSite) -> None:
    article = site.articles[_with_comments(site)]
    extracted = extract_article(article_html(site, article, BASE), BASE + article.path)
    assert extracted is not None
    body = folded(extracted.text)
    for related in site.related(article):
        assert folded(related.title) not in body
    for comment in comments_for(article, site.seed):
        assert folded(comment.text)[:60] not in body
    assert folded(P.COOKIE_TEXT)[:50] not in body
    assert "Tout accepter" not in body and "Menu principal" not in body


LATIN1_PAGE = """<!DOCTYPE html><html lang="fr"><head>{meta}<title>Énergie : l'usine de Béthune démarre</title></head>
<body><nav><a href="/">Accueil</a> · <a href="/économie/">Économie</a></nav>
<article><h1>Énergie : l'usine de Béthune démarre</h1>
<p class="byline">Par Amélie Février, le 12 mai 2025</p>
<p>À Béthune, l'usine de cellules démarre sa production après dix-huit mois de travaux. Les élus de la
région saluent un projet créateur d'emplois, dont la première tranche représente 450 millions d'euros.</p>
<p>« Nous étions prêts à temps », se félicite la directrice générale, qui prévoit déjà une deuxième ligne
d'assemblage. Les équipes recrutent des opérateurs, des techniciens et des ingénieurs qualifiés.</p>
<p>Le site doit atteindre sa pleine capacité à l'été, selon l'entreprise, qui évoque aussi un centre de
formation ouvert aux lycéens de la région et aux demandeurs d'emploi reconvertis.</p>
</article></body></html>"""


@pytest.mark.parametrize(
    ("encoding", "content_type", "meta"),
    [
        ("utf-8", "text/html; charset=utf-8", '<meta charset="utf-8">'),
        ("iso-8859-1", "text/html; charset=iso-8859-1", ""),
        (
            "iso-8859-1",
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        ),
        # No charset anywhere: decoded as windows-1252 (a superset of Latin-1), as browsers do.
        ("iso-8859-1", "text/html", ""),
        ("utf-8", "text/html", ""),
        # A byte-order mark says the codec, and is no character of the page.
        ("utf-8-sig", "text/html", ""),
        ("utf-16", "text/html", ""),
    ],
)
def test_accents_survive_utf8_and_latin1_pages_as_the_article_callback_decodes_them(
    encoding: str, content_type: str, meta: str
) -> None:
    html = LATIN1_PAGE.format(meta=meta)
    response = HtmlResponse(
        "http://127.0.0.1/a/", body=html.encode(encoding), headers={"Content-Type": content_type}
    )
    extracted = extract_article(page_markup(response).text(), response.url)
    assert extracted is not None
    assert extracted.title == "Énergie : l'usine de Béthune démarre"
    assert "À Béthune, l'usine de cellules démarre" in extracted.text
    assert "« Nous étions prêts à temps »" in extracted.text
    assert "Ã" not in extracted.text and "\ufffd" not in extracted.text
    assert "Économie" not in extracted.text  # the menu


def test_latin1_bytes_given_as_utf8_text_would_break_accents() -> None:
    # Why the spiders pass response.text: decoding Latin-1 bytes with the wrong codec garbles them.
    garbled = LATIN1_PAGE.format(meta="").encode("iso-8859-1").decode("utf-8", errors="replace")
    extracted = extract_article(garbled, "http://127.0.0.1/a/")
    assert extracted is not None and "Béthune" not in extracted.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><body><p>Trop court.</p></body></html>",
        "<html><body><nav><a href='/'>Accueil</a></nav></body></html>",
    ],
)
def test_pages_without_an_article_give_none(html: str) -> None:
    assert extract_article(html, "http://127.0.0.1/x/") is None


def test_english_article_is_detected_as_english_despite_a_template_lang_fr() -> None:
    paragraphs = [
        "The Swedish battery maker said on Monday it would invest 1.2 billion euros in a new plant in northern "
        "France, creating 1,200 jobs by 2028. The company had been looking for a site for two years.",
        "Local officials welcomed the decision, which follows months of talks with the government and the "
        "regional council. Construction is expected to start next spring, once the permits are granted.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"<html lang='fr'><body><article><h1>Battery plant for Dunkirk</h1>{body}</article></body></html>"
    extracted = extract_article(html, "http://127.0.0.1/en/")
    assert extracted is not None and extracted.language == "en"


def test_fingerprint_ignores_case_accents_punctuation_and_spacing() -> None:
    original = "L'usine de Béthune  démarre : « 450 millions d'euros »."
    assert content_fingerprint(original) == content_fingerprint(
        "l’usine de bethune demarre — 450 MILLIONS d euros"
    )
    assert content_fingerprint(original) != content_fingerprint(
        "L'usine de Douai démarre : 450 millions d'euros."
    )


def test_dates_parse_to_dates() -> None:
    article = NewsSite(name="t", n_articles=3).articles[1]
    extracted = extract_article(
        article_html(NewsSite(name="t", n_articles=3), article, BASE), BASE + article.path
    )
    assert extracted is not None and isinstance(extracted.published, date)
