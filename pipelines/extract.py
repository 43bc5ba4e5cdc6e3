"""Extraction stage: HTML -> article fields, with trafilatura.

Pure functions of the page text, so they are tested without a crawl and reused by `newswatch detect`.
"""

from __future__ import annotations

import array
import contextlib
import functools
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import lxml.html
import py3langid
import trafilatura
from trafilatura.utils import load_html

from pipelines.related import cut_related, strip_related_lines

logger = logging.getLogger(__name__)

# Articles shorter than this are most likely index pages, teasers or paywall stubs.
MIN_TEXT_CHARS = 200
# A fast pass (no backup extractors) that finds less text than this is redone in full.
FULL_PASS_BELOW_CHARS = 500
# Languages trafilatura's fallbacks are given (see _limit_fallback_languages): those of the sources
# newswatch reads and of the benchmark corpus. Dates in other scripts are still read from metadata.
DATE_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl", "pl", "ru", "el", "zh", "ja")
JUSTEXT_STOPLISTS = (
    "French",
    "English",
    "German",
    "Spanish",
    "Italian",
    "Portuguese",
    "Dutch",
    "Polish",
    "Russian",
    "Greek",
)
# Past this, language identification gains nothing and costs time.
LANGID_SAMPLE_CHARS = 2000
HTML_LANG_XPATH = "/html/@lang"
WORD = re.compile(r"\w+", re.UNICODE)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    title: str | None
    text: str
    author: str | None
    published: date | None
    language: str | None
    canonical_url: str | None
    fingerprint: str


def extract_article(
    html: str, url: str | None = None, *, min_chars: int = MIN_TEXT_CHARS
) -> ExtractedArticle | None:
    """Main text and metadata of an article page, or None when the page holds no article.

    Pass decoded text (Scrapy's `response.text`), not bytes: trafilatura's own charset guess
    breaks accents on pages with a wrong or missing declared charset.
    """
    if not html or not html.strip():
        return None
    page = _parsed(html)
    # trafilatura reads the metadata before the text and hands the text extraction the canonical
    # URL when it was given none: without a URL, read it first; with one, only for a page with text.
    metadata = None if url else page_metadata(page, url)
    main_text = _main_text(page, url or (metadata.url if metadata else None))
    if not main_text:
        return None
    if metadata is None:
        metadata = page_metadata(page, url)
    title = _clean(metadata.title)
    body = main_text if isinstance(page, str) else cut_related(main_text, page, url)
    body = strip_related_lines(body)
    text = _strip_leading_title(body.strip(), title)
    if len(text) < min_chars:
        return None
    return ExtractedArticle(
        title=title,
        text=text,
        author=_clean(metadata.author),
        published=parse_date(metadata.date),
        language=detect_language(html, text),
        canonical_url=metadata.url if metadata.url and metadata.url.startswith("http") else None,
        fingerprint=content_fingerprint(text),
    )


def _main_text(page: lxml.html.HtmlElement | str, url: str | None) -> str | None:
    document = _bare_extraction(page, url, fast=True)
    if document is None or len(document.text or "") < FULL_PASS_BELOW_CHARS:
        # trafilatura's backup extractors (readability, jusText) take a third of its time and change
        # nothing on most pages (crawl throughput): they run only when the fast pass found little.
        fuller = _bare_extraction(page, url, fast=False)
        if fuller is not None:
            return fuller.text
    return document.text if document is not None else None


def page_metadata(page: lxml.html.HtmlElement | str, url: str | None) -> Any:
    """Title, author, canonical URL and date, read as trafilatura's extract_metadata reads them,
    without what newswatch does not keep (site name, categories, tags, licence: a tenth of the
    extraction time). Returns a trafilatura Document with those four fields set."""
    # find_date is htmldate's, which trafilatura.metadata imports and calls.
    from htmldate import find_date
    from trafilatura.metadata import (
        Document,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_title,
        extract_url,
    )

    tree = load_html(page)
    if tree is None:
        return Document()
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception as err:  # noqa: BLE001 - trafilatura's own guard: bugs in its JSON-LD reader
        logger.warning("error in JSON metadata extraction: %s", err)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    metadata.date = find_date(tree, **_date_params(), url=metadata.url)
    metadata.clean_and_trim()
    return metadata


def _date_params() -> dict[str, Any]:
    """htmldate's parameters as trafilatura.bare_extraction sets them (max_date: today)."""
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    return set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))


def _parsed(html: str) -> lxml.html.HtmlElement | str:
    """The page parsed once, as trafilatura parses it, for both passes and for pipelines.related.

    trafilatura copies a tree it is given, so the tree stays as the page came. Text that does not
    parse as a page goes to trafilatura as it is.
    """
    _element_classes_in_c()
    tree = load_html(html)
    return html if tree is None else tree


def _bare_extraction(page: lxml.html.HtmlElement | str, url: str | None, *, fast: bool) -> Any:
    _limit_fallback_languages()
    return trafilatura.bare_extraction(
        page,
        url=url,
        fast=fast,
        with_metadata=False,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )


