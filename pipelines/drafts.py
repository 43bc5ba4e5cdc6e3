"""Drafts of announcements while an article is read, and how two drafts of one company merge: the same
company named in full then shortly ("Eli Lilly", "Lilly"), the better figure kept (euros over dollars, the
body's over the title's, a range over "jusqu'à X")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.amounts import Money
from pipelines.entities import investor_key


@dataclass(slots=True)
class Draft:
    investor: str
    money: Money | None
    evidence: str
    confidence: float
    edition: int | None
    locations: list[str] = field(default_factory=list)
    jobs: int | None = None
    sector_texts: list[str] = field(default_factory=list)
    status: str = "announced"
    # The sentence before the evidence in its paragraph: "Dans le quantique, ..." often names the sector there.
    lead_in: str = ""
    from_title: bool = False
    # Paragraphs of the sentences that reported it (-1 for the title): where project references may place it.
    paras: set[int] = field(default_factory=set)


def same_company_key(drafts: dict[str, Draft], key: str) -> str:
    """ "Lilly" after "Eli Lilly", "Amazon" after "Amazon Web Services": one company in one article."""
    if key in drafts:
        return key
    tokens = set(key.split())
    for other in drafts:
        other_tokens = set(other.split())
        if (tokens <= other_tokens or other_tokens <= tokens) and max(
            len(t) for t in tokens & other_tokens or {""}
        ) >= 3:
            return other
    return key


_UP_TO_RE = re.compile(r"^\s*jusqu['’]\s?à\b", re.IGNORECASE)


def _upper_bound_only(money: Money) -> bool:
    return bool(_UP_TO_RE.match(money.text))


def _refines(new: Money | None, bound: Money) -> bool:
    """A figure that says more than "jusqu'à X": a range or a plain figure in the same currency, not above X."""
    return (
        new is not None
        and new.value is not None
        and bound.value is not None
        and new.currency == bound.currency
        and not _upper_bound_only(new)
        and new.value <= bound.value
    )


def merge_draft(drafts: dict[str, Draft], draft: Draft) -> None:
    key = same_company_key(drafts, investor_key(draft.investor))
    existing = drafts.get(key)
    if existing is None:
        drafts[key] = draft
        return
    new = draft.money
    better_money = (
        existing.money is None
        or existing.money.value is None
        or (new is not None and existing.money.currency != "EUR" and new.currency == "EUR")
        # A title rounds ("Quatre milliards pour Dunkerque") and drops the currency: the body's figure wins.
        or (existing.from_title and not draft.from_title)
        # "jusqu'à 500 millions" in a headline or lede, "entre 300 et 500 millions" further on: the precise one.
        or (_upper_bound_only(existing.money) and _refines(new, existing.money))
    )
    if better_money and draft.money is not None and draft.money.value is not None:
        existing.money, existing.evidence, existing.from_title = draft.money, draft.evidence, draft.from_title
    if draft.investor != existing.investor and existing.investor in draft.investor:
        existing.investor = draft.investor  # "LG Energy" in a title, "LG Energy Solution" in the body
    existing.confidence = max(existing.confidence, draft.confidence)
    existing.locations += [p for p in draft.locations if p not in existing.locations]
    existing.jobs = existing.jobs or draft.jobs
    existing.paras |= draft.paras
    existing.sector_texts += draft.sector_texts
