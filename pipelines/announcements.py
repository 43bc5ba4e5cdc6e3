"""One announcement, many articles: the merge rules (the store's announcements repository applies them).

Two reports are the same announcement when all three hold:
- one company: the same merge key (pipelines.detect.companies, the key the detector groups an article's
  frames by), a short form of the other's name ("Lilly" / "Eli Lilly and Company", "groupe X" / "X"),
  an acronym of it ("TSMC"), or a name an article linked to it (a subsidiary, a parent, a joint venture:
  kept in the record's `aliases`, so a later report under that name joins the record);
- one edition: a report without an edition matches only reports without one, so a company's plans of
  several summits stay apart;
- amounts that agree: within AMOUNT_TOLERANCE, one of them unknown, or one a bound ("plus de X",
  "jusqu'à X") the other meets without being more than twice (half) it.

A later report fills what the stored one lacks (jobs, sector), adds its places and names, and replaces
the amount only when its figure is stronger (`strength`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace

from newswatch.store.announcements import STATUS_ABANDONED, MergePolicy, Report, casefold_union
from newswatch.store.models import Announcement
from pipelines.detect import Investment
from pipelines.detect.companies import investor_key, shortens

AMOUNT_TOLERANCE = 0.10
# How far from a bound ("plus de X", "jusqu'à X") the figure it rounds may lie: X to 2X, X/2 to X.
BOUND_SPAN = 2.0

# Words before a company's own name that do not make it another company ("le groupe Renault").
_GENERIC_LEADS = ("le groupe ", "la societe ", "groupe ", "group ", "societe ", "compagnie ")
# Words an acronym skips ("Banque de France" -> BDF is not expected, "BF" is).
_ACRONYM_SKIPS = frozenset({"de", "des", "du", "d", "la", "le", "les", "l", "et", "and", "of", "the", "&"})
_MIN_ACRONYM = 3

# How a figure is worded, read from the start of the amount's text.
_BOUND_LOW = re.compile(
    r"^\s*(?:plus\s+d|au\s+moins|au[-\s]del[àa]\s+d|au\s+minimum|sup[ée]rieur|d[ée]pass|entre\s|more\s+than|over\s|"
    r"at\s+least|in\s+excess\s+of|between\s)|^\s*\d[\d\s,.]*\s*(?:à|a|-|–)\s*\d",
    re.IGNORECASE,
)
_BOUND_HIGH = re.compile(r"^\s*(?:jusqu|moins\s+d|au\s+plus|au\s+maximum|up\s+to|less\s+than)", re.IGNORECASE)
_APPROXIMATE = re.compile(
    r"^\s*(?:pr[èe]s\s+d|environ|quelque|autour\s+d|approximativement|presque|un\s+peu\s+(?:plus|moins)\s+d|"
    r"around|about|nearly|almost|some|roughly|~)",
    re.IGNORECASE,
)
# A sentence that adds up several projects or years rather than telling one announcement.
_RECAP = re.compile(
    r"\b(?:au\s+total|en\s+tout|au\s+cumul|en\s+cumul[ée]?|cumul[ée]e?s?|l['’]ensemble\s+des\s+(?:projets|annonces|"
    r"investissements)|(?:ces|les)\s+\d+\s+(?:projets|annonces|entreprises|investisseurs)|in\s+total|altogether)\b",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Words of a company's name too common to show that a sentence names it.
_NAME_FILLERS = frozenset(
    {
        "groupe",
        "group",
        "france",
        "societe",
        "company",
        "international",
        "industries",
        "partners",
        "holding",
        "europe",
        "energy",
        "energies",
        "solutions",
        "technologies",
    }
)


# --- one company --------------------------------------------------------------------------------------


def company_key(name: str) -> str:
    """The merge key of a name, without a generic word before the company's own ("groupe X" is X)."""
    key = investor_key(name)
    for lead in _GENERIC_LEADS:
        if key.startswith(lead) and len(key) > len(lead):
            return key[len(lead) :]
    return key


def _acronym(short: str, long: str) -> bool:
    """Whether `short` is the initials of `long`'s words ("tsmc" of "taiwan semiconductor manufacturing
    company"); acronyms of fewer than three letters say too little."""
    if len(short) < _MIN_ACRONYM or not short.isalpha() or " " in short:
        return False
    words = [w for w in re.split(r"[\s'-]+", long) if w and w not in _ACRONYM_SKIPS]
    return len(words) >= _MIN_ACRONYM and "".join(w[0] for w in words) == short


def names_of(report: Report) -> set[str]:
    """The merge keys a report is known by: its investor's and the names the article linked to it."""
    keys = {company_key(report.investor), *(company_key(a) for a in report.aliases)}
    keys.discard("")
    return keys


def stored_names(row: Announcement) -> set[str]:
    return {company_key(row.investor), row.investor_key, *(row.aliases or [])} - {""}


def company_match(a: set[str], b: set[str]) -> int | None:
    """How two sets of names are one company: 0 a shared name, 1 a short form or an acronym; None: not."""
    if a & b:
        return 0
    for x in a:
        for y in b:
            if _short_form(x, y) or _short_form(y, x) or _acronym(x, y) or _acronym(y, x):
                return 1
    return None


def _short_form(short: str, long: str) -> bool:
    """A short form that keeps a word of the company's own ("Lilly"), not only a generic one ("Groupe")."""
    return shortens(short, long) and any(
        len(w) >= 3 and w not in _NAME_FILLERS for w in re.split(r"[\s'-]+", short)
    )


# --- one edition, one amount -----------------------------------------------------------------------------


