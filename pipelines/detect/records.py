"""Kept frames to announcements: one record per company (its subsidiary, joint venture or bottler
included), its figure the strongest one reported, its fields from its frames and the sentences about its
project that follow them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.detect import lexicon
from pipelines.detect.amounts import Money, find_money
from pipelines.detect.companies import Links, group_key, related, shortens
from pipelines.detect.discourse import Company
from pipelines.detect.fields import (
    OTHER_SUBJECT_RE,
    about_project,
    edition_of,
    frame_places,
    jobs_in,
    places_in,
    quoted_aside,
    sector_of,
)
from pipelines.detect.frames import Frame, Reader
from pipelines.detect.places import narrowest, other_roles_blanked, resolve
from pipelines.detect.sectors import BROAD_LABELS, known_label, name_label
from pipelines.detect.text import Unit

_UP_TO_RE = re.compile(r"^\s*jusqu['’]\s?à\b", re.IGNORECASE)
_FOLLOW_PARAS = 2


@cache
def _head_re() -> re.Pattern[str]:
    """A descriptor's head noun ("le fondeur asiatique"), not a bare demonym ("le Dunkerquois")."""
    return re.compile(rf"\b{lexicon.token_alternation('entities', 'descriptor_heads')}\b", re.IGNORECASE)


@dataclass(slots=True)
class Record:
    company: Company
    frames: list[Frame] = field(default_factory=list)
    abandoned: bool = False
    # Frames of the company set aside for a weak reason (a commitment without a figure not said as one):
    # their sentence still tells where the project is.
    context: list[Frame] = field(default_factory=list)

    def money(self, units: list[Unit]) -> Frame | None:
        """The frame with the figure to keep: the whole project's over a phase's, euros over other
        currencies, the body over the title, a precise figure over "jusqu'à X"."""
        best: Frame | None = None
        for f in self.frames:
            if f.anchor.kind != "money":
                continue
            if best is None or _better(f, best, units):
                best = f
        return best


_PHASE_RE = re.compile(r"\b(?:phase|tranche|étape)\s+(?:de|d['’])\s*(?:\S+\s+){0,2}$", re.IGNORECASE)


def _phase(frame: Frame, units: list[Unit]) -> bool:
    """A figure of a first phase or tranche: the project's only when nothing gives its whole figure."""
    text = units[frame.unit].text
    return bool(_PHASE_RE.search(text, max(0, frame.anchor.start - 40), frame.anchor.start + 1))


def _better(new: Frame, old: Frame, units: list[Unit]) -> bool:
    a, b = new.anchor.money, old.anchor.money
    assert a is not None and b is not None
    if _phase(new, units) != _phase(old, units):
        return _phase(old, units)
    if a.currency == "EUR" and b.currency != "EUR":
        return True
    if old.para < 0 <= new.para:
        return True  # a title rounds: the body's figure wins
    return bool(_UP_TO_RE.match(b.text) and not _UP_TO_RE.match(a.text) and a.currency == b.currency
                and (a.value or 0) <= (b.value or 0))  # fmt: skip


_POSSESSIVE_RE = re.compile(r"(?:sa|son|leur)\s", re.IGNORECASE)


def article_links(reader: Reader) -> Links:
    """Companies an article says are one: "X, filiale de Y", "Y via sa filiale X", "X (groupe Y)"."""
    links = Links()
    for unit, mentions in zip(reader.units, reader.mentions, strict=True):
        names = [m for m in mentions if m.kind == "name" and m.key and m.type in ("ORG", "UNK")]
        for i, b in enumerate(names):
            for a in names[:i]:
                if related(unit.text[a.end : b.start]) or (b.relation and a.role == "subject"):
                    links.join(a.key, b.key)  # type: ignore[arg-type]
            topic = reader.about[unit.index - 1] if unit.index else None
            alone = not any(a.start < b.start for a in names)
            if (
                b.relation
                and alone
                and topic is not None
                and _POSSESSIVE_RE.match(b.descriptor or "")
                and topic.key != b.key
            ):
                links.join(topic.key, b.key)  # type: ignore[arg-type]  # "porté par sa filiale X": the company spoken of
    return links


def known_as(record: Record, reader: Reader, links: Links) -> list[str]:
    """The other names of the record's company in the article: those of its frames and of the companies
    the article links to it (a subsidiary, a parent, a joint venture), for the merge across outlets."""
    key = record.company.key
    names: dict[str, str] = {}
    for f in record.frames:
        if f.company is not None and f.company.key != key:
            names.setdefault(f.company.key, f.company.name)
    for mentions in reader.mentions:
        for m in mentions:
            if (
                m.kind == "name"
                and m.key
                and m.key != key
                and m.type in ("ORG", "UNK")
                and links.same(m.key, key)
            ):
                names.setdefault(m.key, m.name or m.surface)
    return list(names.values())


