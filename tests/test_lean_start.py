"""A crawl process starts light: no schema tooling when the database is current, one copy of the
extraction stages shared by the workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from newswatch.store import db


def test_the_newest_revision_is_the_one_no_migration_builds_on_merges_included(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n')
    (tmp_path / "b.py").write_text("revision: str = 'b'\ndown_revision: str | None = 'a'\n")
    (tmp_path / "c.py").write_text('revision = "c"\ndown_revision = "a"\n')
    assert db.head_revisions(tmp_path) == {"b", "c"}
    (tmp_path / "d.py").write_text('revision = "d"\ndown_revision = ("b", "c")\n')
    assert db.head_revisions(tmp_path) == {"d"}


def test_the_shipped_migrations_have_one_head() -> None:
    assert len(db.head_revisions()) == 1


def test_a_migrated_database_is_current_and_a_fresh_or_older_one_is_not(
    tmp_path: Path, sqlite_url: str
) -> None:
    engine = db.make_engine(sqlite_url)
    assert db.schema_is_current(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert not db.schema_is_current(engine)
    engine.dispose()
    assert not db.schema_is_current(db.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}"))


def test_migrating_a_current_database_does_not_load_alembic(sqlite_url: str) -> None:
    probe = (
        f"import sys\nfrom newswatch.store import db\ndb.Database({sqlite_url!r}).migrate()\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_migrating_apart_upgrades_a_fresh_database_without_loading_alembic_here(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    probe = (
        f"import sys\nfrom newswatch.store import db\ndb.Database({url!r}).migrate(apart=True)\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert db.schema_is_current(db.make_engine(url))


def test_migrating_apart_raises_the_upgrades_own_error(tmp_path: Path) -> None:
    garbage = tmp_path / "not-a-database.db"
    garbage.write_bytes(b"this is no SQLite file" * 200)
    database = db.Database(f"sqlite:///{garbage}")
    with pytest.raises(DatabaseError, match="not a database"):
        database.migrate(apart=True)
    database.dispose()


def test_a_config_without_webhooks_loads_no_chat_format(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("sources:\n  - name: a\n    home: https://a.example.org/\n", encoding="utf-8")
    probe = (
        "import sys\nfrom pathlib import Path\nfrom newswatch.cli.app import AppContext\n"
        f"AppContext(Path({str(config)!r})).config\nprint('alerts.formats.registry' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_crawl_loads_neither_the_remote_control_nor_the_telnet_console_nor_cookies() -> None:
    # Scrapy's remote control runs the code it is sent; named at all, a component's module is imported.
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    extensions = settings.getwithbase("EXTENSIONS")
    middlewares = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
    assert "scrapy.extensions.remote_control.RemoteControl" not in extensions
    assert "scrapy.extensions.telnet.TelnetConsole" not in extensions
    assert "scrapy.downloadermiddlewares.cookies.CookiesMiddleware" not in middlewares
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert "scrapy.extensions.corestats.CoreStats" in extensions  # the rest of the base list stays
    assert "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware" in middlewares


def meta_refresh_middleware() -> Any:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from crawler.middlewares import HeadOnlyMetaRefreshMiddleware

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return HeadOnlyMetaRefreshMiddleware.from_crawler(Crawler(Spider, settings))


@pytest.mark.parametrize(
    "head",
    [
        '<meta http-equiv="refresh" content="0; url=/moved/">',
        '<META HTTP-EQUIV="Refresh" CONTENT="0;URL=/moved/">',
        "<!-- a comment first --><meta content='2; url=/moved/' http-equiv='refresh'>",
    ],
)
def test_a_meta_refresh_is_followed_as_scrapy_follows_it(head: str) -> None:
    from scrapy.http import HtmlResponse, Request

    request = Request("http://127.0.0.1/page/")
    body = f"<html><head>{head}</head><body><p>Moved.</p></body></html>".encode()
    response = HtmlResponse(request.url, body=body, request=request)
    redirected = meta_refresh_middleware().process_response(request, response)
    assert isinstance(redirected, Request)
    assert redirected.url == "http://127.0.0.1/moved/"


def test_a_page_without_meta_refresh_is_passed_on_undecoded() -> None:
    from scrapy.http import HtmlResponse, Request

    request = Request("http://127.0.0.1/article/")
    body = ("<html><head><title>Été</title></head><body>" + "<p>Un paragraphe d’article.</p>" * 2000).encode()
    response = HtmlResponse(request.url, body=body, request=request)
    assert meta_refresh_middleware().process_response(request, response) is response
    # Scrapy keeps a page's text once decoded; the article callback decodes it, not this middleware.
    assert response._cached_ubody is None
