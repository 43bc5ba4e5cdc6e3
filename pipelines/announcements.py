"""One announcement, many articles: merge rules and the database upsert.

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

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from newswatch.places import place_row, resolve_names
from newswatch.store.models import Announcement, AnnouncementPlace, AnnouncementSource
from pipelines.detect import Investment
from pipelines.detect.companies import investor_key, shortens

logger = logging.getLogger(__name__)

AMOUNT_TOLERANCE = 0.10
# How far from a bound ("plus de X", "jusqu'à X") the figure it rounds may lie: X to 2X, X/2 to X.
BOUND_SPAN = 2.0
STATUS_ANNOUNCED = "announced"
STATUS_ABANDONED = "abandoned"

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


class _Reported(Protocol):
    """What the merge rules read: an Investment or a stored Announcement."""

    @property
    def investor(self) -> str: ...
    @property
    def amount_eur(self) -> float | None: ...
    @property
    def amount_text(self) -> str | None: ...
    @property
    def edition(self) -> int | None: ...


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


def names_of(report: Investment) -> set[str]:
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


def _union(first: Sequence[str], second: Iterable[str]) -> list[str]:
    seen = {p.casefold() for p in first}
    out = list(first)
    for place in second:
        if place.casefold() not in seen:
            seen.add(place.casefold())
            out.append(place)
    return out


def fill(earlier: Investment, later: Investment) -> Investment:
    """`earlier` completed with what `later` adds: missing jobs, sector, new places and names; its figure
    (with the sentence that gives it) when stronger."""
    names = [earlier.investor, *earlier.aliases, later.investor, *later.aliases]
    stronger = _report_strength(later, names) > _report_strength(earlier, names)
    source = later if stronger else earlier
    place_of = {p.name.casefold(): p for p in [*earlier.places, *later.places]}
    locations = _union(earlier.locations, later.locations)
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
        aliases=_union(
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


# --- database -------------------------------------------------------------------------------------


def _lock_key(key: str) -> int:
    """A signed 64-bit advisory-lock key that is the same in every process (hash() is salted)."""
    return int.from_bytes(hashlib.sha1(f"announcement:{key}".encode()).digest()[:8], "big", signed=True)


def _serialise(session: Session, edition: int | None) -> None:
    """On PostgreSQL, one recorder at a time per edition until commit (a report may join a record under
    another name, so the investor cannot be the lock); SQLite serialises writers itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(f"edition:{edition}")})


def _find(session: Session, investment: Investment) -> Announcement | None:
    same_edition = (
        Announcement.edition.is_(None)
        if investment.edition is None
        else Announcement.edition == investment.edition
    )
    names = names_of(investment)
    ranked = []
    for row in session.scalars(select(Announcement).where(same_edition).order_by(Announcement.id)):
        how = company_match(names, stored_names(row))
        if how is None or not amounts_agree(
            row.amount_eur, investment.amount_eur, a_text=row.amount_text, b_text=investment.amount_text
        ):
            continue
        gap = (
            abs(row.amount_eur - investment.amount_eur) / max(row.amount_eur, investment.amount_eur)
            if row.amount_eur and investment.amount_eur
            else 0.0
        )
        # A name shared beats a short form; then the closest amount; then the oldest record.
        ranked.append((how, gap, row.id, row))
    return min(ranked, key=lambda r: r[:3])[3] if ranked else None


def _places(investment: Investment) -> list[tuple[str, dict[str, object]]]:
    """The report's places as rows: the detector's own resolution when it gave one per name."""
    names = list(dict.fromkeys(n for n in investment.locations if n and n.strip()))
    given = {p.name: p for p in investment.places}
    if all(n in given for n in names):
        return [(n, place_row(n, given[n])) for n in names]
    return [(n, place_row(n, p)) for n, p in zip(names, resolve_names(names), strict=True)]


def _add_places(row: Announcement, investment: Investment) -> None:
    known = {p.name.casefold() for p in row.places}
    position = max((p.position for p in row.places), default=-1) + 1
    for name, values in _places(investment):
        if name.casefold() in known:
            continue
        known.add(name.casefold())
        row.places.append(AnnouncementPlace(position=position, **values))
        position += 1


def _update(row: Announcement, investment: Investment) -> None:
    names = [row.investor, *(row.aliases or []), investment.investor, *investment.aliases]
    if _report_strength(investment, names) > strength(
        row.amount_eur, row.amount_text, row.evidence or "", names
    ):
        if row.amount_eur is not None:
            logger.info(
                "announcement %d: amount %s replaced by the stronger %r",
                row.id,
                row.amount_text,
                investment.amount_text,
            )
        row.amount_eur, row.amount_text, row.currency = (
            investment.amount_eur,
            investment.amount_text,
            investment.currency,
        )
        row.evidence = investment.evidence or row.evidence
    elif row.amount_text is None and investment.amount_text:
        row.amount_text, row.currency = investment.amount_text, investment.currency
    merged_places = _union(row.locations or [], investment.locations)
    if merged_places != (row.locations or []):
        row.locations = merged_places  # a new list, so the JSON column is seen as changed
    _add_places(row, investment)
    new_names = names_of(investment) - stored_names(row)
    if new_names:
        row.aliases = [*(row.aliases or []), *sorted(new_names)]
    row.sector = row.sector or investment.sector
    row.jobs = row.jobs if row.jobs is not None else investment.jobs
    row.evidence = row.evidence or investment.evidence


def _create(session: Session, investment: Investment, key: str) -> Announcement:
    row = Announcement(
        investor=investment.investor,
        investor_key=key,
        amount_eur=investment.amount_eur,
        amount_text=investment.amount_text,
        currency=investment.currency,
        locations=list(investment.locations),
        sector=investment.sector,
        jobs=investment.jobs,
        edition=investment.edition,
        evidence=investment.evidence,
        aliases=sorted(names_of(investment) - {key}),
        status=STATUS_ANNOUNCED,
    )
    _add_places(row, investment)
    session.add(row)
    session.flush()
    return row


def _link(session: Session, announcement_id: int, article_id: int, evidence: str) -> None:
    if session.get(AnnouncementSource, (announcement_id, article_id)) is None:
        session.add(
            AnnouncementSource(announcement_id=announcement_id, article_id=article_id, evidence=evidence)
        )


def record_announcements(session: Session, article_id: int, investments: list[Investment]) -> list[int]:
    """Store an article's announcements once each, linking the article as a source; return their ids.

    A report with status "abandoned" only marks a stored announcement abandoned; it never creates one.
    Runs inside the caller's transaction (the caller commits).
    """
    ids: list[int] = []
    for investment in investments:
        key = investor_key(investment.investor)
        if not key:
            continue
        _serialise(session, investment.edition)
        row = _find(session, investment)
        if investment.status == STATUS_ABANDONED:
            if row is not None and row.status != STATUS_ABANDONED:
                row.status = STATUS_ABANDONED
                logger.info("announcement %d marked abandoned by article %d", row.id, article_id)
            if row is None:
                continue
        elif row is None:
            row = _create(session, investment, key)
            logger.info("announcement %d new: %s (article %d)", row.id, investment.investor, article_id)
        else:
            _update(row, investment)
        _link(session, row.id, article_id, investment.evidence)
        if row.id not in ids:
            ids.append(row.id)
    session.flush()
    return ids
