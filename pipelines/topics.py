"""Which investor each sentence speaks of (its "topic"), so that later sentences can add places and jobs
to an announcement, and telegraphic sentences ("Le move : 75 millions d'euros pour ...") find their investor."""

from __future__ import annotations

import re

from pipelines import cues
from pipelines.context import Unit, event_of
from pipelines.entities import canonical_name
from pipelines.memory import EntityMemory
from pipelines.speakers import first_person

# A heading: one short line without a sentence's end.
_HEADING_RE = re.compile(r"[^.!?;]{2,80}")
_NUMBERING_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–—•*▪►])\s*")


def note_all(memory: EntityMemory, unit: Unit, named: set[str] | None = None) -> list[tuple[str, int]]:
    """Record the unit's names; return the investors it speaks of (descriptors resolved), with their rank.
    `named` collects those the sentence names as subject or owner (a name or a descriptor, not a pronoun)."""
    resolved: list[tuple[str, int]] = []
    for mention in unit.mentions:
        name = memory.resolve(mention) if mention.kind != "name" else mention.name
        memory.note(mention)
        if name:
            resolved.append((name, mention.rank))
            if named is not None and mention.kind != "pronoun" and mention.rank <= 1:
                named.add(name)
    return resolved


def topic_of(
    unit: Unit,
    resolved: list[tuple[str, int]],
    previous: Unit | None,
    accepted: str | None,
    memory: EntityMemory,
) -> str | None:
    """The investor a sentence speaks of: its subject, else its owner ("chez X", "l'usine de X"); with only
    partners and places (rank 2), the speaker's company or the topic carried on from the sentence before."""
    if accepted:
        return accepted
    for top in (0, 1):
        names = list(dict.fromkeys(n for n, rank in resolved if rank <= top))
        if len(names) == 1:
            return names[0]
        if names:
            return None
    if unit.speaker and not unit.interviewer:
        # "PDG D'IBERLUX — Environ 250 emplois directs", "Réponse : Nous prévoyons 150 recrutements".
        if unit.speaker_org:
            return memory.find(unit.speaker_org) or canonical_name(unit.speaker_org.title())
        if first_person(unit.text):
            return memory.latest()
    if (
        previous is not None
        and not cues.TIMESTAMP_RE.match(unit.text)
        and (
            previous.para == unit.para
            or cues.PROJECT_ANAPHOR_RE.match(unit.text)
            or cues.POSSESSIVE_RE.search(unit.text[:40])
        )
    ):
        return previous.topic
    return None


def carried(previous: Unit | None, unit: Unit) -> str | None:
    """The investor of the sentence before in the paragraph, when that sentence ties it to the summit or to
    an investment ("X a pitché hier au Choose France summit. Le move : 75 millions d'euros pour ...")."""
    if previous is None or previous.topic is None or cues.TIMESTAMP_RE.match(unit.text):
        return None  # "10h05 – ..." opens a new entry of a live blog, about its own subject
    if previous.para != unit.para:
        # "## Nordvik Wind" then "300 millions d'euros pour une usine": a heading names what follows.
        heading = _NUMBERING_RE.sub("", previous.text)  # "3. Sakuragi Telecom, l'arlésienne"
        return previous.topic if _HEADING_RE.fullmatch(heading) else None
    if event_of(previous.text) == "cf" or cues.TRIGGER_RE.search(previous.text):
        return previous.topic
    if previous.carried is not None and previous.carried == previous.topic:
        # "3. Sakuragi Telecom" / "L'opérateur nippon tourne autour..." / "Cette fois : 1 milliard pour...":
        # a section opened by a heading naming a company goes on about it.
        return previous.topic
    return None


def running(unit: Unit, investors: list[str]) -> str | None:
    """The one investor an article has spoken of so far, if it has spoken of only one and the sentence is
    neither about another event nor a summit-wide figure."""
    if len(investors) != 1 or unit.context == "other" or cues.CROSS_COMPANY_RE.search(unit.text):
        return None
    return investors[0]
