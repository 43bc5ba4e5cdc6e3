"""First names, from the table the gender-guesser package ships (about 40,000 names of many countries,
read once per process): "Kylian Mbappé" is a person unless the article says it is a company."""

from __future__ import annotations

import sys
import unicodedata
from functools import cache
from importlib import resources

from pipelines.detect import lexicon

# Columns of the table: gender code, then the name, then frequencies by country (gender-guesser's layout).
_NAME_COLUMNS = slice(3, 29)


@cache
def _first_names() -> frozenset[str]:
    names = set()
    # Read line by line: the whole file at once would cost a worker several megabytes for good.
    with (
        resources.files("gender_guesser").joinpath("data", "nam_dict.txt").open(encoding="iso8859-1") as table
    ):
        for line in table:
            if line.startswith("#") or len(line) < 30:
                continue
            name = line[_NAME_COLUMNS].strip()
            if name and "+" not in name and " " not in name:
                names.add(_fold(name))
    return frozenset(names)


def _fold(word: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return sys.intern(bare.lower())


def is_first_name(word: str) -> bool:
    return lexicon.fold(word) in _first_names()
