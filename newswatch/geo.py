"""French geography: every commune with its INSEE code, département and région, offline.

The table (newswatch/data/geo_fr.tsv.gz) is INSEE's Code officiel géographique as shipped by the
Etalab package @etalab/decoupage-administratif (see scripts/build_geography.py and
newswatch/data/NOTICE.md); nothing is downloaded at run time. It is loaded once per process, on
first use, into flat tuples: about 37,000 names.

    >>> geo = geography()
    >>> geo.resolve("Dunkerque").region
    'Hauts-de-France'
    >>> [m.surface for m in geo.scan("une usine à Fos-sur-Mer (Bouches-du-Rhône)")]
    ['Fos-sur-Mer', 'Bouches-du-Rhône']

Names are compared folded (no accents or case, hyphens and apostrophes as spaces, "St" as
"Saint"), so "Saint-Etienne", "St-Étienne" and "saint étienne" are one name.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

PlaceKind = Literal["commune", "departement", "region", "area"]

DATA_FILE = "geo_fr.tsv.gz"
# Names of more words than this are not places in the table (the longest has 8 once folded).
MAX_NAME_WORDS = 9

# Names the press uses for a région that are not its official name: the regions merged in 2016,
# abbreviations and the usual periphrases. Region codes are INSEE's.
REGION_ALIASES: dict[str, str] = {
    "idf": "11",
    "ile de france": "11",
    "region parisienne": "11",
    "region ile de france": "11",
    "grand paris": "11",
    "centre": "24",
    "centre val de loire": "24",
    "region centre": "24",
    "bourgogne": "27",
    "franche comte": "27",
    "bfc": "27",
    "haute normandie": "28",
    "basse normandie": "28",
    "nord pas de calais": "32",
    "picardie": "32",
    "hdf": "32",
    "alsace": "44",
    "lorraine": "44",
    "champagne ardenne": "44",
    "pays de la loire": "52",
    "aquitaine": "75",
    "limousin": "75",
    "poitou charentes": "75",
    "languedoc roussillon": "76",
    "midi pyrenees": "76",
    "languedoc": "76",
    "rhone alpes": "84",
    "auvergne": "84",
    "aura": "84",
    "paca": "93",
    "provence": "93",
    "region sud": "93",
    "cote d azur": "93",
    "provence alpes cote d azur": "93",
    "corse": "94",
}

# Economic areas named like places but that are no commune (or not the commune of that name): the
# département they lie in. Industrial zones, technology parks and "pays" the business press uses.
AREAS: dict[str, tuple[str, str]] = {
    "paris saclay": ("Paris-Saclay", "91"),
    "plateau de saclay": ("plateau de Saclay", "91"),
    "la defense": ("La Défense", "92"),
    "sophia antipolis": ("Sophia Antipolis", "06"),
    "roissy": ("Roissy", "95"),
    "marne la vallee": ("Marne-la-Vallée", "77"),
    "valenciennois": ("Valenciennois", "59"),
    "dunkerquois": ("Dunkerquois", "59"),
    "douaisis": ("Douaisis", "59"),
    "cambresis": ("Cambrésis", "59"),
    "bassin minier": ("bassin minier", "62"),
    "bassin de lacq": ("bassin de Lacq", "64"),
    "vallee de la chimie": ("vallée de la chimie", "69"),
    "cotentin": ("Cotentin", "50"),
    "pays basque": ("Pays basque", "64"),
    "grenoble alpes": ("Grenoble-Alpes", "38"),
    "euromediterranee": ("Euroméditerranée", "13"),
    "fos": ("Fos", "13"),
    "vallee de l arve": ("vallée de l'Arve", "74"),
    "pays de gex": ("pays de Gex", "01"),
    "saint quentin en yvelines": ("Saint-Quentin-en-Yvelines", "78"),
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Between two words of one place name: a space, a hyphen or an apostrophe, nothing else.
_JOINER = re.compile(r"^[\s\-'’]{1,2}$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


def place_key(name: str) -> str:
    """The folded form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(bare)]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Place:
    """A place with its commune, département and région (codes and names); what a location is stored as."""

    name: str
    kind: PlaceKind
    commune_code: str | None
    commune: str | None
    departement_code: str | None
    departement: str | None
    region_code: str | None
    region: str | None
    population: int | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in a text: its span and every place it may be (most likely first)."""

    start: int
    end: int
    surface: str
    places: tuple[Place, ...]
    # "à", "au", "en", "près de"...: the word before says it is a place, not a company or a common noun.
    locative: bool


_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:à|a|au|aux|en|dans|vers|sur|de|du|des|d'|d’|près\s+de|proche\s+de|autour\s+de|depuis|"
    r"entre|et|ou|site\s+de|usine\s+de|commune\s+de|ville\s+de)\s*|[(,]\s*)$",
    re.IGNORECASE,
)


class Geography:
    """Lookups over the table; build it with `geography()`, which loads it once.

    Places are built when asked for: the whole table costs about 10 MB, once per process tree when
    loaded before the extraction workers fork.
    """

    def __init__(self, rows: Iterable[tuple[str, ...]]) -> None:
        self._regions: dict[str, str] = {}
        self._departements: dict[str, tuple[str, str]] = {}
        # Each row kept as its one line of text, split when a place is built: a tuple of seven strings
        # per commune would cost three times the memory.
        self._rows: list[str] = []
        index: dict[str, list[int]] = {}
        cities: dict[str, str] = {}
        for row in rows:
            kind, code, name = row[0], row[1], row[2]
            if kind == "R":
                self._regions[code] = name
            elif kind == "D":
                self._departements[code] = (name, row[4])
            elif kind == "C":
                cities[code] = name
            index.setdefault(place_key(name), []).append(len(self._rows))
            self._rows.append("\t".join(row))
        self._cities = cities
        for key, code in REGION_ALIASES.items():
            index.setdefault(key, []).append(len(self._rows))
            self._rows.append("\t".join(("R", code, self._regions[code], "", code, "", "")))
        for key, (name, dep) in AREAS.items():
            index.setdefault(key, []).append(len(self._rows))
            self._rows.append("\t".join(("Z", "", name, dep, self._departements[dep][1], "", "")))
        self._index: dict[str, int | tuple[int, ...]] = {
            key: ids[0] if len(ids) == 1 else tuple(sorted(ids, key=self._rank)) for key, ids in index.items()
        }

    def _row(self, row_id: int) -> list[str]:
        return self._rows[row_id].split("\t")

    def _rank(self, row_id: int) -> tuple[int, int]:
        kind, _code, _name, _dep, _region, population, _parent = self._row(row_id)
        order = {"R": 0, "D": 1, "Z": 2}.get(kind, 3)
        return order, -int(population or 0)

    def _ids(self, key: str) -> tuple[int, ...]:
        ids = self._index.get(key, ())
        return (ids,) if isinstance(ids, int) else ids

    @lru_cache(maxsize=4096)  # noqa: B019 - one Geography per process, kept for its whole life
    def _place(self, row_id: int) -> Place:
        kind, code, name, dep, region, population, parent = self._row(row_id)
        region_name = self._regions.get(region)
        if kind == "R":
            return Place(region_name or name, "region", None, None, None, None, region, region_name)
        dep_name = self._departements.get(dep, ("", ""))[0] or None
        if kind == "D":
            return Place(name, "departement", None, None, dep, dep_name, region or None, region_name)
        if kind == "Z":
            return Place(name, "area", None, None, dep, dep_name, region or None, region_name)
        if kind == "C":
            commune_code, commune = code, name
        else:
            # An arrondissement ("Lyon 3e Arrondissement") or a former commune merged into another
            # ("Cherbourg-Octeville"): placed at the commune it is part of now.
            commune_code, commune = parent, self._cities.get(parent, name)
        return Place(
            name,
            "commune",
            commune_code,
            commune,
            dep or None,
            dep_name,
            region or None,
            region_name,
            int(population) if population else None,
        )

    # -- lookups -------------------------------------------------------------------------------------
    def candidates(self, name: str) -> tuple[Place, ...]:
        """Every place of this name: régions, départements and areas first, then communes by population.
        A commune inside the département of its own name ("Paris") comes first."""
        places = tuple(self._place(i) for i in self._ids(place_key(name)))
        if len(places) > 1 and places[0].kind == "departement":
            same = [
                p for p in places if p.kind == "commune" and p.departement_code == places[0].departement_code
            ]
            if same:
                return (same[0], *(p for p in places if p is not same[0]))
        return places

    def resolve(self, name: str, *, hints: Iterable[str] = ()) -> Place | None:
        """The place a name most likely means. `hints` are other names of the same text ("Nord" beside
        "Onnaing"): a homonym commune in a hinted département or région wins over a bigger one."""
        found = self.candidates(name)
        if not found:
            return None
        hinted = {
            c for h in hints for p in self.candidates(h) for c in (p.departement_code, p.region_code) if c
        }
        if hinted:
            for place in found:
                if place.kind in ("commune", "area") and (
                    place.departement_code in hinted or place.region_code in hinted
                ):
                    return place
        return found[0]

    def region_code(self, name: str) -> str | None:
        """The INSEE code of a région given by any of its names (official, former, abbreviated)."""
        for place in self.candidates(name):
            if place.kind == "region":
                return place.region_code
        return None

    def regions(self) -> dict[str, str]:
        """Region code -> official name."""
        return dict(self._regions)

    def departement_regions(self) -> dict[str, str]:
        """Département code -> the INSEE code of its région."""
        return {code: region for code, (_name, region) in self._departements.items()}

    def scan(self, text: str) -> list[PlaceMention]:
        """Place names in a text, longest first, left to right, without overlaps.

        Only capitalised names are taken ("Le Havre", "Fos-sur-Mer", "Hauts-de-France"); whether a
        name that is also a company or a common word ("Orange", "Nice") is a place here is for the
        reader to decide, with `locative` and the places' populations to help.
        """
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        mentions: list[PlaceMention] = []
        i = 0
        while i < len(words):
            start = words[i][0]
            if not text[start].isupper():
                i += 1
                continue
            hit = self._longest_at(text, words, i)
            if hit is None:
                i += 1
                continue
            n, key = hit
            end = words[i + n - 1][1]
            locative = bool(_LOCATIVE_BEFORE.search(text[max(0, start - 24) : start]))
            mentions.append(PlaceMention(start, end, text[start:end], self.candidates(key), locative))
            i += n
        return mentions

    def _longest_at(self, text: str, words: list[tuple[int, int]], i: int) -> tuple[int, str] | None:
        limit = i + 1
        while (
            limit < len(words)
            and limit - i < MAX_NAME_WORDS
            and _JOINER.match(text[words[limit - 1][1] : words[limit][0]])
        ):
            limit += 1
        for j in range(limit, i, -1):
            # A name ends on a capitalised word ("Saint-Didier-au-Mont-d'Or", not "Lyon et").
            if j - 1 > i and not text[words[j - 1][0]].isupper():
                continue
            key = place_key(text[words[i][0] : words[j - 1][1]])
            if key in self._index:
                return j - i, key
        return None


def _rows() -> Iterator[tuple[str, ...]]:
    raw = resources.files("newswatch.data").joinpath(DATA_FILE).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    for line in lines[1:]:
        yield tuple(line.split("\t"))


@cache
def geography() -> Geography:
    """The table, loaded on first use and kept for the life of the process (forked workers share it)."""
    return Geography(_rows())
