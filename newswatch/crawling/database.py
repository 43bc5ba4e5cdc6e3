"""The crawl's one Database, shared by the crawler's middlewares and the storage pipeline.

newswatch's runner hands the crawler the Database it records the run with (`share_database`), so the
process holds one engine and one pool. Started otherwise (`scrapy crawl`), the first component built
through `from_crawler` that needs the database builds it and the others get the same one; that one is
disposed when the crawl's engine stops, after every component's last write (spider_closed comes first).
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newswatch.store.db import Database

URL_SETTING = "NEWSWATCH_DATABASE_URL"
_ATTRIBUTE = "newswatch_database"


def share_database(crawler: Any, database: Database) -> None:
    """Give the crawler's components `database`, which its owner disposes of, before the crawl starts."""
    setattr(crawler, _ATTRIBUTE, database)


def crawl_database(crawler: Any) -> Database:
    """The crawler's Database, built on first use from NEWSWATCH_DATABASE_URL."""
    database: Database | None = getattr(crawler, _ATTRIBUTE, None)
    if database is None:
        url = crawler.settings.get(URL_SETTING)
        if not url:
            raise NotConfigured(f"{URL_SETTING} is not set")
        database = Database(str(url))
        setattr(crawler, _ATTRIBUTE, database)
        crawler.signals.connect(_disposer(database), signal=signals.engine_stopped, weak=False)
    return database


def _disposer(database: Database) -> Any:
    def dispose() -> None:
        database.dispose()

    return dispose
