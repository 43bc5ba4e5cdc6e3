"""One Database per URL for the tests, which name databases by URL: the test's side of the database,
apart from the Databases the code under test builds and disposes for itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from newswatch.store.db import Database

_DATABASES: dict[str, Database] = {}


def database(url: str) -> Database:
    """The tests' Database for `url`, built on first use."""
    found = _DATABASES.get(url)
    if found is None:
        found = _DATABASES[url] = Database(url)
    return found


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session on `url` that commits on success and rolls back on error."""
    with database(url).session() as session:
        yield session


def dispose_all() -> None:
    """Drop the tests' pooled connections (test teardown, or a child process after fork)."""
    for found in _DATABASES.values():
        found.dispose(close=False)
    _DATABASES.clear()
