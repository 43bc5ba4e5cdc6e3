"""First names, from the table the gender-guesser package ships (about 40,000 names of many countries,
read once per process): "Kylian Mbappé" is a person unless the article says it is a company."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pipelines.detect import lexicon

# Columns of the table: gender code, then the name, then frequencies by country (gender-guesser's layout).
_NAME_COLUMNS = slice(3, 29)


@cache
def _first_names() -> frozenset[str]:
    raw = resources.files("gender_guesser").joinpath("data", "nam_dict.txt").read_text(encoding="iso8859-1")
    names = set()
    for line in raw.splitlines():
        if line.startswith("#") or len(line) < 30:
            continue
        name = line[_NAME_COLUMNS].strip()
        if name and "+" not in name and " " not in name:
            names.add(lexicon.fold(name))
    return frozenset(names)


def is_first_name(word: str) -> bool:
    return lexicon.fold(word) in _first_names()
