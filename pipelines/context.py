"""Which event each sentence of an article speaks of: the Choose France summit, another event, or none
said (then its paragraph's, else the article's), and whether the story is set abroad."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines import cues
from pipelines.entities import Mention
from pipelines.gazetteer import FOREIGN_PLACE_RE, IN_FRANCE_RE, foreign_places, french_places
from pipelines.speakers import split_speaker, transcript_labels


@dataclass(slots=True)
class Unit:
    """One sentence (the title is paragraph -1) and what the reading learns about it."""

    para: int
    text: str
    context: str  # cf, other, none
    mentions: list[Mention] = field(default_factory=list)
    topic: str | None = None
    # In a transcript: the speaker's label, the company it names, and whether the speaker asks the questions.
    speaker: str | None = None
    speaker_org: str | None = None
    interviewer: bool = False
    # The investor the sentence before (same paragraph) spoke of: telegraphic styles leave it out.
    carried: str | None = None
    # The sentence names its topic investor (a name, or a descriptor resolved to it): it may place it anywhere.
    named: bool = False


_CF_GATE_RE = re.compile(r"choose|attractivit|versailles", re.IGNORECASE)


@lru_cache(maxsize=256)  # one article's sentences: read again for the next one
def event_of(sentence: str) -> str:
    if not _CF_GATE_RE.search(sentence):  # every way of naming the summit has one of these words
        return "other" if cues.OTHER_EVENT_RE.search(sentence) else "none"
    cleaned = cues.CF_OTHER_USES_RE.sub(" ", sentence)
    if cues.CF_RE.search(cleaned):
        return "cf"
    if cues.OTHER_EVENT_RE.search(sentence) or cleaned != sentence:
        return "other"
    return "none"


def build_units(title: str | None, paragraphs: list[list[str]]) -> list[Unit]:
    """Title and sentences; in a transcript, each sentence without its speaker label but knowing its speaker."""
    units = [Unit(-1, title, event_of(title))] if title else []
    labels = transcript_labels([s for p in paragraphs for s in p])
    for i, paragraph in enumerate(paragraphs):
        speaker = split_speaker("", labels)
        for sentence in paragraph:
            turn = split_speaker(sentence, labels)
            speaker = turn if turn.label else speaker  # a turn lasts until the next label or paragraph
            units.append(Unit(i, turn.text, event_of(turn.text), speaker=speaker.label, speaker_org=speaker.org,
                              interviewer=speaker.interviewer))  # fmt: skip
    return units


def main_context(units: list[Unit]) -> str:
    """The event an article is about: its title's, else its lede's, else the most mentioned."""
    for scope in ({-1}, {0, 1}):
        events = {u.context for u in units if u.para in scope} - {"none"}
        if len(events) == 1:
            return events.pop()
        if events:
            return "cf"
    counts = {e: sum(1 for u in units if u.context == e) for e in ("cf", "other")}
    if counts["cf"] or counts["other"]:
        return "cf" if counts["cf"] >= counts["other"] else "other"
    return "none"


def assign_contexts(units: list[Unit], main: str) -> None:
    """A sentence without an event inherits its paragraph's last one, else the article's."""
    current, para = main, None
    for unit in units:
        if unit.para != para:
            current, para = main, unit.para
        if unit.context == "none":
            unit.context = current
        else:
            current = unit.context


def article_abroad(units: list[Unit]) -> bool:
    """Title and lede place the story abroad and never in France nor at the summit."""
    title = " ".join(u.text for u in units if u.para < 0)
    if title and foreign_places(title) and not (french_places(title) or IN_FRANCE_RE.search(title)):
        return True  # "Stellantis investit 2 milliards aux États-Unis"
    lede = " ".join(u.text for u in units if u.para <= 0)
    if not FOREIGN_PLACE_RE.search(lede) or french_places(lede) or IN_FRANCE_RE.search(lede):
        return False
    return not cues.CF_RE.search(lede)
