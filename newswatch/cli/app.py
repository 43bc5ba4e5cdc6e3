"""The `newswatch` group: options every command shares, the config loaded once, and errors as one line."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import click

from newswatch.config import DEFAULT_CONFIG_NAME, ENV_CONFIG, Config, ConfigError, load_config
from newswatch.store.db import Database

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RegisteredFormats(Collection[str]):
    """The chat formats' names, read from alerts/formats/registry.py when a webhook's format is checked:
    a config without webhooks (every crawl's) does not import the alerts' formats and Jinja."""

    def _names(self) -> Collection[str]:
        from alerts.formats.registry import FORMATS

        return FORMATS

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


@dataclass
class AppContext:
    """Carries the --config choice to subcommands; the config is loaded once, on first use."""

    config_path: Path | None
    _config: Config | None = field(default=None, repr=False)
    _database: Database | None = field(default=None, repr=False)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = self.read_config()
        return self._config

    def read_config(self) -> Config:
        """The config file as it is now (the web view re-reads it to check an unsubscribe link)."""
        return load_config(self.config_path, webhook_formats=RegisteredFormats())

    @property
    def loaded_config(self) -> Config | None:
        """The config if a command has loaded it (naming what failed must not load it anew)."""
        return self._config

    @property
    def config_file(self) -> Path | None:
        """The config file in use, absolute: the one given, else ./config.yaml if present; None when
        the built-in defaults apply."""
        if self.config_path is not None:
            return self.config_path.resolve()
        default = Path(DEFAULT_CONFIG_NAME)
        return default.resolve() if default.exists() else None

    @property
    def database(self) -> Database:
        """The command's one Database, its schema brought up to date the first time a command asks
        (under PostgreSQL's advisory lock: workers started together migrate once)."""
        return self.open(apart=False)

    def open(self, *, apart: bool) -> Database:
        """`database`; `apart`: a first upgrade runs in a child process (`Database.migrate`), for a
        command whose process lives long after it (the crawl)."""
        if self._database is None:
            # Kept first: naming a failure reads the URL again and must not retry the upgrade.
            self._database = Database(self.config.resolved_database_url())
            self._database.migrate(apart=apart)
        return self._database

    @property
    def database_url(self) -> str:
        """The database's URL, once `database` brought its schema up to date."""
        return self.open_database()

    def open_database(self) -> str:
        """Open the database (see `database`) and return its URL."""
        return self.database.url

    def close(self) -> None:
        """Dispose of the database's pooled connections when the command ends."""
        if self._database is not None:
            self._database.dispose()
            self._database = None


pass_app = click.make_pass_decorator(AppContext)


class NewswatchGroup(click.Group):
    """The one place where errors become one line on stderr, wherever they surface.

    A bad config exits 2; an operational failure (database, data folder, lock file, Redis) exits 1.
    The traceback is printed only with -v; anything else (a bug) keeps its traceback.
    """

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            _fail(ctx, exc, f"config error: {exc}", 2)
        except Exception as exc:
            from newswatch.cli.errors import describe_failure

            app = ctx.obj if isinstance(ctx.obj, AppContext) else None
            line = describe_failure(exc, app.loaded_config if app else None)
            if line is None:
                raise
            _fail(ctx, exc, line, 1)


def _fail(ctx: click.Context, exc: BaseException, line: str, code: int) -> NoReturn:
    if ctx.params.get("verbose"):
        traceback.print_exception(exc, file=sys.stderr)
    click.echo(f"newswatch: {line}", err=True)
    sys.exit(code)


@click.group(
    cls=NewswatchGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    envvar=ENV_CONFIG,
    show_envvar=True,
    help="Config file (default: ./config.yaml; embedded defaults when absent).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.version_option(package_name="newswatch")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, verbose: int, quiet: bool) -> None:
    """newswatch: watch French tech and business news for Choose France investment announcements.

    \b
    Typical use:
      newswatch check               validate config.yaml and show what would run
      newswatch crawl               collect new articles from every configured source
      newswatch investments         list the announcements found, with their sources
      newswatch run --once          crawl, detect and send alerts once (for cron / systemd)
      newswatch schedule            run all of it in the background on its schedules
      newswatch demo                see it work offline on a bundled sample of news sites

    The database defaults to data/newswatch.db (SQLite) beside the config file;
    NEWSWATCH_DATABASE_URL overrides it (e.g. postgresql+psycopg://user@host/db).
    """
    level = logging.WARNING if quiet else (logging.DEBUG if verbose >= 2 else logging.INFO)
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr)
    if verbose < 2:
        # Scrapy and trafilatura are chatty at INFO; their DEBUG is there with -vv.
        for name in (
            "scrapy",
            "trafilatura",
            "htmldate",
            "charset_normalizer",
            "apscheduler.executors",
            "alembic",
            "urllib3",
            "py.warnings",
            "filelock",
        ):
            logging.getLogger(name).setLevel(logging.WARNING)
    ctx.obj = AppContext(config_path=config_path)
    ctx.call_on_close(ctx.obj.close)
