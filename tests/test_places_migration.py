"""The places migration on a database that already holds announcements: each stored location name gets
its commune, département and région, on SQLite and PostgreSQL, and the schema then matches the models."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from db_support import dispose_all
from sqlalchemy import Engine, create_engine, text

from newswatch.store import db
from newswatch.store.models import Base

ROWS = [
    (1, "Verkor", ["Dunkerque", "Hauts-de-France"]),
    (2, "ProLogium", ["Dunkerque"]),
    (3, "Brookfield", ["Grand Est", "la Vallée de la Seine", "Nord"]),
    (4, "Nobody", []),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database no migration has touched yet."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        from conftest import _reset_postgres

        url = request.getfixturevalue("postgres_server_url")
        dispose_all()
        _reset_postgres(url)
    engine = db.make_engine(url)
    yield engine
    engine.dispose()


def _upgrade(engine: Engine, revision: str) -> None:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


def test_upgrade_fills_places_of_announcements_already_stored(bare_engine: Engine) -> None:
    _upgrade(bare_engine, "0002")
    with bare_engine.begin() as conn:
        for id_, investor, locations in ROWS:
            conn.execute(
                text(
                    "INSERT INTO announcements (id, investor, investor_key, locations, evidence, status, "
                    "first_seen_at, updated_at) VALUES (:id, :investor, :key, :locations, '', 'announced', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {
                    "id": id_,
                    "investor": investor,
                    "key": investor.lower(),
                    "locations": json.dumps(locations),
                },
            )
    _upgrade(bare_engine, "head")
    with bare_engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT announcement_id, position, name, kind, commune_code, commune, departement_code, departement,"
                " region_code, region FROM announcement_places ORDER BY announcement_id, position"
            )
        ).all()
        aliases = conn.execute(text("SELECT aliases FROM announcements ORDER BY id")).scalars().all()
    assert [tuple(r) for r in rows] == [
        (1, 0, "Dunkerque", "commune", "59183", "Dunkerque", "59", "Nord", "32", "Hauts-de-France"),
        (1, 1, "Hauts-de-France", "region", None, None, None, None, "32", "Hauts-de-France"),
        (2, 0, "Dunkerque", "commune", "59183", "Dunkerque", "59", "Nord", "32", "Hauts-de-France"),
        (3, 0, "Grand Est", "region", None, None, None, None, "44", "Grand Est"),
        # Not a place of the geography: kept by its name only.
        (3, 1, "la Vallée de la Seine", None, None, None, None, None, None, None),
        (3, 2, "Nord", "departement", None, None, "59", "Nord", "32", "Hauts-de-France"),
    ]
    assert [json.loads(a) if isinstance(a, str) else a for a in aliases] == [[], [], [], []]


def test_migrated_schema_matches_the_models(bare_engine: Engine) -> None:
    _upgrade(bare_engine, "head")
    with bare_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def _ours(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return not (type_ == "table" and name in ("alembic_version", "apscheduler_jobs"))


def test_downgrade_leaves_the_previous_schema(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'down.db'}")
    _upgrade(engine, "head")
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0002")
    with engine.connect() as conn:
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(announcements)"))}
    assert "announcement_places" not in tables and "aliases" not in columns
    engine.dispose()
