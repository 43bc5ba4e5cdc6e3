"""Article text -> Choose France investment announcements (pure functions, no I/O).

    >>> from pipelines.detect import detect
    >>> d = detect(body_text, title="...", published=date(2024, 5, 13))
    >>> d.flagged, [(i.investor, i.amount_eur) for i in d.announced]

How it reads an article: tables become list items (pipelines.tables), boilerplate is cut (menus, related
blocks, comments), speaker labels of transcripts are set aside (pipelines.speakers); the body must tie the
article to the summit (Choose France, the Versailles summit). Each money figure in a sentence is an
announcement when an investor is found for it (pipelines.investor_choice: a name or a descriptor resolved
to the company named earlier before it, a name after it in a cleft or passive, the company whose people
say it in a quotation or a transcript turn, the company a heading or the sentence before spoke of), an
investment word is present, and no cue makes it something else (a total, turnover, fine, valuation,
acquisition, fundraising, grant, contract, money already spent), places it abroad, or ties it to another
event. A project reported as abandoned is kept with status "abandoned" and never flags the article.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from pipelines import cues, gates
from pipelines.amounts import Money, find_jobs, find_money
from pipelines.boilerplate import clean_text, clean_title
from pipelines.context import Unit, article_abroad, assign_contexts, build_units, event_of, main_context
from pipelines.drafts import Draft, merge_draft, same_company_key
from pipelines.edition import article_edition, text_signals
from pipelines.entities import find_mentions, investor_key, known_names
from pipelines.gazetteer import (
    FOREIGN_PLACE_RE,
    IN_FRANCE_RE,
    foreign_places,
    french_places,
    places_near,
    strip_home_places,
)
from pipelines.investor_choice import choose_investor, commitment_without_amount, named_after
from pipelines.masthead import publication_names
from pipelines.memory import EntityMemory
from pipelines.placement import about_other_subject, placing_window, refers_to_project, strip_institutions
from pipelines.sectors import project_sector
from pipelines.sentences import split_paragraphs
from pipelines.tables import rewrite_tables
from pipelines.topics import carried, note_all, running, topic_of

MIN_AMOUNT_EUR = 1_000_000
FLAG_THRESHOLD = 0.5
_WINDOW_AFTER = 60


@dataclass(frozen=True, slots=True)
class Investment:
    """One announcement as an article tells it. amount_eur is the low bound of a range and None when
    the figure is in another currency (then `currency` and `amount_text` keep it) or not given."""

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

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


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


def _sentence_edition(sentence: str, default: int | None) -> int | None:
    explicit = [y for y, strength in text_signals(sentence) if strength >= 3]
    return explicit[0] if explicit else default


@dataclass(slots=True)
class _Article:
    """What one sentence's reading needs to know about the whole article."""

    edition: int | None
    published_year: int | None
    abroad: bool
    memory: EntityMemory = field(default_factory=EntityMemory)
    reasons: list[str] = field(default_factory=list)
    # Investors whose figures were something else (a fundraising, abroad...): no figureless pledge either.
    tainted: set[str] = field(default_factory=set)
    # The investor chosen for each figure of the sentence being read, announcement or not.
    subjects: list[str | None] = field(default_factory=list)
    # Companies the article says are being bought: their names are targets, never investors.
    targets: set[str] = field(default_factory=set)


