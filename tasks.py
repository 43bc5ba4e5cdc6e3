#!/usr/bin/env python3
"""Set-up and entry points that need nothing but python3.

    python3 tasks.py run        install if needed, then crawl, detect and alert once (newswatch run --once)
    python3 tasks.py test       install if needed (Chromium too, as root on Debian), then the checks (ruff format,
                                ruff check, mypy, import layers) and the whole test suite
    python3 tasks.py demo       install if needed, then the offline demo
    python3 tasks.py nw ARGS    install if needed, then `newswatch ARGS`

Installs into ./.venv on first use and again whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".newswatch-installed"


def ensure_installed() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"tasks: creating virtual environment in {VENV}", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception as exc:  # noqa: BLE001 - any failure here has the same remedy
            sys.exit(f"tasks: cannot create {VENV}: {exc} (on Debian/Ubuntu: apt-get install python3-venv)")
    print("tasks: installing newswatch and its test tools (first run takes a minute)", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


# What `test` runs before pytest, in this order; the first that fails stops the run (.pre-commit-config.yaml
# runs the same tools on each commit).
CHECKS = (
    ("ruff format --check", ["ruff", "format", "--check", "."]),
    ("ruff check", ["ruff", "check", "."]),
    ("mypy", ["mypy"]),
    ("import layers", ["lint-imports"]),
)


def run_checks() -> int:
    for label, (tool, *args) in CHECKS:
        print(f"tasks: {label}", flush=True)
        code = subprocess.call([str(BIN / tool), *args])
        if code != 0:
            print(f"tasks: {label} failed (exit {code})", file=sys.stderr, flush=True)
            return code
    return 0


CHROMIUM = Path("/usr/bin/chromium")


def ensure_browser() -> None:
    """The browser tests drive Debian's Chromium (Playwright never downloads one here): install it when
    it is missing and this is root on a Debian-like system; elsewhere say why those tests will skip."""
    if CHROMIUM.exists():
        return
    if not Path("/etc/debian_version").exists() or not Path("/usr/bin/apt-get").exists():
        print(
            f"tasks: {CHROMIUM} missing and this is no Debian-like system: the browser tests will skip",
            flush=True,
        )
        return
    if os.geteuid() != 0:
        print(
            f"tasks: {CHROMIUM} missing; as root run `apt-get install -y chromium` "
            "(the browser tests skip without it)",
            flush=True,
        )
        return
    print(
        "tasks: installing Chromium for the browser tests: apt-get update && apt-get install -y chromium",
        flush=True,
    )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    ok = subprocess.call(["apt-get", "update", "-q"], env=env) == 0
    ok = ok and subprocess.call(["apt-get", "install", "-y", "-q", "chromium"], env=env) == 0
    if not ok:
        print("tasks: could not install chromium: the browser tests will skip (and fail in CI)", flush=True)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    task, rest = argv[0], argv[1:]
    commands = {
        "run": [str(BIN / "newswatch"), "run", "--once", *rest],
        "demo": [str(BIN / "newswatch"), "demo", *rest],
        "nw": [str(BIN / "newswatch"), *rest],
        "test": [str(BIN / "python"), "-m", "pytest", *rest],
    }
    if task not in commands:
        print(f"tasks: unknown task {task!r}; choose from {', '.join(commands)}", file=sys.stderr)
        return 2
    ensure_installed()
    os.chdir(ROOT)
    if task == "test":
        ensure_browser()
        code = run_checks()
        if code != 0:
            return code
    return subprocess.call(commands[task])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
