"""pipelines/extract.py reaches into trafilatura, htmldate and dateparser (see _limit_fallback_languages).

These tests fail naming the piece that moved when an upgrade breaks that patch, instead of the crawl
silently getting slower; pyproject.toml bounds those packages to the versions checked here.
"""

from __future__ import annotations

import inspect

import dateparser
import pytest
from htmldate import extractors
from trafilatura import external

from pipelines.extract import DATE_LANGUAGES, JUSTEXT_STOPLISTS, _limit_fallback_languages


@pytest.fixture(scope="module", autouse=True)
def patched() -> None:
    _limit_fallback_languages()


def test_trafilatura_external_jt_stoplist_is_still_what_its_jusText_fallback_reads() -> None:
    assert hasattr(external, "JT_STOPLIST"), "trafilatura.external.JT_STOPLIST is gone"
    assert hasattr(external, "try_justext"), "trafilatura.external.try_justext is gone"
    assert "JT_STOPLIST" in inspect.getsource(external.try_justext), (
        "trafilatura.external.try_justext no longer reads JT_STOPLIST"
    )
    from justext import get_stoplist

    ours = {word for language in JUSTEXT_STOPLISTS for word in get_stoplist(language)}
    assert set(external.JT_STOPLIST) == ours, "trafilatura.external.JT_STOPLIST was not replaced"


def test_htmldate_get_external_parser_builds_its_dateparser_with_our_languages() -> None:
    assert hasattr(extractors, "get_external_parser"), "htmldate.extractors.get_external_parser is gone"
    assert hasattr(extractors.get_external_parser, "cache_clear"), (
        "htmldate.extractors.get_external_parser is no longer cached (functools.lru_cache)"
    )
    # Its definition names it once; a date parse calls it.
    uses = inspect.getsource(extractors).count("get_external_parser()")
    assert uses >= 2, "htmldate.extractors no longer calls get_external_parser() to parse dates"
    parser = extractors.get_external_parser()
    assert getattr(parser, "languages", None) == list(DATE_LANGUAGES), (
        "htmldate.extractors.get_external_parser() no longer picks up dateparser.DateDataParser when "
        f"called (its parser has languages={getattr(parser, 'languages', '<missing>')!r})"
    )


def test_dateparser_date_data_parser_is_left_as_it_was() -> None:
    # The patch swaps dateparser.DateDataParser only while htmldate builds its parser.
    assert inspect.isclass(dateparser.DateDataParser), "dateparser.DateDataParser was left replaced"
    assert "languages" in inspect.signature(dateparser.DateDataParser).parameters, (
        "dateparser.DateDataParser no longer takes languages="
    )


def test_page_metadata_reads_what_trafilatura_extract_metadata_reads() -> None:
    # pipelines.extract.page_metadata runs the steps of trafilatura.metadata.extract_metadata that give
    # title, author, URL and date, and skips the rest: on pages of every demo template, the four agree.
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params
    from trafilatura.utils import load_html

    from newswatch.demo.render import article_html
    from newswatch.demo.sites import TEMPLATES, NewsSite
    from pipelines.extract import page_metadata

    base = "http://127.0.0.1:8000"
    checked = 0
    for template in TEMPLATES:
        site = NewsSite(name="t", n_articles=3, template=template, seed=5)
        for article in site.articles:
            for url in (base + article.path, None):
                tree = load_html(article_html(site, article, base))
                params = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
                theirs = extract_metadata(tree, url, params)
                ours = page_metadata(tree, url)
                assert (ours.title, ours.author, ours.url, ours.date) == (
                    theirs.title,
                    theirs.author,
                    theirs.url,
                    theirs.date,
                ), f"{template} {article.path}"
                checked += 1
    assert checked == len(TEMPLATES) * 3 * 2


def test_pages_parse_into_the_element_classes_lxml_html_gives_them() -> None:
    # pipelines.extract swaps the element class lookup of trafilatura's parser for one in C.
    import lxml.html
    from trafilatura.utils import load_html

    from pipelines.extract import _parsed

    html = (
        "<html><head><title>T</title></head><body><!-- c --><form><label>L</label><input name='q'>"
        "<select><option>o</option></select><textarea>t</textarea></form>"
        "<article><p>Du texte, <b>gras</b> &amp; <a href='/x'>lien</a>.</p></article></body></html>"
    )
    ours = _parsed(html)
    assert not isinstance(ours, str)
    assert load_html(html).getroottree().parser is ours.getroottree().parser, (
        "trafilatura.utils.load_html no longer parses with the parser pipelines.extract patched"
    )
    reference = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True))
    assert [(e.tag, type(e)) for e in ours.iter()] == [(e.tag, type(e)) for e in reference.iter()]
    assert type(ours.find(".//input")) is lxml.html.InputElement
