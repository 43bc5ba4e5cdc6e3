"""What a frame commits to: a money figure, a vague figure ("plusieurs centaines de millions"), a count
of new jobs, or a project (a new facility, more research, production or trials) found in a unit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.detect import lexicon
from pipelines.detect.amounts import Money, find_jobs, find_money

MIN_AMOUNT = 1_000_000
_PROJECT_SPAN = 80


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a frame commits to: a figure, a vague figure, a count of jobs or a project."""

    kind: str  # money, vague, jobs, project
    start: int
    end: int
    money: Money | None = None
    jobs: int | None = None


def find_anchors(text: str, projects: bool = True) -> list[Anchor]:
    """Figures, job counts and (when `projects`) projects of a unit, left to right."""
    anchors: list[Anchor] = []
    for m in find_money(text):
        if m.value is None:
            anchors.append(Anchor("vague", m.start, m.end, m))
        elif m.value >= MIN_AMOUNT:
            anchors.append(Anchor("money", m.start, m.end, m))
    for j in find_jobs(text):
        if not any(a.start <= j.start < a.end for a in anchors):
            anchors.append(Anchor("jobs", j.start, j.end, jobs=j.value))
    verb = lexicon.regex("commitments", "project_verb")
    obj = lexicon.regex("commitments", "project_object")
    for m in verb.finditer(text) if projects else ():
        window = text[m.end() : m.end() + _PROJECT_SPAN]
        window = re.split(r"[.;!?]", window, maxsplit=1)[0]
        target = obj.search(window)
        if target and not any(a.start <= m.start() < a.end for a in anchors):
            anchors.append(Anchor("project", m.start(), m.end() + target.end()))
    anchors.sort(key=lambda a: a.start)
    return anchors