def group(frames: list[Frame], links: Links) -> list[Record]:
    records: dict[str, Record] = {}
    for f in frames:
        assert f.company is not None
        key = group_key(list(records), f.company.key, links)
        record = records.setdefault(key, Record(f.company))
        if shortens(record.company.key, f.company.key) and record.company.key != f.company.key:
            record.company = f.company  # "LG Energy" in a title, "LG Energy Solution" in the body
        record.frames.append(f)
    return list(records.values())


def follow_ups(record: Record, reader: Reader, others: set[str], resume: bool = False) -> list[int]:
    """Units after the record's frames that speak of its project: the run of units that stay about its
    company (or its short name), up to two paragraphs on, naming no other company of the article's
    announcements (with `resume`, again from where a sentence names the company anew); before its last
    frame (a title's, then the body's) a unit about something else ends nothing."""
    # The record's company and those merged into it (a subsidiary carrying the project).
    keys = {record.company.key} | {f.company.key for f in record.frames if f.company is not None}
    last_para = max(f.para for f in record.frames)
    frame_units = {f.unit for f in record.frames}
    out = []
    ended = False
    for i in range(min(frame_units) + 1, len(reader.units)):
        unit, about = reader.units[i], reader.about[i]
        if i in frame_units:
            continue
        own = about is not None and any(about.key == k or shortens(about.key, k) for k in keys)
        if resume and own and keys & reader.named[i] and not reader.named[i] & others:
            # "X, de son côté, fabriquera à Metz...": the article comes back to the company, its run resumes.
            ended, last_para = False, unit.para
        if ended or not own or unit.para - last_para > _FOLLOW_PARAS:
            ended = ended or i > max(frame_units)
            continue
        if reader.named[i] & others:
            continue
        # "Le fondeur asiatique prévoit 250 emplois": a descriptor as subject is the company spoken of.
        described = any(
            m.kind == "descriptor" and m.role == "subject" and _head_re().search(m.surface)
            for m in reader.mentions[i]
        )
        if keys & reader.named[i] or described or about_project(unit):
            out.append(i)
    return out


def companions(record: Record, reader: Reader, others: set[str]) -> list[int]:
    """Units right after a frame, in its paragraph and still about its company, that name no one else:
    "X investira 900 millions à Cherbourg." then "Sur les 700 emplois promis, 40 sont pourvus."; and so
    after a later sentence that restates its figure ("Les 300 millions d'euros seront investis en deux
    temps. À terme, le site emploiera 250 personnes.")."""
    keys = {record.company.key} | {f.company.key for f in record.frames if f.company is not None}
    money = record.money(reader.units)
    figure = money.anchor.money.amount_eur if money is not None and money.anchor.money is not None else None
    starts = [(f.unit, False) for f in record.frames]
    if figure:
        starts += [
            (i, True)
            for i, unit in enumerate(reader.units)
            if unit.para >= 0
            and not reader.named[i] - keys
            and any(m.amount_eur == figure for m in find_money(unit.text))
        ]
    out: list[int] = []
    for first, restated in starts:
        if restated:
            out.append(first)
        for i in range(first + 1, len(reader.units)):
            unit, about = reader.units[i], reader.about[i]
            ours = about is not None and about.key in keys or restated and about is None
            if unit.para != reader.units[first].para or not ours or reader.named[i] - keys:
                break
            if not OTHER_SUBJECT_RE.search(unit.text):
                out.append(i)
    return [i for i in out if not reader.named[i] & others]


def abandoned(record: Record, reader: Reader, later: list[int]) -> bool:
    """Reported abandoned anywhere the article speaks of the company."""
    pattern = lexicon.regex("commitments", "abandon")
    key = record.company.key
    units = {f.unit for f in record.frames} | set(later)
    units |= {i for i, named in enumerate(reader.named) if key in named}
    return any(pattern.search(reader.units[i].text) for i in units)


# Reasons that leave a frame's words about the project valid: it was only not a commitment of its own.
SOFT_REASONS = frozenset(
    {"no commitment said", "no investment word", "no summit around a commitment without figure"}
)


def add_context(records: list[Record], frames: list[Frame]) -> None:
    by_key = {r.company.key: r for r in records}
    for f in frames:
        if f.company is not None and f.verdict in SOFT_REASONS and f.company.key in by_key:
            by_key[f.company.key].context.append(f)


def lead_in(record: Record, reader: Reader) -> int | None:
    """The unit just before the record's first frame, in its paragraph, when it names no other company:
    "X s'installe à Montoir-de-Bretagne." then "Le montant : 130 millions d'euros."."""
    first = min(f.unit for f in record.frames)
    before = first - 1
    if before < 0 or reader.units[before].para != reader.units[first].para:
        return None
    return before if reader.named[before] <= {record.company.key} else None


