"""The reader's language: ?lang=, then a cookie, then Accept-Language. The words themselves, the
pages' with the digest's, are in the one catalogue, alerts/i18n.py."""

from __future__ import annotations

from alerts.i18n import DEFAULT_LANGUAGE, LANGUAGES, labels
from alerts.i18n import sector_name as sector_label

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LANG_COOKIE",
    "accepted_language",
    "choose_language",
    "labels",
    "sector_label",
]

LANG_COOKIE = "lang"


def accepted_language(header: str | None) -> str | None:
    """The first of our languages in an Accept-Language header, by its q weight; None if none is there."""
    if not header:
        return None
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGES and weight > 0 and (best is None or (weight, -position) > (best[0], -best[1])):
            best = (weight, position, code)
    return best[2] if best else None


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return accepted_language(accept) or DEFAULT_LANGUAGE
