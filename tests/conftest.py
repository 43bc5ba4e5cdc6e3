"""Shared fixtures: a fresh database per test on SQLite and, when reachable, on PostgreSQL.

PostgreSQL and Redis tests skip with a reason on a machine without those servers, and fail in CI
(CI=true), where both must run. Tests that read ../shared (the seed article, the page corpus), a
folder kept beside the checkout rather than in it, do the same when it is absent.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import pytest
from db_support import database, dispose_all
from servers.smtp import ScriptedSMTP
from servers.webhook import WebhookReceiver

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_URL = os.environ.get(
    "NEWSWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("NEWSWATCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=2):
            return True
    except OSError:
        return False


def _skip_or_fail(missing: str, in_ci: str, remedy: str) -> NoReturn:
    """Skip with the reason on a developer's machine; in CI, where nothing may be missing, fail."""
    if IN_CI:
        pytest.fail(f"{missing}: {in_ci}", pytrace=False)
    pytest.skip(f"{missing} ({remedy})")


def require_service(name: str, url: str) -> None:
    """Skip (or fail in CI) when a server the test needs is not listening."""
    if not _reachable(url):
        _skip_or_fail(
            f"{name} not reachable at {url}",
            f"CI must run the {name} tests",
            f"set NEWSWATCH_TEST_{name.upper()}_URL or start the server",
        )


def require_shared(relative: str) -> Path:
    """The file under ../shared a test reads; skip (or fail in CI) when it is not there."""
    path = SHARED / relative
    if not path.exists():
        _skip_or_fail(
            f"{path} not found",
            "CI must have ../shared beside the checkout",
            "../shared is kept beside the checkout, not in it; a lone clone skips these tests",
        )
    return path


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A private PostgreSQL database for this test process, dropped at the end."""
    require_service("postgres", POSTGRES_URL)
    from sqlalchemy import create_engine, text

    name = f"newswatch_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database: a SQLite file, or the private PostgreSQL database emptied."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'newswatch.db'}"
    else:
        url = request.getfixturevalue("postgres_server_url")
        dispose_all()
        _reset_postgres(url)
    database(url).migrate()
    yield url
    dispose_all()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A migrated SQLite database, for tests whose subject is not the database engine."""
    url = f"sqlite:///{tmp_path / 'newswatch.db'}"
    database(url).migrate()
    yield url
    dispose_all()


@pytest.fixture
def redis_url() -> str:
    require_service("redis", REDIS_URL)
    return REDIS_URL


@pytest.fixture
def smtp() -> Iterator[ScriptedSMTP]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 whose answers a test can script."""
    server = ScriptedSMTP().start()
    yield server
    server.stop()


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    """A real HTTP receiver on 127.0.0.1 recording webhook posts, with scriptable failures."""
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()
