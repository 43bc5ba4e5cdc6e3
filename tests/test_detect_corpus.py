"""The labelled development corpus stays above the recorded quality floor (bench/detect_floor.json)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus" / "detect"


def _bench() -> ModuleType:
    # bench/detect is a script without a .py suffix: load it as a module to reuse its scoring.
    loader = importlib.machinery.SourceFileLoader("bench_detect", str(REPO / "bench" / "detect"))
    spec = importlib.util.spec_from_loader("bench_detect", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_detect"] = module  # dataclasses look their module up while the class is built
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    bench = _bench()
    # The labelled corpus ships in the repository: missing, it is a broken checkout, never a skip.
    # The seed article from ../shared joins it when present (tests/test_detect_seed.py requires it).
    cases = bench.load_cases(bench.CORPUS, with_seed=True)
    assert len(cases) >= 2, f"no labelled corpus under {CORPUS}"
    counts = {"a_tp": 0, "a_fp": 0, "a_fn": 0, "n_tp": 0, "n_fp": 0, "n_fn": 0}
    for case, det in zip(cases, bench.run(cases), strict=True):
        gold = bool(case.gold.get("flagged"))
        counts["a_tp"] += det.flagged and gold
        counts["a_fp"] += det.flagged and not gold
        counts["a_fn"] += gold and not det.flagged
        tp, extra, missed = bench.match(
            det.announced if det.flagged else [], case.gold.get("investments", [])
        )
        counts["n_tp"] += tp
        counts["n_fp"] += len(extra)
        counts["n_fn"] += len(missed)
    article = bench.prf(counts["a_tp"], counts["a_fp"], counts["a_fn"])
    announcement = bench.prf(counts["n_tp"], counts["n_fp"], counts["n_fn"])
    return {"article_f1": article[2], "announcement_f1": announcement[2], "cases": float(len(cases))}


@pytest.fixture(scope="module")
def floor() -> dict[str, float]:
    return json.loads((REPO / "bench" / "detect_floor.json").read_text(encoding="utf-8"))


def test_corpus_has_positives_and_negatives() -> None:
    labels = [json.loads(p.read_text(encoding="utf-8"))["flagged"] for p in CORPUS.glob("*.json")]
    assert labels.count(True) >= 10 and labels.count(False) >= 10


def test_article_f1_above_floor(scores: dict[str, float], floor: dict[str, float]) -> None:
    assert scores["article_f1"] >= floor["article_f1"], scores


def test_announcement_f1_above_floor(scores: dict[str, float], floor: dict[str, float]) -> None:
    assert scores["announcement_f1"] >= floor["announcement_f1"], scores


def test_every_gold_file_has_its_text() -> None:
    missing = [p.name for p in CORPUS.glob("*.json") if not p.with_suffix(".txt").exists()]
    assert missing == []
