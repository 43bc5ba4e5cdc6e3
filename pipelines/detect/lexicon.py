"""The detector's word lists and rule tables, read once per process from pipelines/detect/data/*.yaml.

A table is a YAML mapping. A regex entry is a block of lines, one alternative per line (lines starting
with "#" are comments), compiled as one alternation; a word entry is a block of whitespace-separated
words (or one phrase per line when the key ends in "_phrases"), compared folded (no accents, lower case).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

_DATA = "pipelines.detect.data"


@cache
def table(name: str) -> dict[str, Any]:
    """The YAML mapping of data/<name>.yaml."""
    raw = resources.files(_DATA).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(raw)
    if not isinstance(loaded, dict):
        raise ValueError(f"{name}.yaml: expected a mapping at the top level")
    return loaded


@cache
def lines(name: str, key: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of one block entry."""
    value = table(name)[key]
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return tuple(
        ln.strip() for ln in str(value).splitlines() if ln.strip() and not ln.strip().startswith("#")
    )


@cache
def alternation(name: str, key: str) -> str:
    """One entry's alternatives as a non-capturing group, to build larger patterns with."""
    return "(?:" + "|".join(lines(name, key)) + ")"


@cache
def token_alternation(name: str, key: str) -> str:
    """A block of whitespace-separated regex tokens ("groupes? firmes? numéro\\s+un") as one group."""
    tokens = [t for ln in lines(name, key) for t in ln.split()]
    return "(?:" + "|".join(sorted(tokens, key=len, reverse=True)) + ")"


@cache
def regex(name: str, key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One entry compiled: its lines as alternatives."""
    try:
        return re.compile(alternation(name, key), flags)
    except re.error as exc:
        raise ValueError(f"{name}.yaml: {key}: bad pattern: {exc}") from exc


@cache
def words(name: str, key: str) -> frozenset[str]:
    """One entry as a set of folded words (or folded phrases, one per line, for keys ending in _phrases)."""
    if key.endswith("_phrases"):
        return frozenset(fold(p) for p in lines(name, key))
    return frozenset(fold(w) for ln in lines(name, key) for w in ln.split())


@cache
def mapping(name: str, key: str) -> dict[str, Any]:
    value = table(name)[key]
    if not isinstance(value, dict):
        raise ValueError(f"{name}.yaml: {key}: expected a mapping")
    return value


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes straightened: the form words are compared in."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.lower().replace("’", "'")