def editions_agree(a: int | None, b: int | None) -> bool:
    """The same summit: equal editions, an unknown edition matching only another unknown one."""
    return a == b


def bound(amount_text: str | None) -> str | None:
    """ "low" for a floor ("plus de X", a range from X), "high" for a ceiling ("jusqu'à X"), else None."""
    if not amount_text:
        return None
    if _BOUND_HIGH.search(amount_text):
        return "high"
    return "low" if _BOUND_LOW.search(amount_text) else None


def amounts_agree(
    a: float | None,
    b: float | None,
    tolerance: float = AMOUNT_TOLERANCE,
    *,
    a_text: str | None = None,
    b_text: str | None = None,
) -> bool:
    """Within `tolerance` of the larger, one side unknown, or a bound the other figure meets."""
    if a is None or b is None:
        return True
    if abs(a - b) <= tolerance * max(abs(a), abs(b)):
        return True
    for value, other, wording in ((a, b, a_text), (b, a, b_text)):
        # A bound is a rounded figure: "plus d'un milliard" is 1,2 milliard, not 5 milliards.
        kind = bound(wording)
        if kind == "low" and value * (1 - tolerance) <= other <= value * BOUND_SPAN:
            return True
        if kind == "high" and value / BOUND_SPAN <= other <= value * (1 + tolerance):
            return True
    return False


def _precision(amount_text: str | None) -> int:
    if bound(amount_text):
        return 0
    return 1 if amount_text and _APPROXIMATE.search(amount_text) else 2


def _words(value: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return f" {_NON_WORD.sub(' ', bare.casefold()).strip()} "


def _names_company(evidence: str, names: Iterable[str]) -> bool:
    """Whether the sentence names the company: one of its names, or a distinctive word of one."""
    said = _words(evidence)
    for name in names:
        folded = _words(name)
        if folded.strip() and folded in said:
            return True
        if any(len(w) >= 4 and w not in _NAME_FILLERS and f" {w} " in said for w in folded.split()):
            return True
    return False


def strength(
    amount_eur: float | None, amount_text: str | None, evidence: str, names: Iterable[str]
) -> tuple[int, ...]:
    """How far a report's figure can be trusted, compared as a tuple (the bigger wins):
    1. a figure in euros beats none (or one only in another currency);
    2. a sentence that names the company beside its figure and adds up nothing beats one that does not
       name it or that recaps totals ("au total", "les 56 projets");
    3. a precise figure beats an approximate one ("près de", "environ"), which beats a bound or a range
       ("plus de", "jusqu'à", "entre X et Y").
    A stored figure changes only for a strictly stronger one: equal reports keep the first."""
    if amount_eur is None:
        return (0, 0, 0)
    attributed = _names_company(evidence, names) and not _RECAP.search(evidence)
    return (1, int(attributed), _precision(amount_text))


def _report_strength(report: Investment, names: Iterable[str]) -> tuple[int, ...]:
    return strength(report.amount_eur, report.amount_text, report.evidence, names)


# --- in memory ---------------------------------------------------------------------------------------------


def same_announcement(a: Investment, b: Investment, tolerance: float = AMOUNT_TOLERANCE) -> bool:
    return (
        company_match(names_of(a), names_of(b)) is not None
        and editions_agree(a.edition, b.edition)
        and amounts_agree(a.amount_eur, b.amount_eur, tolerance, a_text=a.amount_text, b_text=b.amount_text)
    )


def fill(earlier: Investment, later: Investment) -> Investment:
    """`earlier` completed with what `later` adds: missing jobs, sector, new places and names; its figure
    (with the sentence that gives it) when stronger."""
    names = [earlier.investor, *earlier.aliases, later.investor, *later.aliases]
    stronger = _report_strength(later, names) > _report_strength(earlier, names)
    source = later if stronger else earlier
    place_of = {p.name.casefold(): p for p in [*earlier.places, *later.places]}
    locations = casefold_union(earlier.locations, later.locations)
    return replace(
        earlier,
        amount_eur=source.amount_eur,
        amount_text=source.amount_text or (earlier.amount_text or later.amount_text),
        currency=source.currency or earlier.currency or later.currency,
        evidence=source.evidence,
        locations=locations,
        places=[place_of[n.casefold()] for n in locations if n.casefold() in place_of],
        sector=earlier.sector or later.sector,
        jobs=earlier.jobs if earlier.jobs is not None else later.jobs,
        aliases=casefold_union(
            earlier.aliases, [n for n in [later.investor, *later.aliases] if n != earlier.investor]
        ),
        status=STATUS_ABANDONED if STATUS_ABANDONED in (earlier.status, later.status) else earlier.status,
    )


def merge_investments(reports: Iterable[Investment], tolerance: float = AMOUNT_TOLERANCE) -> list[Investment]:
    """Group reports of the same announcement, earliest first, each completed by the later ones."""
    merged: list[Investment] = []
    for report in reports:
        for i, known in enumerate(merged):
            if same_announcement(known, report, tolerance):
                merged[i] = fill(known, report)
                break
        else:
            merged.append(report)
    return merged


def _amounts_agree(a: float | None, b: float | None, a_text: str | None, b_text: str | None) -> bool:
    return amounts_agree(a, b, a_text=a_text, b_text=b_text)


# The rules above as the store's announcements repository applies them to stored records.
MERGE_POLICY = MergePolicy(
    investor_key=investor_key,
    names_of=names_of,
    stored_names=stored_names,
    company_match=company_match,
    amounts_agree=_amounts_agree,
    strength=strength,
)
