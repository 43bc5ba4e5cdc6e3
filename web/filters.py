"""The selection a reader asks for (edition, région, sector, investor, minimum amount, free text, sort,
page), read from query parameters and applied to announcements. Pure functions: the page, the feed
and the API share them, so `?region=32&min_amount=1e8` means the same everywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from alerts.filters import fold
from alerts.i18n import labels
from newswatch.places import region_code

from .queries import Item

SORTS = ("date", "amount", "jobs", "investor", "edition", "sources")
DEFAULT_SORT = "date"
MAX_PER_PAGE = 200
# Choices offered by the form's minimum-amount list (any number works in the URL).
AMOUNT_STEPS = (10e6, 50e6, 100e6, 500e6, 1e9)
FILTER_KEYS = ("edition", "region", "sector", "investor", "min_amount", "q")
_SPACES = re.compile(r"[\s_\u00a0\u202f]+")


class QueryError(ValueError):
    """A parameter the reader got wrong, phrased for them: `param: what is wrong`, in English (the JSON
    API, the log) or in the page's language (`message`); `problem` is a key of alerts/i18n.py."""

    def __init__(self, param: str, problem: str, **values: str) -> None:
        self.param, self.problem, self.values = param, problem, values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        words = labels(lang)
        return f"{self.param}{words['colon']} {words[self.problem].format(**self.values)}"


@dataclass(frozen=True)
class Selection:
    edition: int | None = None
    # INSEE code of the région.
    region: str | None = None
    sector: str | None = None
    investor: str | None = None
    min_amount: float | None = None
    q: str | None = None
    sort: str = DEFAULT_SORT
    # "asc" or "desc"
    order: str = "desc"
    page: int = 1
    per_page: int = 50
    # The configured page size: per_page is left out of links when it is this.
    base_per_page: int = 50

    @property
    def filtered(self) -> bool:
        return any(getattr(self, key) is not None for key in FILTER_KEYS)

    def params(self, **changes: Any) -> dict[str, str]:
        """Query parameters that give this selection back, defaults left out, with `changes` applied."""
        chosen = replace(self, **changes)
        out = chosen.filter_params()
        if chosen.sort != DEFAULT_SORT:
            out["sort"] = chosen.sort
        if chosen.order != default_order(chosen.sort):
            out["order"] = chosen.order
        if chosen.page != 1:
            out["page"] = str(chosen.page)
        if chosen.per_page != chosen.base_per_page:
            out["per_page"] = str(chosen.per_page)
        return out

    def filter_params(self) -> dict[str, str]:
        """Only the filters: what a feed or an API link of this selection carries."""
        return {k: _text(getattr(self, k)) for k in FILTER_KEYS if getattr(self, k) is not None}


def default_order(sort: str) -> str:
    """Names read A to Z; figures and dates biggest and newest first."""
    return "asc" if sort == "investor" else "desc"


def _text(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _clean(params: Mapping[str, str], key: str) -> str | None:
    value = params.get(key)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _int(params: Mapping[str, str], key: str, low: int, high: int) -> int | None:
    value = _clean(params, key)
    if value is None:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise QueryError(key, "query_whole_number", low=str(low), high=str(high), value=value)
    return int(value)


def parse_amount(value: str) -> float:
    """Euros as a number: "100000000", "1e9", "1 000 000", "1,5e9"."""
    cleaned = _SPACES.sub("", value).replace(",", ".")
    try:
        amount = float(cleaned)
    except ValueError:
        raise QueryError("min_amount", "query_amount", value=value) from None
    if not math.isfinite(amount) or amount < 0:
        raise QueryError("min_amount", "query_positive_amount", value=value)
    return amount


def parse_selection(params: Mapping[str, str], *, per_page: int = 50) -> Selection:
    """Read a selection from query parameters; empty parameters count as absent (an empty form field).
    Raises QueryError naming the parameter."""
    region = _clean(params, "region")
    code = None
    if region is not None:
        code = region_code(region)
        if code is None:
            raise QueryError("region", "query_region", value=region)
    sort = _clean(params, "sort") or DEFAULT_SORT
    if sort not in SORTS:
        raise QueryError("sort", "query_choice", choices=", ".join(SORTS), value=sort)
    order = _clean(params, "order") or default_order(sort)
    if order not in ("asc", "desc"):
        raise QueryError("order", "query_choice", choices="asc, desc", value=order)
    amount = _clean(params, "min_amount")
    return Selection(
        edition=_int(params, "edition", 1900, 2999),
        region=code,
        sector=_clean(params, "sector"),
        investor=_clean(params, "investor"),
        min_amount=parse_amount(amount) if amount is not None else None,
        q=_clean(params, "q"),
        sort=sort,
        order=order,
        page=_int(params, "page", 1, 10**6) or 1,
        per_page=_int(params, "per_page", 1, MAX_PER_PAGE) or per_page,
        base_per_page=per_page,
    )


def matches(item: Item, selection: Selection) -> bool:
    if selection.edition is not None and item.edition != selection.edition:
        return False
    if selection.region is not None and selection.region not in {code for code, _ in item.regions}:
        return False
    # An unknown amount cannot prove it reaches the minimum.
    if selection.min_amount is not None and (
        item.amount_eur is None or item.amount_eur < selection.min_amount
    ):
        return False
    if selection.sector is not None and fold(selection.sector) not in {fold(s) for s in item.sectors}:
        return False
    if selection.investor is not None and fold(selection.investor) not in fold(item.investor):
        return False
    if selection.q is not None:
        haystack = " ".join(fold(t) for t in searchable(item))
        return all(word in haystack for word in fold(selection.q).split())
    return True


def searchable(item: Item) -> list[str]:
    return [
        item.investor,
        item.sector or "",
        item.evidence,
        item.amount_text or "",
        *(p.name for p in item.places),
        *(name for _, name in item.regions),
        *item.texts,
    ]


def _sort_key(item: Item, sort: str) -> tuple[Any, ...]:
    value: Any = {
        "date": item.first_seen_at,
        "amount": item.amount_eur,
        "jobs": item.jobs,
        "investor": fold(item.investor),
        "edition": item.edition,
        "sources": item.source_count,
    }[sort]
    return (value, item.id)


def apply(items: Sequence[Item], selection: Selection) -> list[Item]:
    """The items the selection keeps, in its order; unknown values (no amount, no jobs) always last."""
    kept = [i for i in items if matches(i, selection)]
    known = [i for i in kept if _sort_key(i, selection.sort)[0] is not None]
    unknown = [i for i in kept if _sort_key(i, selection.sort)[0] is None]
    known.sort(key=lambda i: _sort_key(i, selection.sort), reverse=selection.order == "desc")
    unknown.sort(key=lambda i: i.id, reverse=selection.order == "desc")
    return known + unknown


@dataclass(frozen=True)
class Page:
    items: list[Item]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(items: Sequence[Item], selection: Selection) -> Page:
    pages = max(1, math.ceil(len(items) / selection.per_page))
    start = (selection.page - 1) * selection.per_page
    return Page(
        list(items[start : start + selection.per_page]), len(items), selection.page, pages, selection.per_page
    )


def facets(items: Sequence[Item]) -> dict[str, list[Any]]:
    """What the form offers: editions, régions and sectors present in the data."""
    regions: dict[str, str] = {}
    sectors: set[str] = set()
    for item in items:
        regions.update(item.regions)
        sectors.update(item.sectors)
    return {
        "editions": sorted({i.edition for i in items if i.edition is not None}, reverse=True),
        "regions": sorted(regions.items(), key=lambda kv: fold(kv[1])),
        "sectors": sorted(sectors, key=fold),
    }


def with_page(selection: Selection, page: int) -> Selection:
    return replace(selection, page=page)