def _evaluate(
    unit: Unit, monies: list[Money], i: int, accepted: list[Draft | None], art: _Article
) -> Draft | None:
    s, money = unit.text, monies[i]
    memory, reasons, tainted, edition = art.memory, art.reasons, art.tainted, art.edition
    seg_start = monies[i - 1].end if i else 0
    seg_end = monies[i + 1].start if i + 1 < len(monies) else len(s)
    pre, post = s[seg_start : money.start], s[money.end : seg_end]
    label = f"{money.text!r}"
    if money.value is None:
        # "plusieurs dizaines de milliards": no quantity, no announcement (a named pledge without a figure
        # is read by the figureless path instead).
        reasons.append(f"skip vague {label}")
        return None
    if money.currency == "EUR" and money.value < MIN_AMOUNT_EUR:
        return None
    if cues.SHARE_SALE_RE.search(s) or cues.VALUED_AT_BEFORE_RE.search(pre[-80:]):
        reasons.append(f"skip share-sale-or-valuation {label}")
        return None
    if cues.PASSIVE_ENVELOPE_RE.search(s) and not any(
        m.start < money.start and m.rank == 0 for m in unit.mentions
    ):
        reasons.append(f"skip public-envelope {label}")
        return None
    if cues.SUBPART_BEFORE_RE.search(pre[-45:]) and not (
        # "15 milliards, dont 300 millions pour Nordvik": a total's share named for another company is its own.
        i
        and accepted[i - 1] is None
        and cues.SHARE_BEFORE_RE.search(pre[-45:])
        and named_after(unit, money, seg_end)
    ):
        reasons.append(f"skip part-of-total {label}")
        return None
    if s.rstrip().endswith("?"):
        reasons.append(f"skip question {label}")
        return None
    previous = accepted[i - 1] if i else None
    named_here = any(seg_start <= m.start < money.start for m in unit.mentions)
    restated = (
        previous is not None and previous.money is not None and previous.money.currency != money.currency
    )
    if restated and not named_here and cues.CONVERSION_BEFORE_RE.search(pre[-30:]):
        # "1 milliard de dollars (soit 920 millions d'euros)": the same figure, kept in euros.
        if money.currency == "EUR":
            previous.money = money  # type: ignore[union-attr]
        return None
    choice = choose_investor(unit, money, seg_start, seg_end, memory, art.subjects[:i], monies[:i])
    art.subjects[i] = choice.investor
    if choice.investor is None:
        if choice.reason:
            reasons.append(f"skip {choice.reason} {label}")
        return None
    between = s[choice.anchor : money.start]
    family = cues.negative_family(between, post[:_WINDOW_AFTER])
    if family is None and choice.anchor > money.start:
        family = cues.negative_family(pre, "")
    if family == "aggregate" and choice.subject and cues.own_total(between, post[:_WINDOW_AFTER]):
        family = None  # "Nordvik investira au total 300 millions": the company's own total
    family = family or gates.figure_family(s, pre, post, investor_in_sentence=choice.subject or named_here)
    if family:
        reasons.append(f"skip {family} {label} ({choice.investor})")
        tainted.add(investor_key(choice.investor))
        return None
    if investor_key(choice.investor) in art.tainted and _french(art.memory, choice.investor):
        # A French group whose figure was placed abroad: the article is about its foreign market, and
        # Choose France announcements are foreign investors' (nothing else it says is one).
        reasons.append(f"skip french-firm-abroad {label} ({choice.investor})")
        return None
    if investor_key(choice.investor) in art.targets:
        reasons.append(f"skip acquisition {label} ({choice.investor} is bought)")
        return None
    if cues.past_investment(f"{between} {money.text} {post[:_WINDOW_AFTER]}"):
        reasons.append(f"skip past-investment {label} ({choice.investor})")
        return None
    if cues.earlier_edition(f"{pre} {money.text} {post[:40]}", edition, art.published_year):
        reasons.append(f"skip earlier-announcement {label} ({choice.investor})")
        return None
    # The company's home ("le fonds d'Abou Dhabi", "dont le siège est à Lyon") does not place the project.
    located_between, located_post = strip_home_places(between), strip_home_places(post)
    window = f"{located_between} {money.text} {located_post}"
    # A relative clause about the company ("qui produit en Belgique, ...") does not place the project.
    clause = located_between[located_between.rfind(",") + 1 :] + money.text + located_post
    opening = s[: s.find(",")] if 0 < s.find(",") < 40 else ""  # "En Allemagne, le groupe investira..."
    if foreign_places(clause) or FOREIGN_PLACE_RE.search(clause):
        in_france = bool(french_places(clause) or IN_FRANCE_RE.search(clause))
        abroad = True
    else:
        in_france = bool(french_places(window) or IN_FRANCE_RE.search(s))
        abroad = bool(foreign_places(opening)) or art.abroad
    if not in_france and abroad:
        reasons.append(f"skip abroad {label} ({choice.investor})")
        tainted.add(investor_key(choice.investor))
        return None
    if unit.context == "other":
        reasons.append(f"skip other-event {label} ({choice.investor})")
        return None
    if cues.NEGATION_RE.search(between):
        reasons.append(f"skip negated {label} ({choice.investor})")
        return None
    near_trigger = bool(cues.TRIGGER_RE.search(between) or cues.TRIGGER_RE.search(post[:80]))
    if not (near_trigger or cues.TRIGGER_RE.search(s) or cues.LIST_ITEM_RE.match(s)):
        reasons.append(f"skip no-investment-word {label} ({choice.investor})")
        return None
    confidence = 0.55 + 0.15 * near_trigger + 0.1 * money.explicit_currency + choice.bonus
    confidence += 0.05 * (event_of(s) == "cf")
    return Draft(
        investor=choice.investor,
        money=money,
        evidence=s,
        confidence=round(min(confidence, 0.99), 2),
        edition=_sentence_edition(s, edition),
        locations=places_near(strip_institutions(f"{located_between} {located_post}"), exclude=_known_words(unit)),
        jobs=next(
            (
                j.value
                for j in find_jobs(s[choice.anchor if choice.anchor < money.start else seg_start : seg_end])
            ),
            None,
        ),
        sector_texts=[window],
    )


