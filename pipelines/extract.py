"""Extraction stage: HTML -> article fields, with trafilatura.

Pure functions of the page text, so they are tested without a crawl and reused by `newswatch detect`.
"""

from __future__ import annotations

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
JUSTEXT_STOPLISTS = ("French", "English", "German", "Spanish", "Italian", "Portuguese", "Dutch", "Polish",
                     "Russian", "Greek")
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


def extract_article(html: str, url: str | None = None, *, min_chars: int = MIN_TEXT_CHARS) -> ExtractedArticle | None:
    """Main text and metadata of an article page, or None when the page holds no article.

    Pass decoded text (Scrapy's `response.text`), not bytes: trafilatura's own charset guess
    breaks accents on pages with a wrong or missing declared charset.
    """
    if not html or not html.strip():
        return None
    page = _parsed(html)
    document = _bare_extraction(page, url, fast=True)
    if document is None or len(document.text or "") < FULL_PASS_BELOW_CHARS:
        # trafilatura's backup extractors (readability, jusText) take a third of its time and change
        # nothing on most pages (crawl throughput): they run only when the fast pass found little.
        # The metadata does not depend on the pass: a page that has it already keeps it.
        fuller = _bare_extraction(page, url, fast=False, with_metadata=document is None)
        if document is None or fuller is None:
            document = document or fuller
        else:
            document.text = fuller.text
    if document is None or not document.text:
        return None
    title = _clean(document.title)
    body = document.text if isinstance(page, str) else cut_related(document.text, page, url)
    body = strip_related_lines(body)
    text = _strip_leading_title(body.strip(), title)
    if len(text) < min_chars:
        return None
    return ExtractedArticle(
        title=title,
        text=text,
        author=_clean(document.author),
        published=parse_date(document.date),
        language=detect_language(html, text),
        canonical_url=document.url if document.url and document.url.startswith("http") else None,
        fingerprint=content_fingerprint(text),
    )


def _parsed(html: str) -> lxml.html.HtmlElement | str:
    """The page parsed once, as trafilatura parses it, for both passes and for pipelines.related.

    trafilatura copies a tree it is given, so the tree stays as the page came. Text that does not
    parse as a page goes to trafilatura as it is.
    """
    tree = load_html(html)
    return html if tree is None else tree


def _bare_extraction(page: lxml.html.HtmlElement | str, url: str | None, *, fast: bool,
                     with_metadata: bool = True) -> Any:
    _limit_fallback_languages()
    return trafilatura.bare_extraction(
        page,
        url=url,
        fast=fast,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        deduplicate=False,
    )


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
    missing = [name for module, name in ((external, "JT_STOPLIST"), (extractors, "get_external_parser"))
               if not hasattr(module, name)]
    if missing:
        logger.warning("extraction: %s gone from this trafilatura/htmldate; their fallbacks keep every language",
                       ", ".join(missing))
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
