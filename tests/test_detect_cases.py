"""Detection by capability: every case in tests/detect_cases/*.yaml is a short article written for the
tests (invented companies, so no word list can know them) and the announcements it must give.

A case file holds `capability` (what its cases prove) and `cases`, each with `name`, `title`, `text`,
optional `published` (default 2024-05-13) and `announcements`: exactly these (investor, amount_eur)
pairs, the article flagged when there are some. An announcement may also name `currency`, `jobs`,
`places` (all among its locations), `locations` (exactly these), `regions` (among the régions of its places), `sector` (its first
label), `edition` and `status`. A case may give the article's `edition` too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipelines.detect import Detection, Investment, detect

CASES_DIR = Path(__file__).resolve().parent / "detect_cases"
DEFAULT_PUBLISHED = date(2024, 5, 13)
_ANNOUNCEMENT_KEYS = {
    "investor", "amount_eur", "currency", "jobs", "places", "locations", "regions", "sector", "edition", "status",
}  # fmt: skip
_CASE_KEYS = {"name", "title", "text", "published", "announcements", "edition"}


def _load() -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not doc.get("capability") or not isinstance(doc.get("cases"), list):
            raise ValueError(f"{path.name}: needs 'capability' and a list of 'cases'")
        for case in doc["cases"]:
            unknown = set(case) - _CASE_KEYS
            if unknown or not {"name", "text", "announcements"} <= set(case):
                raise ValueError(f"{path.name}: case {case.get('name')!r}: bad keys {sorted(unknown)}")
            for ann in case["announcements"]:
                if set(ann) - _ANNOUNCEMENT_KEYS or "investor" not in ann:
                    raise ValueError(f"{path.name}: case {case['name']!r}: bad announcement {ann}")
            cases.append((f"{path.stem}: {case['name']}", case))
    return cases


CASES = _load()


def _read(case: dict[str, Any]) -> Detection:
    published = case.get("published", DEFAULT_PUBLISHED)
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return detect(case["text"], title=case.get("title"), published=published)


def _check_fields(found: Investment, expected: dict[str, Any]) -> None:
    label = found.investor
    if "currency" in expected:
        assert found.currency == expected["currency"], label
    if "jobs" in expected:
        assert found.jobs == expected["jobs"], (label, found.jobs)
    if "places" in expected:
        assert set(expected["places"]) <= set(found.locations), (label, found.locations)
    if "locations" in expected:
        assert found.locations == expected["locations"], (label, found.locations)
    if "regions" in expected:
        assert set(expected["regions"]) <= set(found.regions), (label, found.regions)
    if "sector" in expected:
        assert (found.sector or "").split(", ")[0] == expected["sector"], (label, found.sector)
    if "edition" in expected:
        assert found.edition == expected["edition"], (label, found.edition)


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case: dict[str, Any]) -> None:
    detection = _read(case)
    expected = case["announcements"]
    wanted_status = {e.get("status", "announced") for e in expected}
    found = detection.announced if wanted_status == {"announced"} else detection.investments
    pairs = {(i.investor, i.amount_eur) for i in found}
    assert pairs == {(e["investor"], e.get("amount_eur")) for e in expected}, detection.reasons
    assert detection.flagged == any(e.get("status", "announced") == "announced" for e in expected)
    by_investor = {i.investor: i for i in found}
    for e in expected:
        _check_fields(by_investor[e["investor"]], e)
        assert by_investor[e["investor"]].status == e.get("status", "announced")
    if "edition" in case:
        assert detection.edition == case["edition"]


def test_every_capability_file_has_cases() -> None:
    files = sorted(CASES_DIR.glob("*.yaml"))
    assert len(files) >= 10
    assert all(any(i.startswith(f"{f.stem}: ") for i, _ in CASES) for f in files)
