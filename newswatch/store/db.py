"""The one place that opens the database: engine, sessions and schema upgrades.

Opening a session never changes the schema: `Database.migrate` does, as its own step (`newswatch migrate`,
and first thing in every command that opens the database).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
# `revision = "0002"` / `down_revision = ("0002a", "0002b")` lines of a migration script.
REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=(.*)$", re.MULTILINE)
QUOTED = re.compile(r"""['"]([^'"]+)['"]""")
SQLITE_BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_SECONDS = 10
PG_TIMEOUT_ENV = "PGCONNECT_TIMEOUT"  # libpq's own setting, honoured when present
# pg_advisory_xact_lock key serialising schema upgrades (an arbitrary constant: "newswatch").
MIGRATION_LOCK_KEY = 0x6E657773_77617463


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so a crawl and the alerts can share it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # pre_ping recovers from a dropped PostgreSQL connection instead of failing the next query.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args(url))


def connect_args(url: str) -> dict[str, object]:
    """PostgreSQL: give up connecting after CONNECT_TIMEOUT_SECONDS unless the URL says otherwise.

    libpq waits for ever by default: a server host that drops packets would hang every command.
    """
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "postgresql"
        or "connect_timeout" in parsed.query
        or PG_TIMEOUT_ENV in os.environ
    ):
        return {}
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS}


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    if schema_is_current(engine):
        # Alembic costs a fifth of a second and 8 MB to find there is nothing to do.
        return
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Crawl workers started together on a fresh database: one migrates, the others wait for it.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def head_revisions(versions: Path = MIGRATIONS_DIR / "versions") -> set[str]:
    """The revisions no other migration builds on, read from the scripts' own lines."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions.glob("*.py"):
        for name, value in REVISION_LINE.findall(script.read_text(encoding="utf-8")):
            (revisions if name == "revision" else parents).update(QUOTED.findall(value))
    return revisions - parents


def schema_is_current(engine: Engine) -> bool:
    """Whether the database already stands at the newest revision (no table yet: it does not)."""
    heads = head_revisions()
    if not heads:
        return False
    try:
        with engine.connect() as connection:
            stored = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DBAPIError:
        return False
    return stored == heads


class Database:
    """One database: its engine and session factory, built once by the part that owns the process's use
    of it (the command line's AppContext, the crawl, the scheduler, the web view) and passed to whatever
    needs sessions; that owner disposes it when done."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def new_session(self) -> Session:
        """A session the caller commits and closes (a delivery run, which commits as it goes)."""
        return self._sessions()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def migrate(self, *, apart: bool = False) -> None:
        """Bring the schema to the newest revision (idempotent; serialised on PostgreSQL).

        `apart`: run the upgrade in a forked child, for a long-lived process (the crawl) that would
        otherwise keep Alembic, Mako and Pygments (~10 MB) to its end for work done once. It runs in
        this process instead where fork is unavailable or unsafe (other threads running, whose locks
        the child would inherit held), for an in-memory SQLite database (a child would upgrade its
        own), and after the child failed, so that the error is raised here as it is."""
        if apart and schema_is_current(self.engine):
            return
        in_memory = make_url(self.url).database in (None, "", ":memory:")
        if not apart or not hasattr(os, "fork") or in_memory or threading.active_count() > 1:
            upgrade_schema(self.engine)
            return
        # No pooled connection crosses the fork: the child opens its own.
        self.engine.dispose()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                child = make_engine(self.url)
                upgrade_schema(child)
                child.dispose()
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not schema_is_current(self.engine):
            upgrade_schema(self.engine)

    def dispose(self, *, close: bool = True) -> None:
        """Drop pooled connections. A child process after fork passes close=False: the connections it
        inherited belong to its parent, which keeps using them."""
        self.engine.dispose(close=close)
