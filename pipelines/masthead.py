"""The names a page gives its publisher: the masthead of a menu line ("Flux & Entrepôts - Actualités | ..."),
a byline ("Mobilités Pro - 15 mai 2023 - Rubrique ..."), a newsletter footer ("inscrit à La Lettre du Matin")
and the agency code of a dateline ("VERSAILLES, 19 mai 2025 (AFI) -"). The outlet reports; it never invests.
"""

from __future__ import annotations

import re

from pipelines.entities import investor_key

_MONTH = r"(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)"
_DATE = rf"(?:\d{{1,2}}(?:er)?\s+{_MONTH}(?:\s+\d{{4}})?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
# "Flux & Entrepôts - Actualités | Immobilier | ...": a short name, then a separator, then the menu.
_MASTHEAD_RE = re.compile(r"^\s*(?P<name>[^\s|–—-][^|–—]{1,38}?)\s+[-–—]\s+[^|]+\|[^|]+\|")
# "Mobilités Pro - 15 mai 2023 - Rubrique ...", "Le Journal du Port | 3 juin 2024".
_BYLINE_RE = re.compile(
    rf"^\s*(?P<name>[A-ZÀ-Ý][^|–—]{{1,38}}?)\s+[-–—|]\s+(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?{_DATE}",
    re.IGNORECASE,
)
# "Vous recevez cet e-mail car vous êtes inscrit à La Lettre du Matin", "Newsletter Décideurs : ...".
_SUBSCRIBED_RE = re.compile(
    r"\b(?i:inscrit(?:e|s|es)?\s+(?:à|au)\s+(?:la\s+newsletter\s+)?)(?P<name>[A-ZÀ-Ý][\w&'’ -]{1,40}?)\s*(?:[.,;!]|$)"
    r"|^(?i:newsletter)\s+(?P<name2>[A-ZÀ-Ý][\w&'’-]{2,30})\s*:",
    re.MULTILINE,
)
# "VERSAILLES, 19 mai 2025 (AFI) -", "ROUEN (AFP) -", "Paris, 13 mai (Reuters) –": the wire agency's code.
_AGENCY_RE = re.compile(
    rf"^\s*[A-ZÀ-Ý][\w' -]{{1,40}}(?:\s*\([^)]{{1,30}}\))?\s*(?:,\s*(?:le\s+)?{_DATE})?\s*"
    r"\((?P<code>[A-Z]{2,6}|[A-Z][a-z]{2,12})\)\s*[-–—:]",
    re.MULTILINE,
)
# The same code cited in the body: "a expliqué à l'AFI", "selon l'AFP".
_NAME_MAX_TOKENS = 5


def _plausible(name: str) -> bool:
    tokens = name.split()
    if tokens and tokens[0].lower() in ("par", "by", "publié", "rédigé", "mis"):
        return False  # a byline's author, not the outlet
    return 0 < len(tokens) <= _NAME_MAX_TOKENS and not any(ch.isdigit() for ch in name)


def publication_names(title: str | None, text: str) -> frozenset[str]:
    """Investor keys of the outlet's own names found in the title line and the page."""
    found: set[str] = set()
    head_lines = [title or ""] + [ln for ln in text.split("\n") if ln.strip()][:3]
    for line in head_lines:
        for pattern in (_MASTHEAD_RE, _BYLINE_RE):
            m = pattern.match(line)
            if m and _plausible(m.group("name")):
                found.add(m.group("name").strip())
    for m in _SUBSCRIBED_RE.finditer(text):
        name = (m.group("name") or m.group("name2") or "").strip()
        if _plausible(name):
            found.add(name)
    for m in _AGENCY_RE.finditer(text):
        found.add(m.group("code"))
    return frozenset(k for k in (investor_key(n) for n in found) if k)