_FRENCH_RE = re.compile(r"^(?:franc|tricolore|hexagonal)")


def _french(memory: EntityMemory, investor: str) -> bool:
    return bool(_FRENCH_RE.match(memory.nationality.get(investor) or ""))


def _commitment_context(unit: Unit, previous: Unit | None, drafts: dict[str, Draft]) -> bool:
    """A pledge without a figure counts in a list of the day's announcements, next to an explicit mention
    of the summit, or in an article that reports figures too."""
    if drafts or cues.LIST_HEAD_RE.match(unit.text) or event_of(unit.text) == "cf":
        return True
    return previous is not None and previous.para == unit.para and event_of(previous.text) == "cf"


def _acquisition_targets(unit: Unit) -> set[str]:
    """Keys of the companies a sentence says are bought ("l'acquisition du lyonnais Biosphère")."""
    return {
        investor_key(m.name)
        for m in unit.mentions
        if m.kind == "name"
        and m.name
        and cues.ACQUISITION_TARGET_BEFORE_RE.search(unit.text, max(0, m.start - 60), m.start)
    }


def _known_words(unit: Unit) -> frozenset[str]:
    """Names of companies in the sentence: never places."""
    return frozenset(m.surface for m in unit.mentions if m.kind == "name" and m.rank < 2)


def _places_project(unit: Unit, window: set[int]) -> bool:
    """May this sentence about the draft's investor add places? (pipelines.placement)"""
    if about_other_subject(unit.text) or cues.EXISTING_SITE_RE.search(unit.text):
        return False  # "L'écosystème de Lyon...", "déjà présent à Lyon": not where it invests
    if unit.named or cues.PROJECT_ANAPHOR_RE.match(unit.text):
        return True  # "L'usine sera implantée à ...": its topic was carried on from the investor's sentence
    return unit.para in window and refers_to_project(unit.text)


def _enrich(units: list[Unit], drafts: dict[str, Draft], known: frozenset[str]) -> None:
    """Later sentences about the same investor add places, jobs, sector, or report the project abandoned."""
    about = [drafts.get(same_company_key(drafts, investor_key(u.topic))) if u.topic else None for u in units]
    # Paragraphs that report the announcement or name its investor: a pronoun or "le site" there or in the
    # next paragraph still speaks of it.
    spoken: dict[int, set[int]] = {id(d): set(d.paras) for d in drafts.values()}
    for unit, draft in zip(units, about, strict=True):
        if draft is not None and unit.named:
            spoken[id(draft)].add(unit.para)
    windows = {key: placing_window(paras) for key, paras in spoken.items()}
    for unit, draft in zip(units, about, strict=True):
        if draft is None:
            continue
        if cues.ABANDON_RE.search(unit.text):
            draft.status = "abandoned"
        if unit.text in (d.evidence for d in drafts.values() if d is not draft):
            continue
        if cues.CROSS_COMPANY_RE.search(unit.text):
            continue  # "les annonces de la journée représentent 2 000 emplois": not this investor's
        if _places_project(unit, windows[id(draft)]):
            found = places_near(strip_institutions(strip_home_places(unit.text)), exclude=known)
            draft.locations += [p for p in found if p not in draft.locations]
        if draft.jobs is None:
            draft.jobs = next((j.value for j in find_jobs(unit.text)), None)
        if (
            len(draft.sector_texts) < 3
            and unit.text != draft.evidence
            and unit.text not in draft.sector_texts
        ):
            draft.sector_texts.append(unit.text)


