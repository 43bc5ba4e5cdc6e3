"""`newswatch demo` keeps its config and data under data/demo/ and ends with commands that still show
the announcements once the demo (and its sites) are gone."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from db_support import dispose_all

VENV_NEWSWATCH = Path(sys.executable).parent / "newswatch"


def clean_env() -> dict[str, str]:
    # The printed commands must work in a plain shell: no NEWSWATCH_* settings pointing elsewhere.
    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}


def run(command: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)


def printed_commands(output: str) -> dict[str, list[str]]:
    """The commands listed at the end of the demo, by subcommand name."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("demo: the data stays in "))
    commands = {}
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        words = shlex.split(line, comments=True)
        if not words:  # the line saying what the next command shows
            continue
        subcommand = words[words.index("--config") + 2]
        commands[subcommand] = words
    return commands


def step_output(output: str, step: str) -> str:
    """What one step of the demo printed (from its `$ newswatch … STEP` line to the next blank line)."""
    match = re.search(rf"^\$ newswatch --config \S+ {step}\n(.*?)\n\n", output, re.S | re.M)
    assert match, f"no {step} step in the demo's output"
    return match.group(1)


@pytest.mark.slow
@pytest.mark.skipif(not VENV_NEWSWATCH.exists(), reason=f"{VENV_NEWSWATCH} is not installed")
def test_the_commands_the_demo_prints_show_its_announcements_after_it_ended(tmp_path: Path) -> None:
    demo = run([str(VENV_NEWSWATCH), "demo", "--articles", "10"], tmp_path, timeout=600)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert {"config.yaml", "newswatch.db", "outbox"} <= {
        p.name for p in (tmp_path / "data" / "demo").iterdir()
    }
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # nothing else left in the folder it ran in
    commands = printed_commands(demo.stdout)
    assert set(commands) == {"investments", "articles", "digest", "deliveries", "serve"}
    assert all(words[words.index("--config") + 1] == "data/demo/config.yaml" for words in commands.values())

    # The demo's sites are gone; its data answers the printed commands, from the folder it ran in.
    investments = run(commands["investments"], tmp_path)
    assert investments.returncode == 0, investments.stderr
    assert "no announcements stored" not in investments.stdout
    assert investments.stdout.strip() == step_output(demo.stdout, "investments").strip()
    records = json.loads(run([*commands["investments"], "--format", "json"], tmp_path).stdout)
    assert records, "the demo found no announcement"

    articles = run(commands["articles"], tmp_path)
    assert articles.returncode == 0 and articles.stdout.rstrip().endswith("\n30 article(s)"), articles.stdout

    preview = run(commands["digest"], tmp_path)
    assert preview.returncode == 0, preview.stderr
    assert f"({len(records)} announcement(s))" in preview.stdout, preview.stdout
    html = (tmp_path / commands["digest"][commands["digest"].index("--preview") + 1]).read_text(
        encoding="utf-8"
    )
    assert all(record["investor"] in html for record in records)

    deliveries = run(commands["deliveries"], tmp_path)
    assert deliveries.returncode == 0, deliveries.stderr
    # The immediate subscriber got its digest; the daily one's waits for 08:00.
    assert f"totals: pending {len(records)}, sending 0, sent {len(records)}, failed 0" in deliveries.stdout
    dispose_all()
