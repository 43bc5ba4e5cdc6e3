"""Announcement places as stored: each reported name with the commune, département and région it lies
in (newswatch.geo), and the région lookups subscribers' filters and the web view share."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from newswatch.geo import Place, geography, place_key

# The columns of an AnnouncementPlace row a Place fills.
PLACE_FIELDS = ("kind", "commune_code", "commune", "departement_code", "departement", "region_code", "region")


def resolve_names(names: Sequence[str]) -> list[Place | None]:
    """Each name as the place it most likely is, the announcement's other names settling homonyms
    ("Douai" beside "Hauts-de-France"); None for a name that is no French place."""
    geo = geography()
    return [geo.resolve(n, hints=[o for o in names if o != n]) for n in names]


def place_row(name: str, place: Place | None) -> dict[str, Any]:
    """The stored columns of one reported name (its name as written, the rest from its place)."""
    row: dict[str, Any] = {"name": name}
    for column in PLACE_FIELDS:
        row[column] = getattr(place, column) if place is not None else None
    if place is not None and place.kind != "commune":
        # A région, département or area keeps what it resolves to and has no commune.
        row["commune_code"] = row["commune"] = None
    return row


def region_names() -> dict[str, str]:
    """The 18 régions (INSEE code -> name), without the overseas collectivities that are none."""
    return {code: name for code, name in geography().regions().items() if len(code) == 2}


def region_code(value: str) -> str | None:
    """A région's INSEE code from its code ("32"), its name in any case and accents ("hauts de france"),
    a former name that lies wholly in it ("Picardie") or a usual abbreviation ("HDF"); None otherwise."""
    value = value.strip()
    regions = region_names()
    if value in regions:
        return value
    code = geography().region_code(value)
    return code if code in regions else None


def close_regions(value: str, n: int = 3) -> list[str]:
    """Official région names closest to a name that is none, for an error message."""
    by_key = {place_key(name): name for name in region_names().values()}
    return [by_key[k] for k in difflib.get_close_matches(place_key(value), list(by_key), n=n, cutoff=0.5)]


def region_hint(value: str) -> str:
    """What to write instead of a name that is no région: the région a département or commune of that
    name lies in, else the closest région names ("" when none is close)."""
    place = geography().resolve(value)
    if place is not None and place.kind != "region" and place.region:
        return f"; {value!r} lies in {place.region!r}"
    close = close_regions(value)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
