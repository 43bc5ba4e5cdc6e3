"""Scrapy settings: what never depends on the config, and `build_settings` turning the validated Config
into the rest (every default lives in the config model, newswatch/config.py, and nowhere here).

Components read these settings through `from_crawler`, never config.yaml. Importing this module reads
no file: under Scrapy's own command line (`scrapy crawl news` from the repository root) the add-on
named in ADDONS builds the config's settings once, when the crawler starts.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import default_settings as scrapy_defaults

from newswatch.config import Config, SourceConfig

BOT_NAME = "newswatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

COOKIES_ENABLED = False
# The telnet console and Scrapy's remote control (an HTTP server that runs the code it is sent,
# on by default since Scrapy 2.19) open ports nobody here uses; the remote control also costs
# aiohttp's import at every start.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Warn about a page this large, or half of crawl.max_page_bytes when that is smaller.
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Broad crawls: a page is found through feeds and listings, not by following every link deep.
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 0
REDIRECT_MAX_TIMES = 5
# Scrapy starts this many asyncio tasks for every response's output; an article page yields one
# item, and the default (100) costs more reactor time than the page's download.
CONCURRENT_ITEMS = 8
# Bytes of responses waiting for extraction (each held until its worker is done with it): 2 MiB
# keeps a dozen pages queued for the workers without holding the crawl process's memory.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 2 * 1024 * 1024
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Only the web: a feed link or a sitemap entry naming file:///etc/passwd, file:///dev/zero (never
# capped by DOWNLOAD_MAXSIZE), ftp:// or s3:// must never be read, whatever reaches the downloader.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# crawler/scope.py checks the address a host name resolves to; with the cache on, the download
# connects to that same answer (a second lookup could give another one).
DNSCACHE_ENABLED = True

# Components switched off are left out of Scrapy's base lists, not set to None: Scrapy imports every
# component a list names, and these modules load aiohttp (remote control), tldextract and requests
# (cookies): a third of a second of start-up.
NEVER_LOADED = frozenset(
    {
        "scrapy.extensions.telnet.TelnetConsole",
        "scrapy.extensions.remote_control.RemoteControl",
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # COOKIES_ENABLED = False
    }
)
EXTENSIONS_BASE = {k: v for k, v in scrapy_defaults.EXTENSIONS_BASE.items() if k not in NEVER_LOADED}
# Scrapy's meta refresh, replaced in its place by one that decodes only pages that may hold one.
SCRAPY_META_REFRESH = "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"
DOWNLOADER_MIDDLEWARES_BASE = {
    ("crawler.middlewares.HeadOnlyMetaRefreshMiddleware" if k == SCRAPY_META_REFRESH else k): v
    for k, v in scrapy_defaults.DOWNLOADER_MIDDLEWARES_BASE.items()
    if k not in NEVER_LOADED
}
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100), so that not even a robots.txt request goes to a host off the source.
    "crawler.scope.ScopeMiddleware": 60,
    # After robots.txt (100), which has downloaded robots.txt by the time a request gets here.
    "crawler.middlewares.RobotsTxtOnceMiddleware": 105,
    # After robots.txt (100): a page robots.txt forbids does not spend the source's budget.
    "crawler.middlewares.PageBudgetMiddleware": 110,
    "crawler.middlewares.ConditionalGetMiddleware": 560,
    "crawler.middlewares.HtmlOnlyMiddleware": 570,
    # Sees each final answer (after redirects and decompression) before HtmlOnlyMiddleware skips it.
    "crawler.known.KnownPageMiddleware": 575,
    # Above Scrapy's RedirectMiddleware (600), so it sees each 3xx first.
    "crawler.middlewares.RedirectGuardMiddleware": 610,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.KnownUrlMiddleware": 950,
}
ITEM_PIPELINES = {
    "pipelines.process.ProcessPipeline": 300,
    "pipelines.store.StorePipeline": 800,
}
EXTENSIONS = {
    "crawler.extensions.ProgressLog": 500,
    "crawler.reach.QuietUnreachable": 510,
}

# Under Scrapy's own command line, builds the rest from config.yaml; the runner builds it itself.
ADDONS = {"crawler.addon.ConfigAddon": 0}


def source_settings(source: SourceConfig) -> dict[str, Any]:
    """One source as plain data (settings must stay picklable and printable)."""
    return {
        "name": source.name,
        "home": str(source.home),
        "feeds": [str(u) for u in source.feeds],
        "sitemaps": [str(u) for u in source.sitemaps],
        "listings": [str(u) for u in source.listings],
        "allowed_domains": list(source.allowed_domains),
        "article_pattern": source.article_pattern,
        "languages": list(source.languages),
        "max_pages": source.max_pages,
    }


def build_settings(
    config: Config,
    *,
    sources: list[SourceConfig] | None = None,
    database_url: str | None = None,
    progress_seconds: float = 5.0,
) -> dict[str, Any]:
    """The Scrapy settings for one crawl of `sources` (default: the enabled configured sources)."""
    crawl = config.crawl
    chosen = [s for s in config.sources if s.enabled] if sources is None else sources
    settings: dict[str, Any] = {
        "BOT_NAME": BOT_NAME,
        "SPIDER_MODULES": SPIDER_MODULES,
        "NEWSPIDER_MODULE": NEWSPIDER_MODULE,
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.per_domain_concurrency,
        "DOWNLOAD_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.per_domain_concurrency),
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "DOWNLOAD_TIMEOUT": crawl.timeout_seconds,
        "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
        "DOWNLOAD_WARNSIZE": min(DOWNLOAD_WARNSIZE, crawl.max_page_bytes // 2),
        "NEWSWATCH_SOURCES": [source_settings(s) for s in chosen],
        "NEWSWATCH_DATABASE_URL": database_url or config.resolved_database_url(),
        "NEWSWATCH_WORKERS": crawl.workers,
        "NEWSWATCH_MAX_PAGES": crawl.max_pages_per_source,
        "NEWSWATCH_PROGRESS_SECONDS": progress_seconds,
        "NEWSWATCH_RECHECK_DAYS": crawl.recheck_days,
    }
    if crawl.redis_url:
        # Distributed mode: the frontier and duplicate filter live in Redis, shared by workers.
        from crawler.redis_queue import redis_settings

        settings.update(
            redis_settings(crawl.redis_url, settings["NEWSWATCH_DATABASE_URL"], [s.name for s in chosen])
        )
    return settings
