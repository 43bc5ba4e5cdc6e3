"""Does an announcement interest a subscriber or a webhook? Pure functions over `AnnouncementView`.

Every list filter is an OR within the list and an AND across lists. Text is compared accent- and
case-insensitively on whole words, so "IA" does not match "Maria". Régions are compared by INSEE code:
a subscriber following "Hauts-de-France" (or "hauts de france", "32", "Nord-Pas-de-Calais") gets an
announcement at Dunkerque.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from newswatch.config import Filters

from .view import AnnouncementView

NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower case, no accents, punctuation and hyphens turned into single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return NON_WORD.sub(" ", stripped.casefold()).strip()


def contains_term(haystack: str, term: str) -> bool:
    """Whole-word containment of an already folded term in an already folded text."""
    return bool(term) and f" {term} " in f" {haystack} "


def _any_term(terms: Iterable[str], fields: Iterable[str | None]) -> bool:
    folded_fields = [fold(f) for f in fields if f]
    return any(contains_term(f, fold(t)) for t in terms for f in folded_fields)


def matches(view: AnnouncementView, filters: Filters) -> bool:
    """True when the announcement passes every configured filter (an empty filter passes all)."""
    # An unknown amount cannot prove it reaches the threshold.
    if filters.min_amount_eur and (view.amount_eur is None or view.amount_eur < filters.min_amount_eur):
        return False
    if filters.editions and view.edition not in filters.editions:
        return False
    if filters.sectors and not _any_term(filters.sectors, [view.sector]):
        return False
    if filters.regions and not filters.region_codes() & {code for code, _ in view.regions}:
        return False
    if filters.investors and not _any_term(filters.investors, [view.investor]):
        return False
    return not filters.keywords or _any_term(filters.keywords, keyword_fields(view))


def keyword_fields(view: AnnouncementView) -> list[str | None]:
    """Everything a keyword may be found in: the record, the evidence and the source titles."""
    fields: list[str | None] = [
        view.investor,
        view.sector,
        view.evidence,
        *view.locations,
        *(name for _, name in view.regions),
    ]
    for link in view.sources:
        fields.extend((link.title, link.evidence))
    return fields


def select_matching(views: Iterable[AnnouncementView], filters: Filters) -> list[AnnouncementView]:
    return [v for v in views if matches(v, filters)]
