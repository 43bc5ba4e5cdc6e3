"""`newswatch crawl` collects new articles; `newswatch articles` lists what is stored."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import click
from sqlalchemy import select

from newswatch.cli.app import AppContext, pass_app
from newswatch.cli.errors import CommandError
from newswatch.cli.output import iso, list_format_option, write_records
from newswatch.crawling.runs import EXIT_ALL_SOURCES_FAILED
from newswatch.store.models import Article, Source

TABLE_LIMIT = 50
ARTICLE_FIELDS = (
    "id",
    "url",
    "title",
    "published",
    "language",
    "source",
    "author",
    "fetched_at",
    "flagged",
    "score",
    "text",
)
SUMMARY_COLUMNS = ("source", "pages", "new", "known", "failed", "skipped", "errors", "refused")


@click.command()
@click.option(
    "--source",
    "-s",
    "source_names",
    multiple=True,
    metavar="NAME",
    help="Crawl only this configured source (repeatable).",
)
@click.option(
    "--url",
    "-u",
    "urls",
    multiple=True,
    metavar="URL",
    help="Crawl a site that is not in the config: its feeds and sitemaps are discovered (repeatable).",
)
@click.option(
    "--progress-seconds",
    type=float,
    default=5.0,
    show_default=True,
    help="Seconds between progress lines (0: none).",
)
@pass_app
def crawl(
    app: AppContext, source_names: tuple[str, ...], urls: tuple[str, ...], progress_seconds: float
) -> None:
    """Collect the articles published since the last run on the configured sources (or --url sites).

    Prints progress while it runs and a per-source summary at the end. Pages that fail (404,
    timeouts...) are counted, not fatal; so are URLs refused for leaving their source (another
    domain, a scheme other than http(s), a local network address).

    \b
    Exit codes:
      0    the run went through (some pages or sources may have failed: see the table)
      1    the run itself failed (database or Redis unreachable, crawl error)
      2    bad config
      3    every source failed: none got a single answer (no network? sites down?); a site
           that refused every request (401, 403) is reported, and counts neither way
      130  interrupted (SIGTERM, Ctrl-C)
    """
    from crawler.runner import run_crawl, select_sources

    config = app.config
    sources = select_sources(config, source_names, urls)
    if not sources:
        click.echo("nothing to crawl: no enabled source in the config (add one, or use --url URL)", err=True)
        return
    if config.crawl.redis_url:
        # Distributed mode: without its shared frontier a worker must not start at all.
        from crawler.redis_queue import check_redis

        if problem := check_redis(config.crawl.redis_url):
            raise CommandError(problem)
    # A database that cannot be reached or written is said in one line by the CLI group (exit 1).
    summary = run_crawl(config, sources, database=app.open(apart=True), progress_seconds=progress_seconds)
    rows = [(s.name, *(getattr(s, c) for c in SUMMARY_COLUMNS[1:])) for s in summary.sources]
    totals = ("total", *(summary.total(c) for c in SUMMARY_COLUMNS[1:]))
    click.echo(f"crawl run {summary.run_id} {summary.status} in {summary.seconds:.1f}s")
    for line in _table(SUMMARY_COLUMNS, [*rows, totals]):
        click.echo(line)
    for source in summary.sources:
        if source.refused_by_site:
            click.echo(
                f"  {source.name}: refused by the site ({source.refused_by_site}); newswatch does not get "
                "around a refusal"
            )
        elif source.failure:
            click.echo(f"  {source.name}: FAILED: {source.failure}")
        elif source.last_error:
            click.echo(f"  {source.name}: last error: {source.last_error}")
    if summary.status == "failed":
        click.echo(f"newswatch: crawl run {summary.run_id} failed ({summary.finish_reason})", err=True)
        sys.exit(1)
    if summary.status == "interrupted":
        sys.exit(130)
    if summary.all_failed:
        click.echo(
            f"newswatch: crawl run {summary.run_id}: every source failed, nothing was fetched "
            f"(exit {EXIT_ALL_SOURCES_FAILED})",
            err=True,
        )
        sys.exit(EXIT_ALL_SOURCES_FAILED)


@click.command()
@list_format_option(
    "One record per article (id, url, title, published, language, source, author, fetched_at, "
    "flagged, score, text)."
)
@click.option(
    "--source", "-s", "source_names", multiple=True, metavar="NAME", help="Only this source (repeatable)."
)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=0),
    default=None,
    help=f"At most this many articles, newest first (default: {TABLE_LIMIT} for a table, all otherwise).",
)
@pass_app
def articles(app: AppContext, fmt: str, source_names: tuple[str, ...], limit: int | None) -> None:
    """List the stored articles, newest first."""
    with app.database.session() as session:
        query = (
            select(Article, Source.name)
            .outerjoin(Source, Article.source_id == Source.id)
            .order_by(Article.fetched_at.desc(), Article.id.desc())
        )
        if source_names:
            query = query.where(Source.name.in_(source_names))
        if limit is None and fmt == "table":
            limit = TABLE_LIMIT
        if limit is not None:
            query = query.limit(limit)
        # Streamed in batches: a large database is never loaded whole.
        rows = session.execute(query.execution_options(yield_per=500))
        if fmt == "table":
            _write_table(rows)
        else:
            write_records(_records(rows), fmt, ARTICLE_FIELDS)


def _records(rows: Any) -> Iterator[dict[str, Any]]:
    for article, source in rows:
        yield {
            "id": article.id,
            "url": article.url,
            "title": article.title,
            "published": iso(article.published),
            "language": article.language,
            "source": source,
            "author": article.author,
            "fetched_at": iso(article.fetched_at),
            "flagged": article.flagged,
            "score": article.score,
            "text": article.text,
        }


def _write_table(rows: Any) -> None:
    header = ("id", "published", "lang", "source", "title", "url")
    lines = []
    count = 0
    for article, source in rows:
        count += 1
        title = article.title or ""
        lines.append(
            (
                str(article.id),
                article.published.isoformat() if article.published else "-",
                article.language or "-",
                source or "-",
                title[:60] + ("…" if len(title) > 60 else ""),
                article.url,
            )
        )
    for line in _table(header, lines):
        click.echo(line)
    click.echo(f"{count} article(s)")


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    cells = [tuple(str(c) for c in header), *[tuple(str(c) for c in row) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 or not c.isdigit() else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in cells
    ]


COMMANDS = [crawl, articles]
