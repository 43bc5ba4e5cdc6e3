"""Article text -> Choose France investment announcements (pure functions, no I/O).

    >>> from pipelines.detect import detect
    >>> d = detect(body_text, title="...", published=date(2024, 5, 13))
    >>> d.flagged, [(i.investor, i.amount_eur, i.locations) for i in d.announced]

How an article is read
1. Text (text, boilerplate, tables, speakers): menus, related-article blocks and comments are cut, tables
   become list items, transcripts lose their speaker labels (each sentence keeps its speaker); the
   title and the body's sentences and list items become units, each knowing the event it speaks of
   (the summit, another event, or none said: then its paragraph's, else the article's). An article
   that never ties itself to the summit has no announcement.
2. Entities (entities, entity_types, places, first_names): the names of each unit, typed ORG, PER, LOC,
   OTHER or UNK from what the whole article says of them (legal forms and company words, descriptors in
   apposition, titles and roles of people, first names, the French geography of newswatch.geo and a
   table of places abroad); descriptors ("le groupe danois") and pronouns, resolved by the discourse
   memory (discourse) to the company named before them whose nationality fits.
3. Frames (frames): each unit is read into frames, one per commitment anchor (a money figure, a vague
   figure, a count of jobs, a project: a new facility, more research, production or trials):

       Frame(unit, anchor, company, investor_type, how, clause, investor_end)

   `company` is the anchor's clause subject (clauses start at each subject, which handles coordination
   and gapping), or the company named after a figure (amount-first lists, clefts), or the company of a
   quotation's speaker or a transcript's, or the company the text is still about when a unit opens on
   the project (completion from the sentence before); `how` says which. `clause` bounds the words the
   rules and fields read, so a neighbour's places and figures never leak into a frame.
4. Decisions (decide): scope and exclusion rules on each frame (totals, revenue, fines, valuations,
   acquisitions, fundraising without a tie to the summit, public aid and loans, contracts, assets under
   management, restated or compared figures, abroad, another event, past or only considered projects,
   a French group's plan outside the summit, a company being bought, a non-organisation).
5. Records (records, companies, fields): kept frames merged per company (aliases, short forms,
   subsidiaries, joint ventures and bottlers the article links to it), the strongest figure kept; places
   (with commune, département and région), jobs, sector and edition from the frames and the sentences
   about the project that follow. A project the article reports abandoned is kept with status
   "abandoned" and never flags the article.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from newswatch.geo import Place
from pipelines.detect import lexicon
from pipelines.detect.companies import Links
from pipelines.detect.decide import Article, judge, only_recalled, tainted
from pipelines.detect.edition import article_edition
from pipelines.detect.entity_types import Typer
from pipelines.detect.frames import Frame, Reader
from pipelines.detect.places import abroad_words, find_places, in_france_words
from pipelines.detect.records import (
    Record,
    abandoned,
    add_context,
    amount_fields,
    article_links,
    edition,
    evidence_unit,
    follow_ups,
    group,
    jobs,
    known_as,
    place_names,
    resolve,
    sector,
)
from pipelines.detect.text import Unit, build_units

FLAG_CONFIDENCE = 0.6

__all__ = ["Detection", "Investment", "detect", "warm_up"]

# A short article that goes through every stage once: tables, patterns, geography and first names load.
_WARM_UP_TEXT = (
    "Le sommet Choose France s'est tenu lundi au château de Versailles. Le groupe suédois Exempel Industri "
    "investira 100 millions d'euros à Lyon (Rhône) et créera 200 emplois, a indiqué Anne Martin, sa directrice."
)


@dataclass(frozen=True, slots=True)
class Investment:
    """One announcement as an article tells it. amount_eur is the low bound of a range and None when the
    figure is in another currency (then `currency` and `amount_text` keep it) or not given. `locations`
    are the places as written; `places` the same places with commune, département and région."""

    investor: str
    amount_eur: float | None
    amount_text: str | None
    currency: str | None
    locations: list[str]
    sector: str | None
    jobs: int | None
    edition: int | None
    evidence: str
    status: str = "announced"
    places: list[Place] = field(default_factory=list)
    # Other names the article gives the company or links to it (subsidiary, parent, joint venture).
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def regions(self) -> list[str]:
        """Names of the régions of its places, in order, once each."""
        return list(dict.fromkeys(p.region for p in self.places if p.region))


@dataclass(frozen=True, slots=True)
class Detection:
    flagged: bool
    score: float
    reasons: list[str]
    edition: int | None
    # Announced investments, then abandoned ones (status "abandoned"); `announced` filters.
    investments: list[Investment]

    @property
    def announced(self) -> list[Investment]:
        return [i for i in self.investments if i.status == "announced"]

    def to_dict(self) -> dict[str, object]:
        return {
            "flagged": self.flagged,
            "score": self.score,
            "reasons": list(self.reasons),
            "edition": self.edition,
            "investments": [i.to_dict() for i in self.investments],
        }


def _abroad(units: list[Unit]) -> bool:
    """The title places the story abroad and nowhere in France."""
    title = next((u.text for u in units if u.para < 0), "")
    refs = find_places(title)
    foreign = any(r.foreign for r in refs) or abroad_words(title)
    return foreign and not (any(not r.foreign for r in refs) or in_france_words(title))


def _outside(units: list[Unit], reader: Reader) -> set[str]:
    """Companies whose plan the article itself places outside the summit."""
    pattern = lexicon.regex("events", "outside_summit")
    keys: set[str] = set()
    for i, unit in enumerate(units):
        if pattern.search(unit.text):
            about = reader.about[i]
            keys |= reader.named[i] or ({about.key} if about else set())
    return keys


def _article(units: list[Unit], reader: Reader, typer: Typer, title: str | None,
             published: date | None) -> Article:  # fmt: skip
    paragraphs: list[list[str]] = []
    for unit in units:
        if unit.para >= 0:
            if unit.para >= len(paragraphs):
                paragraphs.append([])
            paragraphs[-1].append(unit.text)
    return Article(
        units,
        article_edition(title, paragraphs, published),
        published.year if published else None,
        abroad=_abroad(units),
        targets=typer.targets(),
        outside=_outside(units, reader),
        nationalities=dict(reader.memory.nationalities),
    )


def _investment(record: Record, reader: Reader, art: Article, others: set[str], links: Links) -> Investment:
    later = follow_ups(record, reader, others)
    money = record.money(reader.units)
    amount, text, currency = amount_fields(money)
    names = place_names(record, reader, later)
    unit = evidence_unit(record, money, reader.units)
    return Investment(
        investor=record.company.name,
        amount_eur=amount,
        amount_text=text,
        currency=currency,
        locations=names,
        sector=sector(record, reader, later, money),
        jobs=jobs(record, reader, later, others),
        edition=edition(record, money, reader.units, art.edition),
        evidence=re.sub(r"\s+", " ", unit.text).strip(),
        status="abandoned" if abandoned(record, reader, later) else "announced",
        places=resolve(names),
        aliases=known_as(record, reader, links),
    )


def warm_up() -> None:
    """Load the tables and compile the patterns once, so that a worker's first article costs no more than
    the next ones (pipelines.process calls it in each extraction worker)."""
    detect(_WARM_UP_TEXT, title="Choose France", published=date(2024, 5, 13))


def _no_summit() -> Detection:
    return Detection(
        False, 0.0, ["no Choose France summit in the main body: nothing is an announcement"], None, []
    )


def detect(text: str, *, title: str | None = None, published: date | None = None) -> Detection:
    """Flag an article that reports Choose France investment announcements and extract them."""
    gate = lexicon.regex("events", "summit_gate")
    if not gate.search(text) and not (title and gate.search(title)):
        # Every way of naming the summit holds a gate word, and a sentence is cut out of the text:
        # without one, no sentence names the summit and there is nothing to split into sentences.
        return _no_summit()
    title_clean, units = build_units(text, title)
    if not any(u.event == "cf" for u in units):
        # Most crawled pages: no summit named, so nothing can be one of its announcements.
        return _no_summit()
    typer = Typer.read([u.text for u in units])
    reader = Reader(units, typer)
    frames = reader.read()
    art = _article(units, reader, typer, title_clean, published)
    reasons = ["Choose France summit in the main body"]
    previous: Frame | None = None
    for frame in frames:
        frame.verdict = judge(frame, art, previous if previous and previous.unit == frame.unit else None)
        previous = frame
    tainted(frames)
    for frame in frames:
        name = frame.company.name if frame.company else "-"
        reasons.append(f"{'keep' if frame.verdict is None else 'skip ' + frame.verdict} {frame.anchor.kind} "
                       f"{units[frame.unit].text[frame.anchor.start:frame.anchor.end]!r} ({name}, {frame.how})")  # fmt: skip
    kept = [f for f in frames if f.verdict is None]
    links = article_links(reader)
    records = group(kept, links)
    add_context(records, frames)
    keys = {r.company.key for r in records}
    investments = [_investment(r, reader, art, keys - {r.company.key}, links) for r in records]
    investments.sort(key=lambda i: i.status != "announced")
    announced = [i for i in investments if i.status == "announced"]
    if only_recalled([i.edition for i in announced], published):
        reasons.append(
            "every announcement is of a summit two editions or more before publication: a follow-up"
        )
        investments, announced = [], []
    flagged = bool(announced)
    score = FLAG_CONFIDENCE + 0.3 * bool(any(i.amount_eur for i in announced)) if flagged else 0.1
    return Detection(flagged, round(score, 2), reasons, art.edition if flagged else None, investments)
