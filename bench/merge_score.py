"""Store-level merge score for bench/detect: one record per real announcement.

A labelled set's articles go, oldest first, through newswatch.store.announcements.record_announcements (with the
detector's merge rules, pipelines.announcements.MERGE_POLICY) on an
in-memory SQLite store migrated like the real one. Each report the detector got right (matched to a gold
announcement) then sits in one record; gold announcements carry an `announcement_id` when several
articles of the set report the same announcement (without one, an announcement is its own). Over every
pair of matched reports: a pair in one record and one real announcement is a true positive, in one
record but two announcements a false merge (fp), in two records but one announcement a split (fn).
The same is measured on the gold reports themselves, which isolates the merge from detection errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from sqlalchemy.orm import Session

from newswatch.store.announcements import record_announcements
from newswatch.store.db import make_engine, upgrade_schema
from newswatch.store.models import Article, url_hash
from pipelines.announcements import MERGE_POLICY
from pipelines.detect import Investment


@dataclass
class MergeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    reports: int = 0
    # Real announcements told by several matched reports, and how many of them ended in one record.
    multi: int = 0
    multi_whole: int = 0
    # Records that hold reports of several real announcements.
    mixed: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, other: MergeScore) -> None:
        for name in ("tp", "fp", "fn", "reports", "multi", "multi_whole", "mixed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.examples += other.examples

    def f1(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self, label: str) -> str:
        p, r, f = self.f1()
        return (
            f"  merge ({label}){' ' * max(0, 11 - len(label))}precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}"
            f"  (pairs tp {self.tp}, fp {self.fp}, fn {self.fn}; {self.reports} reports; "
            f"{self.multi_whole}/{self.multi} announcements told several times in one record, "
            f"{self.mixed} records mixing announcements)"
        )


def gold_reports(gold: dict[str, Any]) -> list[Investment]:
    """The gold announcements as the detector would report them (their aliases are descriptors, not
    names, so they are left out)."""
    out = []
    for g in gold.get("investments", []):
        out.append(
            Investment(
                investor=g["investor"],
                amount_eur=g.get("amount_eur"),
                amount_text=g.get("amount_text"),
                currency=g.get("currency"),
                locations=list(g.get("locations") or []),
                sector=g.get("sector"),
                jobs=g.get("jobs"),
                edition=g.get("edition", gold.get("edition")),
                evidence="",
            )
        )
    return out


def cluster_of(case_name: str, index: int, gold: dict[str, Any]) -> str:
    return gold.get("announcement_id") or f"{case_name}#{index}"


def score(
    cases: Sequence[Any],
    reports: Sequence[list[Investment]],
    matcher: Callable[[list[Investment], list[dict]], tuple[list[tuple[Investment, dict]], Any, Any]],
    verbose: bool = False,
) -> MergeScore:
    """Record every case's reports (oldest article first) and score the records of the matched ones."""
    engine = make_engine("sqlite://")
    upgrade_schema(engine)
    order = sorted(range(len(cases)), key=lambda i: (cases[i].published or date.min, cases[i].name))
    mentions: list[tuple[int, str, str]] = []  # (record id, real announcement, label)
    with Session(engine) as session:
        for i in order:
            case, found = cases[i], reports[i]
            article = Article(
                url=f"bench:{case.name}",
                url_hash=url_hash(f"bench:{case.name}"),
                fingerprint=url_hash(case.name),
                text="",
                published=case.published,
            )
            session.add(article)
            session.flush()
            record_of: dict[int, int] = {}
            for report in found:
                ids = record_announcements(session, article.id, [report], MERGE_POLICY)
                if ids:
                    record_of[id(report)] = ids[0]
            gold = case.gold.get("investments", [])
            pairs, _, _ = matcher([r for r in found if r.status == "announced"], gold)
            for pred, g in pairs:
                if id(pred) in record_of:
                    label = f"{case.name}: {pred.investor} {pred.amount_eur} {pred.edition}"
                    mentions.append((record_of[id(pred)], cluster_of(case.name, gold.index(g), g), label))
    engine.dispose()
    return _pairs(mentions, verbose)


def _pairs(mentions: list[tuple[int, str, str]], verbose: bool) -> MergeScore:
    result = MergeScore(reports=len(mentions))
    for (rec_a, real_a, label_a), (rec_b, real_b, label_b) in combinations(mentions, 2):
        same_record, same_real = rec_a == rec_b, real_a == real_b
        result.tp += same_record and same_real
        result.fp += same_record and not same_real
        result.fn += same_real and not same_record
        if verbose and same_record != same_real:
            kind = "false merge" if same_record else "split"
            result.examples.append(f"    {kind}: {label_a} | {label_b}")
    records_of: dict[str, set[int]] = defaultdict(set)
    reals_of: dict[int, set[str]] = defaultdict(set)
    told: dict[str, int] = defaultdict(int)
    for record, real, _ in mentions:
        records_of[real].add(record)
        reals_of[record].add(real)
        told[real] += 1
    several = [real for real, n in told.items() if n > 1]
    result.multi = len(several)
    result.multi_whole = sum(1 for real in several if len(records_of[real]) == 1)
    result.mixed = sum(1 for reals in reals_of.values() if len(reals) > 1)
    return result
