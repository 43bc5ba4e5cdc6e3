"""Sector labels: what an investment is for, as a short canonical label (table in data/sectors.yaml)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipelines.detect import lexicon

_MAX_LABELS = 3
_GENERIC = "industrie"
# What the project is: "usine de batteries", "centre de données", "site de production de vaccins".
PROJECT_PHRASE_RE = re.compile(
    r"\b(?:usines?|sites?|centres?|campus|unités?|lignes?|gigafactory|gigafactories|plateformes?|fabriques?|"
    r"laboratoires?|entrepôts?|complexes?|pôles?|hubs?|production|recherche|R&D|activités?)\b(?:\s+(?:de\s+production|industriel|de\s+fabrication|"
    r"européen|mondial|nouvel|nouveau))?\s*(?:de\s+la\s+|de\s+l['’]|de\s+|d['’]|des\s+|du\s+|pour\s+|dédiée?\s+à\s+|"
    r"consacrée?\s+à\s+|dédiée?\s+aux\s+|consacrée?\s+aux\s+)?(?:[\w'’-]+\s+){0,6}",
    re.IGNORECASE,
)


@cache
def _table() -> tuple[list[str], re.Pattern[str]]:
    """The labels in priority order, and one pattern with a named group per label (one pass per text)."""
    rows = lexicon.table("sectors")["labels"]
    labels = [row["label"] for row in rows]
    groups = [
        f"(?P<s{i}>" + "|".join(ln.strip() for ln in row["words"].splitlines() if ln.strip()) + ")"
        for i, row in enumerate(rows)
    ]
    return labels, re.compile("|".join(groups), re.IGNORECASE)


@lru_cache(maxsize=2048)
def _found(text: str) -> frozenset[int]:
    labels, pattern = _table()
    return frozenset(int(m.lastgroup[1:]) for m in pattern.finditer(text) if m.lastgroup)


def sector_labels(text: str) -> list[str]:
    """Sector labels found in `text`, in priority order."""
    labels, _ = _table()
    found = _found(text)
    return [label for i, label in enumerate(labels) if i in found]


@cache
def _company_nouns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    rows = lexicon.table("sectors")["company_nouns"] + lexicon.table("sectors")["name_words"]
    return tuple(
        (
            row["label"],
            re.compile("|".join(ln.strip() for ln in row["words"].splitlines() if ln.strip()), re.I),
        )
        for row in rows
    )


@cache
def _known() -> dict[str, str]:
    table = lexicon.mapping("sectors", "known_companies")
    return {lexicon.fold(name): label for label, names in table.items() for name in names}


def known_label(key: str) -> str | None:
    """The business of a well-known investor, by its company key ("toyota", "eli lilly")."""
    return _known().get(lexicon.fold(key))


# Labels too broad to say a project's business when a company's name or fame says more.
BROAD_LABELS = frozenset({"industrie", "santé", "numérique", "distribution", "énergie", "chimie"})


def name_label(name: str) -> str | None:
    """The business a company's own name says ("Lumera Semiconductors", "Nimbrel AI"), from its name words."""
    rows = lexicon.table("sectors")["name_words"]
    return next((label for label, regex in _company_nouns()[-len(rows) :] if regex.search(name)), None)


def company_labels(description: str) -> list[str]:
    """Labels a company's description gives: its nouns ("le laboratoire", "le logisticien") first, then
    the sector words in it ("spécialiste de la logistique du froid")."""
    labels = [label for label, regex in _company_nouns() if regex.search(description)]
    return labels + [label for label in sector_labels(description) if label not in labels]


def _labels_first_project(text: str) -> list[str]:
    """Labels of the project's own words first ("usine de batteries pour l'automobile": batteries), then
    the rest of the text's, in priority order."""
    labels: list[str] = []
    for phrase in PROJECT_PHRASE_RE.finditer(text):
        labels += [label for label in sector_labels(phrase.group(0)) if label not in labels]
    return labels + [label for label in sector_labels(text) if label not in labels]


def project_sector(tiers: list[list[str]], descriptions: list[str] = (), after: int = 1) -> str | None:  # type: ignore[assignment]
    """The sector of an investment from tiers of texts, most telling first: the first tier with a specific
    label decides; "industrie" (a plant, nothing more) only when no tier says more. The company's
    descriptions are read after the first `after` tiers."""
    generic = False
    ordered: list[tuple[str, list[str]]] = [("text", t) for t in tiers]
    ordered.insert(min(after, len(ordered)), ("company", list(descriptions)))
    for kind, tier in ordered:
        labels: list[str] = []
        for text in tier:
            found = company_labels(text) if kind == "company" else _labels_first_project(text)
            labels += [label for label in found if label not in labels]
        generic = generic or _GENERIC in labels
        specific = [label for label in labels if label != _GENERIC]
        if specific:
            return ", ".join(specific[:_MAX_LABELS])
    return _GENERIC if generic else None
