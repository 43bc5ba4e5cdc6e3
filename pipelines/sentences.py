"""Paragraphs and sentences of a cleaned article body (French punctuation and abbreviations)."""

from __future__ import annotations

import re

_BOUNDARY_RE = re.compile(r"(?<=[.!?…])[»”\"]?\s+(?=[«\"“(]?\s?[A-ZÀ-ÖØ-Þ0-9•\-–—])")
# A full stop after these is not the end of a sentence.
_ABBREV_END_RE = re.compile(
    r"(?:\b(?:M|MM|Mme|Dr|Pr|St|Ste|av|env|etc|cf|p|n°|No|vol|Inc|Corp|Ltd|Co|Jr|Sr|J\.-C)|\b[A-Z]|^\s*\d{1,2})\.$"
)


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph; each line of a multi-line block (a list) stays separate."""
    out: list[str] = []
    for line in paragraph.split("\n"):
        line = line.strip()
        if not line:
            continue
        pieces = _BOUNDARY_RE.split(line)
        buffer = ""
        for piece in pieces:
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
