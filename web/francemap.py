"""Map of France by région, drawn offline from the départements of the pygal_maps_fr package.

pygal_maps_fr (LGPL-3.0+, on PyPI) ships `fr.departments.svg`: one path per département, with
insets for Paris and its inner ring and for the overseas départements. Only that file is read (the
package's Python needs an old pygal). Each path is reduced once per process to a polyline with
integer coordinates (control points dropped, points closer than SIMPLIFY_UNITS merged), which keeps
the map near 100 KB while staying sharp at the size it is shown; départements are then grouped
under their région, using the offline geography.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newswatch.geo import geography

PACKAGE = "pygal_maps_fr"
MAP_FILE = "fr.departments.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
# In map units (the map is 2000 wide and shown about 600 px wide): under a pixel.
SIMPLIFY_UNITS = 2.5
# Numbers first, so the "e" of "2.1e-4" stays in its number; any other letter is a command.
_TOKEN = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[A-Za-z]")
_ARITY = {"m": 2, "l": 2, "c": 6}


@dataclass(frozen=True)
class MapLayer:
    """One group of the source map (mainland, the Paris inset, the overseas insets)."""

    transform: str | None
    # région code -> the path data of its départements in this layer
    regions: dict[str, list[str]]


@dataclass(frozen=True)
class FranceMap:
    view_box: str
    layers: tuple[MapLayer, ...]


def polylines(d: str) -> list[list[tuple[float, float]]]:
    """The absolute end points of each subpath of an SVG path made of M/m, L/l, C/c and Z/z."""
    tokens = _TOKEN.findall(d)
    shapes: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if current:
                    shapes.append(current)
                current = []
                x, y = start
                continue
            if command in "Mm":
                if current:
                    shapes.append(current)
                current = []
        arity = _ARITY.get(command.lower())
        if arity is None or i + arity > len(tokens):
            raise ValueError(f"unsupported path data near {' '.join(tokens[i - 1 : i + 3])!r}")
        values = [float(v) for v in tokens[i : i + arity]]
        i += arity
        dx, dy = values[-2], values[-1]
        x, y = (x + dx, y + dy) if command.islower() else (dx, dy)
        if command in "Mm" and not current:
            start = (x, y)
            # Pairs after a moveto are linetos (SVG 1.1, 8.3.2).
            command = "l" if command == "m" else "L"
        current.append((x, y))
    if current:
        shapes.append(current)
    return shapes


def simplified(d: str, tolerance: float = SIMPLIFY_UNITS) -> str:
    """Path data of the same outline as closed polylines with integer coordinates."""
    parts = []
    for points in polylines(d):
        kept = [points[0]]
        for point in points[1:]:
            if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= tolerance:
                kept.append(point)
        if len(kept) >= 3:
            parts.append("M" + " ".join(f"{round(px)} {round(py)}" for px, py in kept) + "Z")
    return "".join(parts)


@cache
def france_map() -> FranceMap:
    """The map grouped by région, built once per process."""
    source = resources.files(PACKAGE).joinpath(MAP_FILE).read_bytes()
    root = ET.fromstring(source)
    region_of = geography().departement_regions()
    layers = []
    for group in root.findall(f"{SVG_NS}g"):
        regions: dict[str, list[str]] = {}
        for departement in group.findall(f"{SVG_NS}g"):
            code = (departement.get("class") or "").split(" ")[0].removeprefix("z")
            region = region_of.get(code)
            if region is None or len(region) != 2:
                continue  # a collectivity that is no région (Saint-Pierre-et-Miquelon)
            for path in departement.iter(f"{SVG_NS}path"):
                data = simplified(path.get("d") or "")
                if data:
                    regions.setdefault(region, []).append(data)
        layers.append(MapLayer(group.get("transform"), regions))
    return FranceMap(root.get("viewBox") or "0 0 2000 1898", tuple(layers))
