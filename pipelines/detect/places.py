"""Places in a text, from the open French geography (newswatch.geo: every commune, département and
région) and a table of places abroad; and the phrases that say a place is not where a project is (the
company's home town, an institution named after a place, a supplier's or a customer's site)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from newswatch.geo import Place, PlaceMention, geography
from pipelines.detect import lexicon

# A commune this big named without a locative is still a place; a smaller one may be a company or a
# common word ("Mars", "Bonne journée") and needs "à", "près de" or its département in brackets.
_BIG_TOWN = 20_000
_TOWN = 10_000
_NEAR = 60
# "sa première usine hors d'Asie": a place named to say the project is not there.
_OUTSIDE_BEFORE_RE = re.compile(
    r"\b(?:hors|en\s+dehors|loin|au-delà)\s+(?:de\s+l['’]|de\s+la\s+|du\s+|des\s+|de\s+|d['’])\s*$", re.I
)
# "Brémoncourt, commune de 400 habitants": a place said to be one.
_DESCRIBED_AFTER_RE = re.compile(
    r"\s*,\s*(?:une?\s+|la\s+|le\s+)?(?:petite?\s+|grande?\s+)?(?:commune|village|ville|bourg|cité|agglomération|localité)\b",
    re.IGNORECASE,
)
_BRACKET_AFTER_RE = re.compile(r"\s*\((?:\d{2,3}|2[AB]|[^()]{3,40})\)")
_NAME = r"(?-i:[A-ZÉÈÎÔ][\w’'-]*)(?:[- ](?:sur|sous|en|le|la|lès|les|de|du|d['’]|aux?)[- ](?-i:[A-ZÉÈ][\w’'-]*)|-(?-i:[A-ZÉÈ][\w’'-]*))*"
_UNKNOWN_AFTER_RE = re.compile(
    r"(?=\s*(?:\(|,|\.|;|:|$|\s+(?:en|dans|et|pour|où|qui|sur|de|du|des|d['’]|avec|afin|à|au|aux|dès|grâce|d'ici|pour)\b))"
)


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place named in a text: in France (`place` is its most likely commune, département or région,
    None for a small place no table lists) or abroad."""

    start: int
    end: int
    surface: str
    place: Place | None
    foreign: bool = False


@cache
def _foreign_re() -> re.Pattern[str]:
    names = sorted(lexicon.lines("places", "foreign_phrases"), key=len, reverse=True)
    # "Basse-Silésie", "Rhénanie-Palatinat": a compound of a place abroad is abroad too.
    prefix = r"(?:(?:Haute|Basse|Haut|Bas|Nord|Sud|Grande?|Petite?)-)?"
    return re.compile(
        rf"(?<![\w-]){prefix}(?:" + "|".join(re.escape(n) for n in names) + r")(?:-[A-ZÀ-Ý][\w]+)*(?![\w-])"
    )


def _ambiguous() -> frozenset[str]:
    return lexicon.words("places", "ambiguous_names")


def _accept(m: PlaceMention, text: str) -> bool:
    """Whether a name the geography knows is used as a place here."""
    best = m.places[0]
    if m.surface.isupper() and len(m.surface) <= 3:
        return False  # "US", "EU": an acronym; a commune this short is written "Us", "Eu" in running text
    bracketed = text[max(0, m.start - 1) : m.start] == "(" or bool(_BRACKET_AFTER_RE.match(text, m.end))
    if bracketed or _DESCRIBED_AFTER_RE.match(text, m.end):
        return True
    small = best.kind == "commune" and (best.population or 0) < _TOWN
    if small and re.match(r" (?-i:[A-ZÀ-Ý])", text[m.end : m.end + 2]):
        return False  # "quartier de Port Marianne": a small commune's name as the first word of another
    if lexicon.regex("places", "locative_before").search(text, max(0, m.start - 30), m.start):
        return True
    if lexicon.fold(m.surface) in _ambiguous():
        return False
    if best.kind in ("region", "departement", "area"):
        return True
    return (best.population or 0) >= _BIG_TOWN


def _contracted(text: str) -> list[PlaceRef]:
    """ "au Havre", "du Mans": the town's own article merged with a preposition."""
    found = []
    for m in lexicon.regex("places", "contracted_article").finditer(text):
        word = re.match(r"[\w-]+", text[m.end() :])
        if word is None:
            continue
        for article in ("Le", "Les"):
            places = geography().candidates(f"{article} {word.group(0)}")
            if places:
                end = m.end() + word.end()
                found.append(PlaceRef(m.end(), end, f"{article} {word.group(0)}", places[0]))
                break
    return found


