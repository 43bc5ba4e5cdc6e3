"""Helpers for the detection style tests: a short article written for a test, what it should yield, and
the check that reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipelines.detect import Detection, detect

# A lede that ties an article to the summit, for cases about something else.
CF = "Le sommet Choose France s'est tenu lundi à Versailles."


@dataclass(frozen=True)
class Case:
    title: str
    body: str
    expected: set[tuple[str, float | None]]
    jobs: dict[str, int | None] = field(default_factory=dict)
    places: dict[str, set[str]] = field(default_factory=dict)
    published: date = date(2024, 5, 13)


def read(case: Case) -> Detection:
    return detect(case.body, title=case.title, published=case.published)


def pairs(detection: Detection) -> set[tuple[str, float | None]]:
    return {(i.investor, i.amount_eur) for i in detection.announced}


def check(case: Case) -> None:
    """Exactly the expected (investor, amount) pairs, the article flagged when there are some, and the jobs
    and places the case names."""
    d = read(case)
    assert pairs(d) == case.expected, d.reasons
    assert d.flagged == bool(case.expected)
    by_investor = {i.investor: i for i in d.announced}
    for investor, jobs in case.jobs.items():
        assert by_investor[investor].jobs == jobs, investor
    for investor, places in case.places.items():
        assert places <= set(by_investor[investor].locations), (investor, by_investor[investor].locations)
