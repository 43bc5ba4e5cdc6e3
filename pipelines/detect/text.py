"""An article as the reader meets it: the title and the body's sentences and list items ("units"), each
knowing its paragraph, its speaker in a transcript, and the event it speaks of (the summit, another
event, or none said: then its paragraph's, else the article's)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.detect import lexicon
from pipelines.detect.boilerplate import clean_text, clean_title
from pipelines.detect.speakers import interview_askers, split_speaker, transcript_labels
from pipelines.detect.tables import rewrite_tables

_BOUNDARY_RE = re.compile(r"(?<=[.!?…])[»”\"]?\s+(?=[«\"“(]?\s?[A-ZÀ-ÖØ-Þ0-9•\-–—])")
# A full stop after these is not the end of a sentence.
_ABBREV_END_RE = re.compile(
    r"(?:\b(?:M|MM|Mme|Dr|Pr|St|Ste|av|env|etc|cf|p|n°|No|vol|Inc|Corp|Ltd|Co|Jr|Sr|J\.-C)|\b[A-Z]|^\s*\d{1,2})\.$"
)
_ITEM_RE = re.compile(r"^\s*(?:[-–—•*▪►·✅👉]|\d{1,2}[.)/])\s*")
_SENTENCE_END_RE = re.compile(r"[.!?»”…]\s*$")


@dataclass(slots=True)
class Unit:
    """One sentence, list item or heading (the title is paragraph -1)."""

    index: int
    para: int
    text: str
    kind: str  # title, heading, item, sentence
    event: str  # what the unit itself names: cf, other, none
    context: str = "none"  # its event once paragraph and article are taken into account
    speaker: str | None = None
    speaker_org: str | None = None
    interviewer: bool = False
    # Opens an entry of its own (a live blog's timestamp, a heading, a numbered section): what was said
    # before about a company does not carry over into it.
    entry: bool = False


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph; each line of a multi-line block (a list) stays separate."""
    out: list[str] = []
    for line in paragraph.split("\n"):
        line = line.strip()
        if not line:
            continue
        buffer = ""
        for piece in _BOUNDARY_RE.split(line):
            buffer = f"{buffer} {piece}" if buffer else piece
            if not _ABBREV_END_RE.search(buffer):
                out.append(buffer.strip())
                buffer = ""
        if buffer:
            out.append(buffer.strip())
    return out


def split_paragraphs(body: str) -> list[list[str]]:
    """Paragraphs (blank-line separated) as lists of sentences."""
    return [s for p in re.split(r"\n\s*\n", body) if (s := split_sentences(p))]


@lru_cache(maxsize=512)
def event_of(sentence: str) -> str:
    """cf, other or none: the event a sentence names itself."""
    if not lexicon.regex("events", "summit_gate").search(sentence):
        return "other" if lexicon.regex("events", "other_event").search(sentence) else "none"
    cleaned = lexicon.regex("events", "other_uses_of_name").sub(" ", sentence)
    if lexicon.regex("events", "summit").search(cleaned):
        return "cf"
    if lexicon.regex("events", "other_event").search(sentence) or cleaned != sentence:
        return "other"
    return "none"


def _kind(text: str) -> str:
    if _ITEM_RE.match(text):
        return "item"
    if not _SENTENCE_END_RE.search(text) and len(text) < 110:
        return "heading"
    return "sentence"


def build_units(text: str, title: str | None) -> tuple[str | None, list[Unit]]:
    """The cleaned title and the units of an article, events assigned."""
    title_clean = clean_title(title)
    paragraphs = split_paragraphs(clean_text(rewrite_tables(text), title_clean))
    units = [Unit(0, -1, title_clean, "title", event_of(title_clean))] if title_clean else []
    labels, askers = transcript_labels([s for p in paragraphs for s in p]), interview_askers(paragraphs)
    timestamp = lexicon.regex("events", "timestamp")
    for para, sentences in enumerate(paragraphs):
        speaker = split_speaker("", labels, askers)
        for sentence in sentences:
            turn = split_speaker(sentence, labels, askers)
            speaker = turn if turn.label else speaker  # a turn lasts until the next label or paragraph
            kind = _kind(turn.text)
            unit = Unit(len(units), para, turn.text, kind, event_of(turn.text), speaker=speaker.label,
                        speaker_org=speaker.org, interviewer=speaker.interviewer)  # fmt: skip
            # A heading that ends on a colon ("Ce qu'il faut savoir :") introduces more of the same story.
            unit.entry = (kind == "heading" and not turn.text.rstrip().endswith(":")) or bool(
                timestamp.match(turn.text)
            )
            units.append(unit)
    _assign_contexts(units)
    return title_clean, units


def _main_event(units: list[Unit]) -> str:
    """The event an article is about: its title's, else its lede's, else the most named."""
    for scope in ({-1}, {0, 1}):
        events = {u.event for u in units if u.para in scope} - {"none"}
        if len(events) == 1:
            return events.pop()
        if events:
            return "cf"
    counts = {e: sum(1 for u in units if u.event == e) for e in ("cf", "other")}
    if counts["cf"] or counts["other"]:
        return "cf" if counts["cf"] >= counts["other"] else "other"
    return "none"


def _assign_contexts(units: list[Unit]) -> None:
    """A unit that names no event inherits its paragraph's last one, else the article's."""
    main = _main_event(units)
    current, para = main, None
    for unit in units:
        if unit.para != para:
            current, para = main, unit.para
        unit.context = current if unit.event == "none" else unit.event
        current = unit.context
