"""Who invests a figure: the subject before it, a name right after it ("... de la part de X"),
the investor of the figure before it in the same sentence, or the company the text is still about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from pipelines import cues
from pipelines.amounts import Money, find_jobs
from pipelines.entities import EntityMemory, Mention, _fold, acts_as_subject, canonical_name
from pipelines.gazetteer import IN_FRANCE_RE, foreign_places, french_places, is_foreign_place, is_french_place
from pipelines.lexicon import STOP_PHRASES

if TYPE_CHECKING:
    from collections.abc import Sequence

_AFTER_NAME_MAX = 90
# A name after the figure is its investor only when the words between say so.
_AFTER_LINK_RE = re.compile(
    r"^[^.;]{0,40}?(?:\bpar|\bde\s+la\s+part\s+(?:de|d['’])|\bpour\s+le\s+compte\s+(?:de|d['’])|\bque\s+(?:va|vont|compte|prévoit\s+d['’]|entend)\s+\w+|"
    r"\bc['’]est\s+(?:ce\s+que|le\s+montant\s+que)\s+(?:va|compte|prévoit\s+d['’])?\s*\w*|\bpour|\bchez|\bde|\bd['’])\s*"
    r"(?:(?:le|la|l['’])\s*[\w-]+(?:\s+[\w-]+){0,2}\s+)?$",
    re.IGNORECASE,
)
# A figureless commitment: an action on a facility ("ouverture d'un centre", "construire une usine").
ACTION_RE = re.compile(
    r"\b(?:construire|construction|implanter|implantation|ouvrir|ouverture|installer|installation|bâtir|agrandir|"
    r"agrandissement|étendre|extension|doubler|tripler|inaugurer|créer|création|confirm\w*|dévoil\w*|annonc\w*)\b",
    re.IGNORECASE,
)
FACILITY_RE = re.compile(
    r"\b(?:usines?|sites?|centres?|entrepôts?|campus|data\s*cent\w*|gigafactor\w*|plateformes?|laboratoires?|lignes?\s+de|"
    r"unités?|siège|hubs?|bureaux|pôles?|ateliers?|manufactures?|magasins?|hôtels?)\b",
    re.IGNORECASE,
)
_FACILITY_SPAN = 70


class _UnitLike(Protocol):
    text: str
    mentions: list[Mention]
    topic: str | None
    context: str


class _DraftLike(Protocol):
    investor: str


@dataclass(frozen=True, slots=True)
class Choice:
    investor: str | None
    anchor: int  # where the words that qualify the figure start
    bonus: float = 0.0
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Commitment:
    investor: str
    confidence: float
    jobs: int | None


def _resolve(mention: Mention, earlier: Sequence[Mention], memory: EntityMemory) -> str | None:
    if mention.kind == "name":
        return mention.name
    names = [m for m in earlier if m.kind == "name" and m.end <= mention.start and m.rank <= 1]
    if names and not mention.hints:
        return min(names, key=lambda m: (m.rank, -m.start)).name
    return memory.resolve(mention)


def _is_joint(text: str, chosen: Mention, before: list[Mention]) -> bool:
    """ "Microsoft et Amazon investissent 5 milliards": one figure for several companies is a total."""
    names = [m for m in before if m.kind == "name" and m.end <= chosen.start]
    if not names:
        return False
    gap = text[names[-1].end : chosen.start]
    return bool(re.fullmatch(r"\s+(?:et|ainsi\s+que|ou)\s+", gap, re.IGNORECASE))


def choose_investor(unit: _UnitLike, money: Money, seg_start: int, seg_end: int, memory: EntityMemory,
                    earlier_drafts: Sequence[_DraftLike | None], earlier_monies: Sequence[Money]) -> Choice:  # fmt: skip
    s = unit.text
    if seg_start == 0:
        head = list_head(s)
        if head is not None:
            return Choice(head, cues.LIST_HEAD_RE.match(s).end(), bonus=0.1)  # type: ignore[union-attr]
    before = [m for m in unit.mentions if seg_start <= m.start and m.end <= money.start]
    if before:
        # The subject wins over owners ("propriétaire de Cartier"), owners over partners and places.
        best = min(m.rank for m in before)
        chosen = [m for m in before if m.rank == best][-1]
        names = [m for m in before if m.kind == "name" and m.rank <= chosen.rank]
        if chosen.kind != "name" and names and not chosen.hints:
            # "Microsoft a révélé qu'elle allait investir": the pronoun is the name before it.
            chosen = names[-1]
        if chosen.kind == "name" and _is_joint(s, chosen, before):
            return Choice(None, seg_start, reason="aggregate(joint)")
        investor = _resolve(chosen, unit.mentions, memory)
        if investor is None:
            return Choice(None, seg_start, reason="unresolved-descriptor")
        return Choice(investor, chosen.end, bonus=0.1 if chosen.kind == "name" else 0.05)
    if (
        earlier_drafts
        and earlier_drafts[-1] is not None
        and not re.search(r"[;.]", s[seg_start : money.start])
    ):
        # "X investira 1 milliard à Dunkerque et 500 millions à Lyon": the same subject.
        return Choice(earlier_drafts[-1].investor, seg_start, bonus=-0.05)
    after = [
        m
        for m in unit.mentions
        if m.kind == "name" and money.end <= m.start < min(seg_end, money.end + _AFTER_NAME_MAX)
    ]
    if after and _AFTER_LINK_RE.search(s[money.end : after[0].start]):
        return Choice(after[0].name, seg_start, bonus=-0.05)
    # "Un milliard d'euros : c'est la somme que le norvégien Yara prévoit d'engager."
    subject = next((m for m in after if m.rank == 0 and acts_as_subject(s, m.end)), None)
    if subject is not None and not cues.AGGREGATE_HINT_RE.search(s[money.end : subject.start]):
        return Choice(subject.name, seg_start, bonus=-0.05)
    if unit.topic is None and (
        cues.PROJECT_ANAPHOR_RE.match(s) or cues.POSSESSIVE_RE.search(s[seg_start : money.start])
    ):
        # The topic is filled in after the sentence is read; `memory` holds the company last named.
        latest = memory.latest()
        if latest and not earlier_monies:
            return Choice(latest, seg_start, bonus=-0.1)
    return Choice(None, seg_start, reason="no-investor")


def list_head(text: str) -> str | None:
    """The investor named at the head of a list item ("- Mars : 100 M€ ..."), or None."""
    m = cues.LIST_HEAD_RE.match(text)
    if m is None:
        return None
    head = m.group("head").strip()
    if (
        len(head.split()) > 4
        or is_french_place(head)
        or is_foreign_place(head)
        or _fold(head) in STOP_PHRASES
    ):
        return None
    return canonical_name(head)


def commitment_without_amount(
    unit: _UnitLike, memory: EntityMemory, edition: int | None, published_year: int | None
) -> Commitment | None:
    """ "Ericsson : ouverture d'un centre à Massy, 500 recrutements": a named commitment with no figure."""
    text = unit.text
    if (
        text.rstrip().endswith("?")
        or cues.NEGATION_RE.search(text)
        or cues.ABANDON_RE.search(text)
        or cues.RETRO_RE.search(text)
    ):
        return None
    jobs = next((j.value for j in find_jobs(text)), None)
    action = ACTION_RE.search(text)
    facility = bool(action and FACILITY_RE.search(text, action.start(), action.end() + _FACILITY_SPAN))
    in_france = bool(french_places(text) or IN_FRANCE_RE.search(text))
    if not ((facility and in_france) or jobs):
        return None
    if foreign_places(text) and not in_france:
        return None
    anchor = action.start() if action else len(text)
    investor = list_head(text)
    if investor is None:
        subjects = [x for x in unit.mentions if x.end <= anchor and x.rank == 0]
        if not subjects:
            return None
        investor = _resolve(subjects[-1], unit.mentions, memory)
        anchor_text = text[subjects[-1].end : anchor]
    else:
        anchor_text = text
    if investor is None or cues.negative_family(anchor_text, ""):
        return None
    return Commitment(investor, 0.6, jobs)