@cache
def _lowercase_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {lexicon.fold(k): v for k, v in lexicon.mapping("places", "lowercase_areas").items()}
    names = sorted(lexicon.mapping("places", "lowercase_areas"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE), table


def _lowercase(text: str) -> list[PlaceRef]:
    """ "en région parisienne", "dans la métropole lilloise": areas written in lower case."""
    pattern, table = _lowercase_re()
    found = []
    for m in pattern.finditer(text):
        places = geography().candidates(table[lexicon.fold(m.group(0))])
        if places:
            found.append(PlaceRef(m.start(), m.end(), m.group(0), places[0]))
    return found


def _unknown(text: str, taken: list[tuple[int, int]], known: list[PlaceRef]) -> list[PlaceRef]:
    """Small places after a locative only places take ("sur la zone de Kerdroniou, à Quimper"), unless a
    place abroad is named next to them (then it is likely a town abroad no table has: "à Taoyuan, à Taïwan").
    A short name the press uses for a commune ("Cherbourg") is that commune."""
    found = []
    locative = lexicon.alternation("places", "strong_locative")
    for m in re.finditer(rf"{locative}\s*(?P<name>{_NAME})", text, re.IGNORECASE):
        start, end = m.span("name")
        if any(a < end and start < b for a, b in taken) or not _UNKNOWN_AFTER_RE.match(text, end):
            continue
        near = [r for r in known if r.end > start - _NEAR and r.start < end + _NEAR]
        if any(r.foreign for r in near):
            continue
        official = lexicon.mapping("places", "press_names").get(m.group("name"))
        place = geography().candidates(official)[0] if official and geography().candidates(official) else None
        found.append(PlaceRef(start, end, m.group("name"), place))
    return found


def find_places(text: str, skip: list[tuple[int, int]] | tuple[()] = ()) -> list[PlaceRef]:
    """French places (known or after a locative) and places abroad, left to right, without overlaps.
    `skip` are spans already known to be something else (a company's name, a person)."""
    return list(_find_places(text, tuple(skip)))


@lru_cache(maxsize=1024)
def _find_places(text: str, skip: tuple[tuple[int, int], ...]) -> tuple[PlaceRef, ...]:
    taken = list(skip)
    found: list[PlaceRef] = []
    for m in _foreign_re().finditer(text):
        taken.append(m.span())
        if not _OUTSIDE_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()):
            found.append(PlaceRef(m.start(), m.end(), m.group(0), None, foreign=True))
    for ref in _contracted(text) + _lowercase(text):
        if not any(a < ref.end and ref.start < b for a, b in taken):
            found.append(ref)
            taken.append((ref.start, ref.end))
    listed = False  # "à Lamballe, Sablé-sur-Sarthe et Vitré": a list of places goes on being one
    seen: set[str] = set()  # a place once named as one stays one ("SAINT-VULBAS (Ain) - Saint-Vulbas...")
    for m in geography().scan(text):
        if any(a < m.end and m.start < b for a, b in taken):
            continue
        in_list = listed and re.fullmatch(
            r"\s*(?:\([^()]*\))?\s*(?:,|et|ou)\s*", text[taken[-1][1] : m.start]
        )
        key = lexicon.fold(m.surface)
        if not (in_list or key in seen or _accept(m, text)):
            listed = False
            continue
        seen.add(key)
        taken.append((m.start, m.end))
        listed = True
        if _OUTSIDE_BEFORE_RE.search(text, max(0, m.start - 20), m.start):
            continue  # "hors de l'Île-de-France": named to say the project is not there
        if m.surface.isupper() and len(m.surface) > 3 and not text[: m.start].strip():
            continue  # a dateline's town in capitals: where the news comes from
        found.append(PlaceRef(m.start, m.end, m.surface, m.places[0]))
    found += _unknown(text, taken, found)
    found.sort(key=lambda r: r.start)
    return tuple(found)


def is_french_place(name: str) -> bool:
    """A whole name that the geography knows (a table cell, a list head)."""
    return bool(geography().candidates(name.strip()))


