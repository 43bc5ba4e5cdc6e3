"""French number words to integers, table-driven: "quatre-vingt-dix" -> 90, "deux cent cinquante" -> 250,
"un milliard deux cents millions" -> 1 200 000 000. None for anything that is not a well-formed number.

Each word has a kind in one table; the parser keeps three accumulators (the part below a hundred, the part
below a thousand, and the part below a million) and checks each word may follow the one before, so a list
of words that only looks numeric ("deux trois", "vingt trente") is refused instead of being summed.
"""

from __future__ import annotations

import re

# kind: "unit" 0-9, "teen" 10-16, "ten" 20-60 (and Belgian/Swiss 70/80/90), "hundred", "thousand", "scale".
_WORDS: dict[str, tuple[str, int]] = {
    "zéro": ("unit", 0), "zero": ("unit", 0), "un": ("unit", 1), "une": ("unit", 1), "deux": ("unit", 2),
    "trois": ("unit", 3), "quatre": ("unit", 4), "cinq": ("unit", 5), "six": ("unit", 6), "sept": ("unit", 7),
    "huit": ("unit", 8), "neuf": ("unit", 9),
    "dix": ("teen", 10), "onze": ("teen", 11), "douze": ("teen", 12), "treize": ("teen", 13),
    "quatorze": ("teen", 14), "quinze": ("teen", 15), "seize": ("teen", 16),
    "vingt": ("ten", 20), "vingts": ("ten", 20), "trente": ("ten", 30), "quarante": ("ten", 40),
    "cinquante": ("ten", 50), "soixante": ("ten", 60), "septante": ("ten", 70), "huitante": ("ten", 80),
    "octante": ("ten", 80), "nonante": ("ten", 90),
    "cent": ("hundred", 100), "cents": ("hundred", 100),
    "mille": ("thousand", 1000),
    "million": ("scale", 10**6), "millions": ("scale", 10**6),
    "milliard": ("scale", 10**9), "milliards": ("scale", 10**9),
}  # fmt: skip

# The alternation the money and job regexes use to find number words in text (longest first).
NUM_WORD = (
    r"(?:"
    + "|".join(sorted((w for w, (k, _) in _WORDS.items() if k != "scale"), key=len, reverse=True))
    + r")"
)

_SPLIT_RE = re.compile(r"[\s\u00a0\u202f-]+")


def _add_below_hundred(part: int, prev: str, kind: str, value: int, word: str) -> int | None:
    """The part below a hundred after one more word (`prev` is the kind of the word before), or None when
    the word cannot follow."""
    if kind == "unit":
        if part == 0:
            return value
        # "vingt et un", "soixante-deux", "quatre-vingt-un"; after "dix" only "dix-sept/huit/neuf".
        if prev == "ten" or (prev == "teen" and part % 10 == 0 and value >= 7):
            return part + value
        return None
    if kind == "teen":
        # "soixante-dix", "quatre-vingt-onze": teens follow nothing, sixty or eighty.
        return part + value if part in (0, 60, 80) and prev != "teen" else None
    # kind == "ten": "quatre-vingt(s)" multiplies the four before it; other tens start the part.
    if value == 20 and part == 4 and prev == "unit":
        return 80
    if word == "vingts" or part:
        return None  # plural "vingts" only in "quatre-vingts"
    return value


def parse_word_number(text: str) -> int | None:
    """French number words to an int, or None when `text` is not one well-formed number."""
    tokens = [t for t in _SPLIT_RE.split(text.lower().strip()) if t and t != "et"]
    if not tokens or any(t not in _WORDS for t in tokens):
        return None
    total = 0  # sum of finished million/milliard groups
    last_scale = 10**12
    thousands = 0  # "N mille" part of the current group
    hundreds = 0  # "N cent(s)" part below a thousand
    part = 0  # below a hundred
    prev = "start"
    for token in tokens:
        kind, value = _WORDS[token]
        if kind in ("unit", "teen", "ten"):
            new = _add_below_hundred(part, prev, kind, value, token)
            if new is None:
                return None
            part = new
        elif kind == "hundred":
            # "deux cents", "dix-neuf cent"; never "cent cent" or "vingt cent".
            if hundreds or part > 19 or (prev == "unit" and part in (0, 1) and token == "cents"):
                return None
            hundreds, part = max(part, 1) * 100, 0
        elif kind == "thousand":
            if thousands or prev == "thousand":
                return None
            thousands, hundreds, part = max(hundreds + part, 1) * 1000, 0, 0
        else:  # million / milliard close the group before them, largest first
            if value >= last_scale or prev == "scale":
                return None
            total += max(thousands + hundreds + part, 1) * value
            last_scale, thousands, hundreds, part = value, 0, 0, 0
        prev = kind
    return total + thousands + hundreds + part
