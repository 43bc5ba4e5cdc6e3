"""The one dialect-aware INSERT that can say ON CONFLICT: SQLite and PostgreSQL spell it alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

SUPPORTED_DIALECTS = ("postgresql", "sqlite")


def dialect_insert(dialect: str, table: Any) -> Any:
    """`insert(table)` of the dialect, with `on_conflict_do_nothing` / `on_conflict_do_update`."""
    # Each dialect's module is imported only for the database in use (a crawl on SQLite need not
    # load PostgreSQL's).
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise NotImplementedError(f"database dialect {dialect!r} is not supported (use SQLite or PostgreSQL)")


def insert(bind: Session | Connection, table: Any) -> Any:
    """`dialect_insert` for the database a session or connection is bound to."""
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    return dialect_insert(dialect, table)
