"""A command that cannot use its database, data folder or Redis says so in one line and exits 1.

Each command runs as a real `python -m newswatch` process against a PostgreSQL server that is not
there, and against a SQLite database in a folder that cannot be written (with no database yet, and
with one already created). stderr must be one line naming the database (masked URL or path), no
traceback; with -v the traceback is there too, for a bug report.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alerts_support import add_announcement, child_env, ledger_rows, load, newswatch_cmd, write_config

from newswatch.store import db

# Nothing listens on port 1 of the loopback: connecting is refused at once.
UNREACHABLE_POSTGRES = "postgresql+psycopg://newswatch:s3cret-pg@127.0.0.1:1/newswatch"
SHOWN_POSTGRES = "postgresql+psycopg://newswatch:***@127.0.0.1:1/newswatch"

# Every command that opens the database; {tmp} is the test's own (writable) folder.
DATABASE_COMMANDS = {
    "crawl": ["crawl", "--progress-seconds", "0"],
    "articles": ["articles"],
    "investments": ["investments"],
    "deliver": ["deliver"],
    "deliveries": ["deliveries"],
    "digest": ["digest", "--subscriber", "analyste", "--preview", "{tmp}/preview.html"],
    "run --once": ["run", "--once"],
    "schedule": ["schedule"],
    "status": ["status"],
}

# Root ignores permission bits, and these tests often run as root (containers): there chmod 0555
# alone proves nothing, so the folder is also bind-mounted read-only in a private mount namespace,
# which refuses writes to everyone, root included (EROFS). The mount is gone when the command ends.
MOUNT_READ_ONLY = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
NAMESPACES = (["unshare", "--mount"], ["unshare", "--mount", "--map-root-user"])


@dataclass
class Broken:
    """How to run newswatch against a database it cannot use, and what its one line must name."""

    config: Path
    database_url: str
    names: str
    prefix: list[str] = field(default_factory=list)
    secret: str | None = None

    def run(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
        command = [*self.prefix, *newswatch_cmd(self.config, *args)]
        return subprocess.run(
            command,
            cwd=self.config.parent,
            env=child_env(self.database_url),
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def read_only(folder: Path) -> list[str]:
    """Make `folder` unwritable for this process's children; the command prefix that makes it so."""
    for path in folder.rglob("*"):
        path.chmod(0o444)
    folder.chmod(0o555)
    probe = folder / ".probe"
    candidates = (
        [[]]
        if os.geteuid() != 0
        else [
            [*ns, "sh", "-c", MOUNT_READ_ONLY, "sh", str(folder)] for ns in NAMESPACES if shutil.which(ns[0])
        ]
    )
    for prefix in candidates:
        if subprocess.run([*prefix, "true"], capture_output=True).returncode != 0:
            continue  # no mount namespace here
        subprocess.run([*prefix, "touch", str(probe)], capture_output=True)
        if not probe.exists():
            return prefix
        probe.unlink()
    pytest.skip(f"cannot make {folder} read-only for uid {os.geteuid()} (root without mount namespaces)")


def writable_again(folder: Path) -> None:
    folder.chmod(0o755)
    for path in folder.rglob("*"):
        path.chmod(0o644)


@pytest.fixture(params=["postgres-unreachable", "sqlite-readonly-new", "sqlite-readonly-existing"])
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Broken]:
    sources = [{"name": "tech", "home": "http://127.0.0.1:9/"}]
    if request.param == "postgres-unreachable":
        config = write_config(tmp_path, database_url=UNREACHABLE_POSTGRES, sources=sources)
        yield Broken(config, UNREACHABLE_POSTGRES, SHOWN_POSTGRES, secret="s3cret-pg")
        return
    folder = tmp_path / "readonly"
    folder.mkdir()
    url = f"sqlite:///{folder / 'newswatch.db'}"
    if request.param == "sqlite-readonly-existing":
        engine = db.make_engine(url)
        db.upgrade_schema(engine)
        engine.dispose()  # every connection closed: only the database file is left
        assert sorted(p.name for p in folder.iterdir()) == ["newswatch.db"]
    config = write_config(tmp_path, database_url=url, data_dir=str(folder), sources=sources)
    try:
        yield Broken(config, url, str(folder), prefix=read_only(folder))
    finally:
        writable_again(folder)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(lines) == 1, result.stderr[-3000:]
    return lines[0]


@pytest.mark.parametrize("command", list(DATABASE_COMMANDS))
def test_command_without_a_usable_database_says_so_in_one_line(
    broken: Broken, command: str, tmp_path: Path
) -> None:
    args = [a.format(tmp=tmp_path) for a in DATABASE_COMMANDS[command]]
    result = broken.run(*args)
    assert result.returncode == 1, result.stderr[-3000:]
    line = one_line(result)
    assert line.startswith("newswatch: ") and broken.names in line, line
    if broken.secret:
        assert broken.secret not in result.stderr + result.stdout


def test_verbose_adds_the_traceback_before_the_same_line(broken: Broken) -> None:
    quiet, verbose = broken.run("deliver"), broken.run("-v", "deliver")
    assert verbose.returncode == 1
    assert "Traceback (most recent call last)" in verbose.stderr
    assert verbose.stderr.strip().splitlines()[-1] == one_line(quiet)


