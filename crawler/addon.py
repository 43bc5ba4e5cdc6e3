"""A Scrapy add-on for Scrapy's own command line (`scrapy list`, `scrapy crawl news` from the repository
root): the settings of config.yaml, built once when the crawler starts, never when a module is imported."""

from __future__ import annotations

import sys
from typing import Any

from scrapy.settings import BaseSettings

from crawler.settings import build_settings
from newswatch.config import ConfigError, load_config


class ConfigAddon:
    @classmethod
    def from_crawler(cls, crawler: Any) -> ConfigAddon:
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.get("NEWSWATCH_DATABASE_URL"):
            # newswatch's runner built every setting from the config it was given.
            return
        try:
            config = load_config()
        except ConfigError as exc:
            print(f"newswatch: config error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        settings.setdict(build_settings(config), priority="addon")
