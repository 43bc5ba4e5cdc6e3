"""The layers stay one-way: import-linter's contracts (pyproject.toml) hold on this tree, and each
one breaks on a copy of the tree given the import it forbids."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("newswatch", "crawler", "pipelines", "alerts", "web")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # The copy's folder first on the path, so grimp reads its modules, not the installed ones.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_tree(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.gz")
        )
    shutil.copy(REPO / "pyproject.toml", target / "pyproject.toml")
    return target


def test_every_layer_contract_holds() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("crawler/runner.py", "import pipelines.store", "The crawler does not import the pipelines"),
        ("pipelines/extract.py", "import crawler.scope", "The pipelines do not import the crawler"),
        ("pipelines/detect/text.py", "import newswatch.cli", "No stage imports the command line"),
        (
            "alerts/deliver.py",
            "import crawler.runner",
            "The alerts read the store, never the crawler or the pipelines",
        ),
        ("web/app.py", "import newswatch.cli", "No stage imports the command line"),
        (
            "crawler/scope.py",
            "import alerts.deliver",
            "The crawl and the pipelines know nothing of alerts or the web view",
        ),
        ("newswatch/store/db.py", "import pipelines.store", "The shared base imports no stage"),
    ],
    ids=[
        "crawler->pipelines",
        "pipelines->crawler",
        "detector->cli",
        "alerts->crawler",
        "web->cli",
        "crawler->alerts",
        "store->pipelines",
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    root = copy_tree(tmp_path)
    with (root / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{line}  # noqa\n")
    result = lint_imports(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout
