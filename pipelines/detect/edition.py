"""Which Choose France edition (summit year) an article speaks of.

Signals from the text, strongest first: "Choose France 2024" or "l'édition 2024"; an ordinal
("la 7e édition": the first was 2018, 2020 counted, so n -> 2017 + n); a known summit date next to the
summit ("lundi 13 mai"); any year in a sentence about the summit. Title and lede weigh more than the rest.
The publication date is a vote too: its year, or the next year for a preview published from October on
("la prochaine édition", "se tiendra"). With no signal at all the edition is None.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

# Summit days. 2020's summit was not held in person; its year still counts as an edition number.
SUMMIT_DATES: dict[int, date] = {
    2018: date(2018, 1, 22),
    2019: date(2019, 7, 15),
    2021: date(2021, 6, 28),
    2022: date(2022, 7, 11),
    2023: date(2023, 5, 15),
    2024: date(2024, 5, 13),
    2025: date(2025, 5, 19),
}
_MONTHS = {"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
           "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12}  # fmt: skip
_BY_DAY = {(d.day, d.month): y for y, d in SUMMIT_DATES.items()}
FIRST_EDITION = 2018
_ORDINAL_WORDS = {"première": 1, "premier": 1, "deuxième": 2, "seconde": 2, "troisième": 3, "quatrième": 4,
                  "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10,
                  "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10}  # fmt: skip

SUMMIT_WORD_RE = re.compile(r"choose\s*france|sommet|forum|versailles|édition|summit", re.IGNORECASE)
EXPLICIT_RE = re.compile(
    r"choose\s*france\s*(?:de\s+(?:mai\s+|juin\s+|juillet\s+|janvier\s+)?)?(?P<y1>20[1-3]\d)\b|"
    r"(?:édition|sommet|forum)\s+(?:de\s+(?:mai\s+|juin\s+|juillet\s+|janvier\s+)?)?(?P<y2>20[1-3]\d)\b",
    re.IGNORECASE,
)
ORDINAL_RE = re.compile(
    r"\b(?:(?P<num>\d{1,2})\s*(?:e|è|ème|eme|ᵉ|re|ère|st|nd|rd|th)|(?P<word>première|premier|deuxième|seconde|troisième|"
    r"quatrième|cinquième|sixième|septième|huitième|neuvième|dixième|first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth|tenth))\s+(?:(?:Choose\s+France|annual)\s+)?(?:édition|sommet|edition|summit|gathering)\b(?P<after>.{0,60})",
    re.IGNORECASE,
)
DAY_RE = re.compile(
    r"\b(?P<day>\d{1,2})(?:er)?\s+(?P<month>janvier|mai|juin|juillet)\b(?!\s+20\d\d)|"
    r"\b(?P<month_en>January|May|June|July)\s+(?P<day_en>\d{1,2})\b(?!,?\s+20\d\d)",
    re.IGNORECASE,
)
_MONTHS_EN = {"january": 1, "may": 5, "june": 6, "july": 7}
YEAR_RE = re.compile(r"\b(20[1-3]\d)\b")
PREVIEW_RE = re.compile(
    r"prochain\w*\s+(?:sommet|édition|choose)|se\s+tiendra|aura\s+lieu|devr(?:ait|aient)\s+annoncer|en\s+amont|à\s+venir|"
    r"l['’]an\s+prochain|l['’]année\s+prochaine",
    re.IGNORECASE,
)
_PREVIEW_MONTH = 10


def edition_from_published(published: date, text: str = "") -> int:
    """The edition a dated article most likely speaks of (documented in the module docstring)."""
    if published.month >= _PREVIEW_MONTH and PREVIEW_RE.search(text):
        return published.year + 1
    return published.year


def _ordinal_year(m: re.Match[str]) -> int | None:
    n = int(m.group("num")) if m.group("num") else _ORDINAL_WORDS[m.group("word").lower()]
    # "dont la première édition a été organisée en 2018" tells history, not this article's edition.
    if YEAR_RE.search(m.group("after")) or re.search(
        r"\b(?:a\s+été|avait|remonte|date|lancée|créée)\b", m.group("after")
    ):
        return None
    return FIRST_EDITION - 1 + n if 1 <= n <= 20 else None


def text_signals(sentence: str) -> list[tuple[int, int]]:
    """(year, strength) pairs that `sentence` gives."""
    out: list[tuple[int, int]] = []
    for m in EXPLICIT_RE.finditer(sentence):
        out.append((int(m.group("y1") or m.group("y2")), 3))
    for m in ORDINAL_RE.finditer(sentence):
        year = _ordinal_year(m)
        if year:
            out.append((year, 3))
    if SUMMIT_WORD_RE.search(sentence):
        for m in DAY_RE.finditer(sentence):
            if m.group("day"):
                day, month = int(m.group("day")), _MONTHS[m.group("month").lower()]
            else:
                day, month = int(m.group("day_en")), _MONTHS_EN[m.group("month_en").lower()]
            year = _BY_DAY.get((day, month))
            if year:
                out.append((year, 2))
        if not out and re.search(r"choose\s*france|sommet\s+de\s+versailles", sentence, re.IGNORECASE):
            out.extend((int(y), 1) for y in YEAR_RE.findall(sentence) if FIRST_EDITION <= int(y) <= 2035)
    return out


def article_edition(title: str | None, paragraphs: list[list[str]], published: date | None) -> int | None:
    """The summit year an article is about: weighted votes of text signals and the publication date."""
    votes: Counter[int] = Counter()
    weighted = [(title or "", 3)] + [(s, 2 if i == 0 else 1) for i, p in enumerate(paragraphs) for s in p]
    for sentence, weight in weighted:
        for year, strength in text_signals(sentence):
            votes[year] += weight * strength
    full = " ".join(s for p in paragraphs for s in p)
    if published is not None:
        from_date = edition_from_published(published, full)
        votes[from_date] += 5
        # A text year far from the publication date is a look back, not this article's edition.
        for year in list(votes):
            if year > published.year + 1:
                del votes[year]
    if not votes:
        return None
    best = max(votes.values())
    tied = [y for y, v in votes.items() if v == best]
    if published is not None and edition_from_published(published, full) in tied:
        return edition_from_published(published, full)
    return max(tied)
