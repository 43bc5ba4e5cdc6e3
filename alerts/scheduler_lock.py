"""One scheduler per database, and who holds it.

PostgreSQL: a session advisory lock, taken on a connection whose `application_name` names the
holder (host and pid); `since` is when that connection began, just before the lock was taken.
SQLite and others: an flock()ed file beside the database (or in the data folder) holding one JSON
line (host, pid, since). The lock itself is the proof of life: the kernel drops an flock and
PostgreSQL an advisory lock when the process holding it ends, however it ends, so a holder read
from a lock nobody holds is never reported as running.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import NullPool

from newswatch.config import Config
from newswatch.store.db import connect_args

LOCK_KEY = int.from_bytes(hashlib.sha1(b"newswatch-scheduler").digest()[:8], "big", signed=True)
APP_PREFIX = "newswatch scheduler"
# PostgreSQL cuts application_name at 63 bytes (NAMEDATALEN - 1).
APP_NAME_MAX = 63


def lock_path(config: Config, url: URL) -> Path:
    """The lock file of a database that has no advisory locks."""
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).with_name(Path(url.database).name + ".scheduler.lock")
    return config.data_path / "scheduler.lock"


def application_name(pid: int, host: str) -> str:
    return f"{APP_PREFIX} {pid} {host}"[:APP_NAME_MAX]


class SchedulerLock:
    """Taken by `newswatch schedule` at start, held for its whole life, released at a clean stop."""

    def __init__(self, config: Config, database_url: str) -> None:
        self.url = database_url
        parsed = make_url(database_url)
        self.backend = parsed.get_backend_name()
        self.path = lock_path(config, parsed)
        self._file: Any = None
        self._connection: Connection | None = None

    def describe(self) -> str:
        return "PostgreSQL advisory lock" if self.backend == "postgresql" else f"lock file {self.path}"

    def acquire(self) -> bool:
        if self.backend == "postgresql":
            return self._acquire_advisory()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 - held open for the service's lifetime
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        holder = {"host": socket.gethostname(), "pid": os.getpid(), "since": datetime.now(UTC).isoformat()}
        handle.write(json.dumps(holder) + "\n")
        handle.flush()
        self._file = handle
        return True

    def _acquire_advisory(self) -> bool:
        args = {
            **connect_args(self.url),
            "application_name": application_name(os.getpid(), socket.gethostname()),
        }
        engine = create_engine(self.url, poolclass=NullPool, connect_args=args)
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}):
            self._connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None


def lock_holder(connection: Connection, config: Config) -> dict[str, Any] | None:
    """Who holds the scheduler lock of this database: {"host", "pid", "since", "lock"}; None when no
    scheduler runs. `connection` is any connection to the database (a session's)."""
    url = connection.engine.url
    if url.get_backend_name() == "postgresql":
        return _advisory_holder(connection)
    return _file_holder(lock_path(config, url))


def _advisory_holder(connection: Connection) -> dict[str, Any] | None:
    # pg_locks splits a bigint advisory key into two oids: high half in classid, low half in objid.
    key = LOCK_KEY & 0xFFFF_FFFF_FFFF_FFFF
    row = connection.execute(
        text(
            "SELECT a.application_name, a.backend_start, a.client_addr::text AS client, l.pid AS backend"
            " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
            " AND l.classid::bigint = :high AND l.objid::bigint = :low AND l.database = "
            " (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"high": key >> 32, "low": key & 0xFFFF_FFFF},
    ).first()
    if row is None:
        return None
    name = row.application_name or ""
    pid, host = None, row.client
    if name.startswith(APP_PREFIX + " "):
        pid_text, _, host_text = name[len(APP_PREFIX) + 1 :].partition(" ")
        pid = int(pid_text) if pid_text.isdigit() else None
        host = host_text or host
    return {"host": host, "pid": pid, "since": row.backend_start, "lock": "PostgreSQL advisory lock"}


def _file_holder(path: Path) -> dict[str, Any] | None:
    try:
        handle = open(path)  # noqa: SIM115 - closed below, after the probe
    except FileNotFoundError:
        return None
    except OSError as exc:
        # Whether a scheduler runs cannot be told: say so rather than guess either way.
        return {
            "host": None,
            "pid": None,
            "since": None,
            "lock": f"lock file {path}",
            "unreadable": exc.strerror or str(exc),
        }
    with handle:
        try:
            # A shared lock is refused while the scheduler holds its exclusive one.
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return {**_parse_holder(handle.read()), "lock": f"lock file {path}"}
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None


def _parse_holder(content: str) -> dict[str, Any]:
    """The JSON line a scheduler wrote; older schedulers wrote their pid alone."""
    holder: dict[str, Any] = {"host": None, "pid": None, "since": None}
    with contextlib.suppress(ValueError, TypeError):
        data = json.loads(content)
        if isinstance(data, int):
            data = {"pid": data}
        if isinstance(data, dict):
            holder["host"] = data.get("host")
            holder["pid"] = data.get("pid") if isinstance(data.get("pid"), int) else None
            since = data.get("since")
            holder["since"] = datetime.fromisoformat(since) if isinstance(since, str) else None
    return holder