def test_commands_that_need_no_database_run_without_one(tmp_path: Path) -> None:
    config = write_config(tmp_path, database_url=UNREACHABLE_POSTGRES)
    article = tmp_path / "article.txt"
    article.write_text(
        "Titre\nMicrosoft va investir 4 milliards d'euros en France, annonce faite à Choose France.\n"
    )
    broken = Broken(config, UNREACHABLE_POSTGRES, SHOWN_POSTGRES)
    for args in (["check"], ["detect", str(article)]):
        result = broken.run(*args)
        assert result.returncode == 0, result.stderr
        assert "s3cret-pg" not in result.stdout + result.stderr


def test_demo_with_a_read_only_data_folder_says_which_folder(tmp_path: Path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    try:
        broken = Broken(
            write_config(tmp_path, database_url="sqlite:///unused.db"),
            "",
            str(folder),
            prefix=read_only(folder),
        )
        result = broken.run("demo", "--data-dir", str(folder / "demo"), "--articles", "10")
    finally:
        writable_again(folder)
    assert result.returncode == 1, result.stderr[-3000:]
    assert one_line(result).startswith(f"newswatch: {folder / 'demo'}: ")


def test_data_folder_under_a_regular_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    folder = tmp_path / "afile" / "data"
    config = write_config(tmp_path, database_url=f"sqlite:///{folder / 'newswatch.db'}", data_dir=str(folder))
    result = Broken(config, f"sqlite:///{folder / 'newswatch.db'}", str(folder)).run("status")
    assert result.returncode == 1
    assert one_line(result) == f"newswatch: {folder} (data folder): Not a directory"


def test_unreachable_redis_stops_a_crawl_worker_in_one_line(tmp_path: Path, sqlite_url: str) -> None:
    config = write_config(
        tmp_path,
        database_url=sqlite_url,
        sources=[{"name": "tech", "home": "http://127.0.0.1:9/"}],
        crawl={"redis_url": "redis://:s3cret-redis@127.0.0.1:1/0"},
    )
    result = Broken(config, sqlite_url, "").run("crawl")
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("newswatch: Redis not reachable at redis://:***@127.0.0.1:1/0 (crawl.redis_url): ")
    assert "s3cret-redis" not in result.stderr


def test_postgres_that_accepts_but_never_answers_fails_within_the_connect_timeout(tmp_path: Path) -> None:
    # The kernel completes the TCP handshake on a listening socket nobody accepts from: without a
    # connect timeout the client would wait for the server's first message for ever.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"postgresql+psycopg://newswatch@127.0.0.1:{silent.getsockname()[1]}/newswatch"
        config = write_config(tmp_path, database_url=url)
        started = time.monotonic()
        result = Broken(config, url, url).run("status", timeout=120)
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert one_line(result) == f"newswatch: database error ({url}): connection timeout expired"
    assert elapsed < db.CONNECT_TIMEOUT_SECONDS + 20


def test_smtp_server_not_listening_is_a_retry_not_a_crash(tmp_path: Path, sqlite_url: str) -> None:
    add_announcement(sqlite_url)
    config = write_config(tmp_path, database_url=sqlite_url, smtp_port=1)
    result = Broken(config, sqlite_url, "").run("deliver")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "1 to retry" in result.stdout
    [warning] = [line for line in result.stderr.splitlines() if " WARNING " in line]
    assert "smtp 127.0.0.1:1 (none): cannot connect: ConnectionRefusedError" in warning
    assert [r["state"] for r in ledger_rows(sqlite_url)] == ["pending"]


def test_failure_lines_say_what_the_path_is_for_and_leave_bugs_alone(tmp_path: Path) -> None:
    import redis

    from newswatch.cli.errors import describe_failure

    data = tmp_path / "srv" / "data"
    config = load(
        write_config(
            tmp_path,
            database_url=f"sqlite:///{tmp_path / 'db' / 'nw.db'}",
            data_dir=str(data),
            crawl={"redis_url": "redis://:s3cret@127.0.0.1:1/0"},
        )
    )

    def line(exc: BaseException) -> str | None:
        return describe_failure(exc, config)

    denied = "Permission denied"
    assert line(PermissionError(13, denied, str(tmp_path / "db" / "nw.db.scheduler.lock"))) == (
        f"{tmp_path / 'db' / 'nw.db.scheduler.lock'} (lock file beside the SQLite database): {denied}"
    )
    assert line(PermissionError(13, denied, str(tmp_path / "db" / "nw.db-wal"))) == (
        f"{tmp_path / 'db' / 'nw.db-wal'} (SQLite database): {denied}"
    )
    assert line(PermissionError(13, denied, str(data / "outbox" / "a.eml"))) == (
        f"{data / 'outbox' / 'a.eml'} (outbox): {denied}"
    )
    assert line(PermissionError(13, denied, str(data))) == f"{data} (data folder): {denied}"
    assert line(PermissionError(13, denied, str(tmp_path / "srv"))) == (
        f"{tmp_path / 'srv'} (on the way to the data folder {data}): {denied}"
    )
    assert line(
        redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    ) == (
        "Redis error (redis://:***@127.0.0.1:1/0): Error 111 connecting to 127.0.0.1:1. Connection refused."
    )
    # Not an operational failure: the traceback is what a developer needs.
    assert line(KeyError("announcement")) is None
    assert line(OSError("no file involved")) is None