def geography_kind(name: str) -> str | None:
    """ "area" for a région, a département or an economic area, "town" for a commune of 10,000 people or
    more, "small" for a smaller one, None when the geography does not know the name."""
    found = geography().candidates(name.strip())
    if not found:
        return None
    if found[0].kind in ("region", "departement", "area"):
        return "area"
    return "town" if (found[0].population or 0) >= _TOWN else "small"


def is_foreign_place(name: str) -> bool:
    return _foreign_re().fullmatch(name.strip()) is not None


def abroad_words(text: str) -> bool:
    return lexicon.regex("places", "abroad").search(text) is not None


def in_france_words(text: str) -> bool:
    return lexicon.regex("places", "in_france", 0).search(text) is not None


@cache
def _place_after_re() -> re.Pattern[str]:
    """A place's name after an institution or a home: capitalised, or an area the press writes in lower
    case ("les lycées du bassin minier")."""
    areas = "|".join(
        re.escape(n) for n in sorted(lexicon.mapping("places", "lowercase_areas"), key=len, reverse=True)
    )
    return re.compile(rf"\s*(?:(?i:{areas})\b|{_NAME})")


def _blank(text: str, pattern: re.Pattern[str], with_place: bool) -> str:
    name = _place_after_re() if with_place else None

    def repl(m: re.Match[str]) -> str:
        end = m.end()
        if name is not None:
            tail = name.match(text, end)
            end = tail.end() if tail else end
        return " " * (end - m.start())

    out, last = [], 0
    for m in pattern.finditer(text):
        if m.start() < last:
            continue
        blank = repl(m)
        out += [text[last : m.start()], blank]
        last = m.start() + len(blank)
    return "".join(out) + text[last:]


def other_roles_blanked(text: str) -> str:
    """`text` with the clauses about suppliers, customers, partners and existing sites blanked out (same
    length): their words say another business than the project's ("en lien avec l'usine Renault voisine")."""
    return _blank(text, lexicon.regex("places", "other_role"), with_place=False)


def not_project_places(text: str) -> str:
    """`text` with the places that are not a project's blanked out (same length, offsets hold): homes of
    companies, institutions named after a place, suppliers', customers' and existing sites."""
    text = _blank(text, lexicon.regex("places", "home_before"), with_place=True)
    text = _blank(text, lexicon.regex("places", "institution_before"), with_place=True)
    return _blank(text, lexicon.regex("places", "other_role"), with_place=False)


def narrowest(names: list[str], said: list[list[str]], kept: set[str]) -> list[str]:
    """`names` without a région or an area ("le Valenciennois") said neither with the figure (`kept`) nor in
    a sentence beside a place inside it (`said`: the places of each sentence) when another sentence names
    one: after "une usine à Molsheim", "des ingénieurs formés en Alsace" says no more than Molsheim, whose
    région a location carries, while "à Saint-Gaudens, en Occitanie" is the site described."""
    geo = geography()
    places = {n: geo.resolve(n, hints=[o for o in names if o != n]) for n in names}

    def inside(inner: Place | None, outer: Place) -> bool:
        if inner is None or inner is outer:
            return False
        if outer.kind == "region":
            return inner.kind != "region" and inner.region_code == outer.region_code
        # An area is narrower than its département: only a commune of that département is inside it.
        return inner.kind == "commune" and inner.departement_code == outer.departement_code

    def wider(name: str) -> bool:
        place = places[name]
        if name in kept or place is None or place.kind not in ("region", "area"):
            return False
        if not any(inside(places[o], place) for o in names):
            return False
        return not any(name in group and any(inside(places.get(o), place) for o in group) for group in said)

    return [name for name in names if not wider(name)]


def resolve(names: list[str]) -> list[Place]:
    """Each name as a Place, homonyms settled by the others ("Onnaing" beside "Nord"); a small place no
    table lists gets the département and région of a place named with it."""
    geo = geography()
    resolved = [geo.resolve(n, hints=[o for o in names if o != n]) for n in names]
    anchor = next((p for p in resolved if p is not None and p.departement_code), None)
    out = []
    for name, place in zip(names, resolved, strict=True):
        if place is None:
            place = Place(name, "area", None, None, anchor.departement_code if anchor else None,
                          anchor.departement if anchor else None, anchor.region_code if anchor else None,
                          anchor.region if anchor else None)  # fmt: skip
        out.append(place)
    return out