@functools.cache
def _element_classes_in_c() -> None:
    """Have trafilatura's HTML parser pick each element's Python class in C.

    lxml.html chooses the class (HtmlElement, or FormElement, InputElement... for form tags) in a
    Python method called for every element the code touches: some 2,000 calls per page, a twentieth
    of the extraction time. A namespace lookup maps the same tag names to the same classes without
    leaving C. The trees and their copies (which keep their parser) are the same, element for element.
    """
    from lxml import etree
    from lxml.html import (
        HtmlComment,
        HtmlElement,
        HtmlElementClassLookup,
        HtmlEntity,
        HtmlProcessingInstruction,
    )
    from trafilatura import utils

    parser = getattr(utils, "HTML_PARSER", None)
    classes = getattr(HtmlElementClassLookup, "_default_element_classes", None)
    if parser is None or classes is None:
        logger.warning(
            "extraction: trafilatura's HTML_PARSER or lxml.html's element classes moved; left as they are"
        )
        return
    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
        )
    )
    lookup.get_namespace(None).update(classes)
    parser.set_element_class_lookup(lookup)


@functools.cache
def _limit_fallback_languages() -> None:
    """Give trafilatura's last-resort helpers the languages newswatch reads instead of all they know.

    Left alone, dateparser (htmldate's fallback for dates written out in the text) tries its ~200
    locales on every string, and jusText (trafilatura's fallback extractor) loads the stoplists of
    ~100 languages: together a sixth of the extraction time and ~55 MB per worker process. On the
    2,000 pages of the shared benchmark corpus (de, en, pl, zh, ru, el, es, fr, ja...) the output is
    the same but for one page.
    """
    import dateparser
    from htmldate import extractors
    from justext import get_stoplist
    from trafilatura import external

    # Only a saving: a release that moved one of these pieces must not stop extraction. The upper
    # bounds in pyproject.toml and tests/test_extract_internals.py keep it from going unnoticed.
    missing = [
        name
        for module, name in ((external, "JT_STOPLIST"), (extractors, "get_external_parser"))
        if not hasattr(module, name)
    ]
    if missing:
        logger.warning(
            "extraction: %s gone from this trafilatura/htmldate; their fallbacks keep every language",
            ", ".join(missing),
        )
        return
    external.JT_STOPLIST = tuple({word for language in JUSTEXT_STOPLISTS for word in get_stoplist(language)})  # type: ignore[assignment]
    # htmldate builds its dateparser once (cached); build it now with htmldate's own settings plus
    # the language list, by handing it a DateDataParser that fills `languages` in.
    parser_class = dateparser.DateDataParser

    def with_languages(*args: Any, **kwargs: Any) -> Any:
        return parser_class(*args, **{**kwargs, "languages": list(DATE_LANGUAGES)})

    extractors.get_external_parser.cache_clear()
    dateparser.DateDataParser = with_languages
    try:
        extractors.get_external_parser()
    finally:
        dateparser.DateDataParser = parser_class


def warm_up() -> None:
    """Load what extraction otherwise loads on the first pages that need it: the date parser's
    languages (a third of a second, on the first date written out in words) and the language model."""
    _limit_fallback_languages()
    from htmldate import extractors

    with contextlib.suppress(AttributeError):
        extractors.get_external_parser().get_date_data("Texte de démarrage, 2020")
    with contextlib.suppress(AttributeError):
        # Month names of all of dateparser's ~200 locales, which htmldate loads on the first date
        # string without a year or a known month: once in the forkserver rather than in each worker.
        extractors.month_words()
    py3langid.classify("Texte de démarrage du processus d'extraction.")
    _compact_language_model()


def _compact_language_model() -> None:
    """py3langid keeps two of its automaton's tables (~200,000 numbers) as lists of Python ints.
    In a worker forked from a process that loaded the model, reading a list item writes the int's
    reference count and copies its memory page; an array holds the same numbers without objects,
    so they stay shared. Same numbers, same languages; a tenth of a millisecond more per page."""
    identifier = getattr(getattr(py3langid, "langid", None), "IDENTIFIER", None)
    for name in ("_rowbase", "tk_output"):
        table = getattr(identifier, name, None)
        if isinstance(table, list):
            setattr(identifier, name, array.array("q", table))


def detect_language(html: str | None, text: str) -> str | None:
    """ISO 639-1 code from the text itself; the page's lang attribute only breaks near-ties.

    Many sites ship a template-wide lang="en" whatever the article's language, so the text wins.
    """
    sample = text[:LANGID_SAMPLE_CHARS]
    if len(WORD.findall(sample)) < 5:
        return declared_language(html) if html else None
    code, _ = py3langid.classify(sample)
    return code


def declared_language(html: str) -> str | None:
    try:
        values = lxml.html.fromstring(html).xpath(HTML_LANG_XPATH)
    except (ValueError, lxml.etree.ParserError):
        return None
    if not values:
        return None
    code = str(values[0]).strip().lower().replace("_", "-").split("-")[0]
    return code or None


def content_fingerprint(text: str) -> str:
    """Hash of the body with case, accents, punctuation and spacing folded away.

    The same article republished under another URL, or re-rendered with other whitespace or
    quote marks, keeps its fingerprint.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    words = WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    match = ISO_DATE.match(value)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _strip_leading_title(text: str, title: str | None) -> str:
    """trafilatura often repeats the <h1> as the first line of the body."""
    if title:
        first, _, rest = text.partition("\n")
        if first.strip() == title and rest.strip():
            return rest.strip()
    return text