def detect(text: str, *, title: str | None = None, published: date | None = None) -> Detection:
    """Flag an article that reports Choose France investment announcements and extract them."""
    title_clean = clean_title(title)
    paragraphs = split_paragraphs(clean_text(rewrite_tables(text), title_clean))
    units = build_units(title_clean, paragraphs)
    tie = any(u.context == "cf" for u in units)
    assign_contexts(units, main_context(units))
    edition = article_edition(title_clean, paragraphs, published)
    if not tie and not any(find_money(u.text) for u in units):
        # Most crawled pages (issue 5, crawl throughput): no summit and no money figure, so no
        # sentence below can yield a draft; the reading ends here with the same (empty) result.
        return _finish({}, tie, edition, [])
    art = _Article(edition, published.year if published else None, article_abroad(units))
    drafts: dict[str, Draft] = {}
    known = known_names([u.text for u in units])
    body = [u.text for u in units if u.para >= 0 and not gates.heading_line(u.text)]
    vocab = (known_names(body), gates.lower_vocabulary(" ".join(body)))
    outlets = publication_names(title, text)
    previous: Unit | None = None
    for unit in units:
        art.memory.next_sentence()
        unit.mentions = gates.possible_investors(find_mentions(unit.text, known), unit, outlets, vocab)
        unit.carried = carried(previous, unit)
        art.targets |= _acquisition_targets(unit)
        monies = find_money(unit.text)
        art.subjects = [None] * len(monies)
        accepted: list[Draft | None] = []
        for i in range(len(monies)):
            accepted.append(_evaluate(unit, monies, i, accepted, art))
        kept = [d for d in accepted if d is not None]
        vague_only = all(m.value is None for m in monies)
        if vague_only and unit.context == "cf" and _commitment_context(unit, previous, drafts):
            pledge = _figureless(unit, art, drafts)
            if pledge is not None:
                kept.append(pledge)
        for draft in kept:
            draft.from_title = unit.para < 0
            draft.paras.add(unit.para)
            if previous is not None and previous.para == unit.para:
                draft.lead_in = previous.text
            merge_draft(drafts, draft)
        named: set[str] = set()
        resolved = note_all(art.memory, unit, named)
        unit.topic = topic_of(unit, resolved, previous, kept[-1].investor if kept else None, art.memory)
        unit.named = bool(kept) or unit.topic in named
        if unit.topic is None and unit.para >= 0 and all(m.rank == 2 for m in unit.mentions):
            # An article about one investor goes on about it without naming it ("Où ? À Hénin-Beaumont...").
            unit.topic = running(unit, [d.investor for d in drafts.values()])
        previous = unit
    _enrich(units, drafts, frozenset(name for name, rank, _ in art.memory.entries if rank <= 1))
    figureless = [k for k, d in drafts.items() if d.money is None]
    for key in [k for k in figureless if investor_key(drafts[k].investor) in art.tainted or art.targets]:
        # "X annonce une usine" then "L'investissement, 300 millions de dollars, au Texas": the figure read
        # later shows the pledge was not one in France (or not an investment); in a story of a company
        # bought, a pledge without a figure is the buyer's promise, not a new project.
        art.reasons.append(f"skip figureless {drafts[key].investor} (a figure elsewhere or an acquisition)")
        del drafts[key]
    return _finish(drafts, tie, edition, art.reasons, " ".join(body))


def _figureless(unit: Unit, art: _Article, drafts: dict[str, Draft]) -> Draft | None:
    extra = commitment_without_amount(unit, art.memory, art.edition, art.published_year)
    if extra is None:
        return None
    key = investor_key(extra.investor)
    if same_company_key(drafts, key) in drafts or key in art.tainted:
        return None
    places = places_near(unit.text, exclude=_known_words(unit))
    return Draft(
        extra.investor, None, unit.text, extra.confidence, art.edition, places, extra.jobs, [unit.text]
    )


def _finish(
    drafts: dict[str, Draft], tie: bool, edition: int | None, reasons: list[str], article_text: str = ""
) -> Detection:
    ordered = sorted(drafts.values(), key=lambda d: d.status != "announced")
    announced = [d for d in ordered if d.status == "announced" and d.confidence >= FLAG_THRESHOLD]
    summary = [
        f"{d.status} {d.investor} {d.money.text if d.money else '(no amount)'} ({d.confidence})"
        for d in ordered
    ]
    if tie:
        head = "Choose France summit in the main body"
    else:
        head = "no Choose France summit in the main body: nothing is an announcement"
        announced = []
    flagged = bool(announced)
    kept = announced + [d for d in ordered if d.status != "announced"]
    score = max((d.confidence for d in announced), default=0.1 if tie else 0.0)
    investments = [
        Investment(
            investor=d.investor,
            amount_eur=d.money.amount_eur if d.money else None,
            amount_text=d.money.text if d.money else None,
            currency=d.money.currency if d.money else None,
            locations=[
                p for p in d.locations if not any(o != p and o.startswith(p + "-") for o in d.locations)
            ],
            # The evidence's words about the figure first, then the sentences about the project, then the article.
            sector=project_sector(
                [d.sector_texts[:1], [d.evidence], [d.lead_in, *d.sector_texts[1:]], [article_text]]
            ),
            jobs=d.jobs,
            edition=d.edition,
            evidence=re.sub(r"\s+", " ", d.evidence).strip(),
            status=d.status,
        )
        for d in kept
    ]
    return Detection(flagged, score, [head, *summary, *reasons], edition if flagged else None, investments)
