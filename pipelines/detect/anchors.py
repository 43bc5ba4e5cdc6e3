"""What a frame commits to: a money figure, a vague figure ("plusieurs centaines de millions"), a count
of new jobs, or a project (a new facility, more research, production or trials) found in a unit."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipelines.detect import lexicon
from pipelines.detect.amounts import DIGIT_NUMBER, Money, find_jobs, find_money, parse_number

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


_RESPECTIVELY_RE = re.compile(r"\brespectivement\b", re.IGNORECASE)


def respective(text: str, anchor: Anchor, count: int) -> list[Anchor] | None:
    """ "X et Y investiront respectivement 300 et 70 millions d'euros": the figures of a list, one per
    company in turn, each with the scale and currency of the last; None when the figure is no such list."""
    money = anchor.money
    if (
        money is None
        or money.value is None
        or not _RESPECTIVELY_RE.search(text, max(0, anchor.start - 40), anchor.end)
    ):
        return None
    head = re.search(rf"((?:{DIGIT_NUMBER})(?:\s*,\s*|\s+et\s+))+$", text[: anchor.start].rstrip() + " ")
    last = re.match(rf"\s*({DIGIT_NUMBER})", money.text)
    if head is None or last is None:
        return None
    numbers = [parse_number(n) for n in re.findall(DIGIT_NUMBER, head.group(0))] + [
        parse_number(last.group(1))
    ]
    if len(numbers) != count or any(not n for n in numbers):
        return None
    scale = money.value / numbers[-1]  # type: ignore[operator]
    return [
        replace(anchor, money=Money(n * scale, money.currency, money.text, money.start, money.end))  # type: ignore[operator]
        for n in numbers
    ]