def place_names(record: Record, reader: Reader, later: list[int]) -> list[str]:
    """The project's places: those of the sentence that leads into it, of its frames and of the sentences
    about it (each list of places with its sentence, and those of a sentence giving its figure, for
    `narrowest`)."""
    said: list[list[str]] = []
    before = lead_in(record, reader)
    if before is not None and record.company.key in reader.named[before]:
        unit = reader.units[before]
        said.append([ref.surface for ref in places_in(unit.text, 0, len(unit.text), reader.mentions[before])])
    figures: set[str] = set()
    for f in record.context + record.frames:
        said.append([ref.surface for ref in frame_places(f, reader.units[f.unit], reader.mentions[f.unit])])
        if f.anchor.kind == "money":
            figures.update(said[-1])
    for i in later:
        unit = reader.units[i]
        refs = places_in(unit.text, 0, len(unit.text), reader.mentions[i])
        said.append([ref.surface for ref in refs if not quoted_aside(unit.text, ref.start)])
    unique = list(dict.fromkeys(name for names in said for name in names))
    # "Fos" beside "Fos-sur-Mer" is the same place.
    unique = [p for p in unique if not any(o != p and o.startswith(p + "-") for o in unique)]
    return narrowest(unique, said, figures)


def jobs(record: Record, reader: Reader, later: list[int], others: set[str]) -> int | None:
    """The first head count of its frames, else of the sentences about its project; those right after the
    commitment in its paragraph count without a pronoun, and so do those where the article comes back to
    the company ("X, de son côté, fabriquera à Metz. Le site comptera 150 salariés."): a head count is
    rarely a neighbour's when its sentence names no one else."""
    counts = [f.anchor.jobs for f in record.frames if f.anchor.kind == "jobs" and f.anchor.jobs]
    if counts:
        return counts[0]
    resumed = follow_ups(record, reader, others, resume=True)
    for i in sorted(set(later) | set(companions(record, reader, others)) | set(resumed)):
        found = jobs_in(reader.units[i].text)
        if found:
            return found
    return None


def sector(record: Record, reader: Reader, later: list[int], money: Frame | None) -> str | None:
    """From the commitment's own words, the company's descriptions, its clauses and sentences, the
    sentences about the project, then the sentence that leads into it and the title."""
    first = money or next((f for f in record.frames if f.para >= 0), record.frames[0])
    unit = reader.units[first.unit]
    own = [other_roles_blanked(unit.text)[first.anchor.start : first.clause[1]]]
    own += [
        reader.units[f.unit].text[f.anchor.start : f.anchor.end]
        for f in record.frames
        if f.anchor.kind == "project"
    ]
    # Words about a customer or a partner ("en lien avec l'usine Renault voisine") say their business.
    texts = {
        i: other_roles_blanked(reader.units[i].text) for i in {f.unit for f in record.frames} | set(later)
    }
    clauses = [texts[f.unit][f.clause[0] : f.clause[1]] for f in record.frames]
    sentences = [texts[f.unit] for f in record.frames] + [texts[i] for i in later]
    before = lead_in(record, reader)
    around = [reader.units[before].text] if before is not None else []
    title = [u.text for u in reader.units if u.para < 0 and record.company.key in reader.named[u.index]]
    # A name that says only a broad business ("Hanbit Chemical") is no description: its project's sentences
    # say more ("des matériaux de cathode pour les batteries").
    descriptions = [
        d
        for d in reader.described.get(record.company.key, [])
        if name_label(d) not in BROAD_LABELS or d != record.company.name
    ]
    found = sector_of([own, clauses, sentences, around + title], descriptions)
    labels = [label for label in (found or "").split(", ") if label]
    # What its name says ("Lumera Semiconductors") leads: a sentence's other sector words may be its clients'.
    # What a well-known company is known for comes before a broad label only.
    known = name_label(record.company.name)
    if known in BROAD_LABELS:
        known = None  # "X Energy" may make electrolysers, "X Chemical" battery materials
    if known is None and (not labels or labels[0] in BROAD_LABELS):
        known = known_label(record.company.key)
    if known is None:
        return found or name_label(record.company.name)  # a broad name is better than nothing
    rest = [label for label in labels if label not in (known, "industrie")]
    return ", ".join([known, *rest][:3])


def amount_fields(money_frame: Frame | None) -> tuple[float | None, str | None, str | None]:
    if money_frame is None:
        return None, None, None
    money: Money | None = money_frame.anchor.money
    assert money is not None
    return money.amount_eur, money.text, money.currency


def evidence_unit(record: Record, money: Frame | None, units: list[Unit]) -> Unit:
    frame = money or next((f for f in record.frames if units[f.unit].para >= 0), record.frames[0])
    return units[frame.unit]


def edition(
    record: Record, money: Frame | None, units: list[Unit], article_edition: int | None
) -> int | None:
    frame = money or record.frames[0]
    return edition_of(frame, units[frame.unit], article_edition)


__all__ = [
    "Record",
    "abandoned",
    "article_links",
    "follow_ups",
    "group",
    "known_as",
    "place_names",
    "resolve",
]
