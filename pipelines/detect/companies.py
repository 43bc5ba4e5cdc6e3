"""One company, one name: display names and merge keys (legal suffixes, brands and divisions folded into
the company), and the links an article states between two companies (a subsidiary, a joint venture, a
brand and its bottler) so that their announcement is one record. The cross-outlet merge uses the same key."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipelines.detect import lexicon


@cache
def _aliases() -> dict[str, str]:
    return {lexicon.fold(k): v for k, v in lexicon.mapping("companies", "aliases").items()}


def canonical_name(surface: str) -> str:
    """Display name: "Microsoft France" -> "Microsoft", "AWS" -> "Amazon", "L’Oréal" -> "L'Oréal"."""
    name = " ".join(surface.strip(' .,;:«»"').replace("’", "'").split())
    alias = _aliases().get(lexicon.fold(name))
    if alias:
        return alias
    tokens = name.split()
    suffixes = lexicon.words("companies", "display_suffixes")
    while len(tokens) > 1 and lexicon.fold(tokens[-1]).rstrip(".") in suffixes:
        tokens.pop()
    return " ".join(tokens)


@lru_cache(maxsize=4096)
def investor_key(name: str) -> str:
    """Merge key: lower case, no accents, punctuation or legal suffix ("L’Oréal SA" -> "l'oreal")."""
    folded = lexicon.fold(canonical_name(name))
    alias = _aliases().get(folded)
    if alias:
        folded = lexicon.fold(alias)
    tokens = [t for t in re.split(r"[\s,.]+", folded) if t]
    suffixes = lexicon.words("companies", "key_suffixes")
    while len(tokens) > 1 and tokens[-1] in suffixes:
        tokens.pop()
    return re.sub(r"[^\w&' -]", "", " ".join(tokens)).strip()


def _tokens(key: str) -> set[str]:
    return {t for t in re.split(r"[\s'-]+", key) if len(t) >= 3}


def shortens(short: str, long: str) -> bool:
    """Whether one key is a short form of the other ("lilly" of "eli lilly", "corvane" of "corvane
    aerospace"): all its words are words of the longer one."""
    a, b = _tokens(short), _tokens(long)
    return bool(a) and a <= b


class Links:
    """Companies an article says are one for an announcement: union-find over merge keys."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        self._parent[key] = root
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[rb] = ra

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)


def related(between: str) -> bool:
    """Whether the words right before the second of two company names make it one with the first ("Y
    via sa filiale X", "X, filiale du groupe Y", "X (groupe Y)", "la coentreprise X, détenue par Y et Z")."""
    return lexicon.regex("companies", "relation_between").search(between[-90:]) is not None


def group_key(keys: list[str], key: str, links: Links) -> str:
    """The key among `keys` (records already made) that `key` belongs with: the same key, a short form
    ("Lilly" and "Eli Lilly") when only one record fits it, or a company the article links to it."""
    if key in keys:
        return key
    linked = [k for k in keys if links.same(k, key)]
    if linked:
        return linked[0]
    fits = [k for k in keys if shortens(key, k) or shortens(k, key)]
    return fits[0] if len(fits) == 1 else key
