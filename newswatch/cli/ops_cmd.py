"""Operator commands: `check` validates the config and says what would run; `migrate` brings the schema
up to date; `status` says what ran."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from newswatch.cli.app import AppContext, pass_app
from newswatch.cli.output import dumps, report_format_option
from newswatch.config import DEFAULT_CONFIG_NAME, Config, Filters, Subscriber, mask_url, masked_dump


@click.command()
@report_format_option("json prints the whole validated config, secrets masked.")
@click.option(
    "--sources",
    "sources",
    is_flag=True,
    help="Say, per source, what a crawl will fetch: feeds, sitemaps, listings or discovery, the "
    "domains, languages, page budget and which URLs count as articles.",
)
@pass_app
def check(app: AppContext, fmt: str, sources: bool) -> None:
    """Validate the config and show what newswatch would do, without running anything.

    Exits 2 with one line naming the file, line and field when the config is wrong.
    """
    config = app.config
    if sources:
        from crawler.plan import describe_plan, source_plan

        plans = [source_plan(source, config.crawl) for source in config.sources]
        if fmt == "json":
            click.echo(dumps(plans))
            return
        enabled = sum(1 for plan in plans if plan["enabled"])
        click.echo(
            f"{len(plans)} source(s), {enabled} enabled; requests name themselves {config.crawl.user_agent!r}"
        )
        for plan in plans:
            click.echo("\n" + "\n".join(describe_plan(plan)))
        return
    if fmt == "json":
        click.echo(dumps(masked_dump(config)))
        return
    for line in describe(config, app.config_file):
        click.echo(line)


def describe(config: Config, path: Path | None = None) -> list[str]:
    """What `check` prints: one line per thing that would run, secrets left out."""
    origin = (
        str(path) if path is not None else f"no {DEFAULT_CONFIG_NAME} in {config.base_dir}: built-in defaults"
    )
    lines = [f"config OK ({origin})", f"database: {masked_dump(config)['database_url']}"]
    crawl = config.crawl
    lines.append(
        f"crawl: {crawl.concurrency} requests in flight, {crawl.per_domain_concurrency} per site, "
        f"delay {crawl.download_delay}s, budget {crawl.max_pages_per_source} pages/source, "
        f"{crawl.workers} worker process(es), robots.txt {'obeyed' if crawl.obey_robots else 'IGNORED'}"
        + (", shared frontier in Redis" if crawl.redis_url else "")
    )
    lines.append(f"sources ({len(config.sources)}):")
    for source in config.sources:
        found = [
            f"{len(v)} {k if len(v) > 1 else k[:-1]}"
            for k, v in (
                ("feeds", source.feeds),
                ("sitemaps", source.sitemaps),
                ("listings", source.listings),
            )
            if v
        ]
        how = ", ".join(found) if found else "feeds and sitemaps discovered from the home page and robots.txt"
        langs = ",".join(source.languages) or "all languages"
        state = "" if source.enabled else " [disabled]"
        lines.append(f"  - {source.name}: {source.home} ({how}; keeps {langs}){state}")
    mail = config.mail
    if mail.smtp is not None:
        lines.append(
            f"mail: SMTP {mail.smtp.host}:{mail.smtp.port} ({mail.smtp.security}), from {mail.sender}"
        )
    else:
        lines.append(f"mail: no SMTP server; digests written as .eml files to {config.outbox_path}")
    lines.append(f"subscribers ({len(config.subscribers)}):")
    lines.extend(
        f"  - {s.name} <{s.email}>: {_when(s)}, {s.language}{_filters(s.filters)}" for s in config.subscribers
    )
    lines.append(f"webhooks ({len(config.webhooks)}):")
    for hook in config.webhooks:
        host = urlsplit(hook.url.get_secret_value()).hostname
        signed = ", signed" if hook.secret is not None else ""
        lines.append(
            f"  - {hook.name}: {hook.format} to {host}, {hook.mode.replace('_', ' ')}{signed}, "
            f"{hook.language}{_filters(hook.filters)}"
        )
    web = config.web
    links = (
        f"digests' one-click unsubscribe links under {web.url()}/unsubscribe/ (signed)"
        if web.url()
        else "no web.base_url: digests carry the mailto unsubscribe only"
    )
    lines.append(f"web: newswatch serve on {web.host}:{web.port}; {links}")
    schedule = config.schedule
    every = (
        f"cron '{schedule.crawl_cron}'"
        if schedule.crawl_cron
        else f"every {schedule.crawl_every_minutes} min"
    )
    lines.append(
        f"schedule ({schedule.timezone}): crawl {every}, retry pending deliveries every "
        f"{schedule.retry_every_minutes} min"
    )
    return lines


def _when(subscriber: Subscriber) -> str:
    match subscriber.frequency:
        case "immediate":
            return "after every crawl"
        case "daily":
            return f"daily at {subscriber.at:%H:%M} {subscriber.timezone}"
        case "weekly":
            return f"weekly on {subscriber.day} at {subscriber.at:%H:%M} {subscriber.timezone}"
        case _:
            return f"cron '{subscriber.cron}' {subscriber.timezone}"


def describe_filters(filters: Filters) -> str:
    """A channel's filters as a reader says them: "amount at least €1bn; sector santé or énergie"."""
    from alerts.formatting import format_amount

    parts = []
    if filters.min_amount_eur:
        parts.append(f"amount at least {format_amount(filters.min_amount_eur, 'en')}")
    for label, values in (
        ("edition", filters.editions),
        ("sector", filters.sectors),
        ("region", filters.regions),
        ("investor", filters.investors),
        ("keyword", filters.keywords),
    ):
        if values:
            parts.append(f"{label} {' or '.join(str(v) for v in values)}")
    return "; ".join(parts)


def _filters(filters: Filters) -> str:
    described = describe_filters(filters)
    return f"; only {described}" if described else ""


@click.command()
@report_format_option(
    "json: one JSON object; instants ISO 8601 in the config's time zone (schedule.timezone)."
)
@pass_app
def status(app: AppContext, fmt: str) -> None:
    """Show the last crawl of each source, pending and failed deliveries, whether a scheduler runs
    (host, pid, since) and its next runs, in the config's time zone."""
    from zoneinfo import ZoneInfo

    from newswatch.status import collect_status, render_status

    with app.database.session() as session:
        report = collect_status(session, app.config)
    if fmt == "json":
        click.echo(dumps(report, ZoneInfo(app.config.schedule.timezone)))
    else:
        for line in render_status(report):
            click.echo(line)


@click.command()
@pass_app
def migrate(app: AppContext) -> None:
    """Bring the database's schema up to date (every command that opens the database does it first).

    Safe to run at any time and from several machines at once: PostgreSQL serialises the upgrade.
    """
    url = app.open_database()
    click.echo(f"database schema up to date: {mask_url(url)}")


COMMANDS = [check, migrate, status]
