"""What the operator reads when a command cannot run: one line naming what failed and where.

A database that cannot be reached or written, a data folder or lock file that cannot be written, a
Redis server that does not answer: none of these is a bug, and a traceback would bury the one fact
that matters (which server, which file). The traceback stays available with -v, for a bug report.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from newswatch.config import Config, mask_url


class CommandError(Exception):
    """A failure a command has already put in one line for the operator (exit code 1)."""


def describe_failure(exc: BaseException, config: Config | None) -> str | None:
    """The one line for an operational failure, or None for anything else (a bug keeps its traceback)."""
    if isinstance(exc, CommandError):
        return str(exc)
    # Only libraries already imported can have raised: looking them up costs no import.
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.DBAPIError):
        url = config.resolved_database_url() if config else None
        line = f"database error ({mask_url(url) if url else 'database'}): "
        line += first_line(exc.orig if exc.orig is not None else exc)
        return line + sqlite_folder_hint(url)
    redis_exc = sys.modules.get("redis.exceptions")
    if redis_exc is not None and isinstance(exc, redis_exc.RedisError):
        url = config.crawl.redis_url if config else None
        return f"Redis error ({mask_url(url) if url else 'crawl.redis_url'}): {first_line(exc)}"
    if isinstance(exc, OSError) and exc.filename is not None:
        path = Path(os.path.abspath(exc.filename))
        role = file_role(path, config)
        return f"{path}{f' ({role})' if role else ''}: {exc.strerror or first_line(exc)}"
    return None


def file_role(path: Path, config: Config | None) -> str | None:
    """Which configured thing a file that failed belongs to, so the line says what it is for."""
    if config is None:
        return None
    database = sqlite_path(config.resolved_database_url())
    if database is not None and path.name.startswith(database.name) and path.parent == database.parent:
        return "lock file beside the SQLite database" if path.suffix == ".lock" else "SQLite database"
    if path.suffix == ".lock":
        return "lock file"
    # Innermost first: the outbox usually lies inside the data folder.
    folders = [("outbox", config.outbox_path), ("data folder", config.data_path)]
    if database is not None:
        folders.append(("database folder", database.parent))
    folders = [(name, Path(os.path.abspath(folder))) for name, folder in folders]
    for name, folder in folders:
        if path == folder or folder in path.parents:
            return name
    # A folder that could not be created because one of its parents cannot be written.
    above = sorted((len(folder.parts), name, folder) for name, folder in folders if path in folder.parents)
    return f"on the way to the {above[0][1]} {above[0][2]}" if above else None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other databases and in-memory SQLite)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a URL that does not parse names no file
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(os.path.abspath(parsed.database))


def sqlite_folder_hint(url: str | None) -> str:
    """SQLite says only "unable to open database file": say when its folder is what cannot be written."""
    database = sqlite_path(url) if url else None
    if database is None or os.access(database.parent, os.W_OK):
        return ""
    return f" (its folder {database.parent} is not writable)"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
