"""Alert commands: deliver, deliveries, digest --preview, schedule, run --once."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from newswatch.cli.app import AppContext, pass_app
from newswatch.cli.output import iso, list_format_option, write_records
from newswatch.config import ConfigError
from newswatch.crawling.runs import EXIT_ALL_SOURCES_FAILED

logger = logging.getLogger("newswatch.alerts")

STATES = ("pending", "sending", "sent", "failed")
DELIVERY_FIELDS = (
    "id",
    "channel",
    "announcement_id",
    "investor",
    "state",
    "attempts",
    "next_attempt_at",
    "sent_at",
    "batch_id",
    "last_error",
)


def _crawl_available() -> bool:
    ctx = click.get_current_context()
    root = ctx.find_root().command
    return isinstance(root, click.Group) and "crawl" in root.commands


@click.command("deliver")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    metavar="KEY",
    help="Only this channel (email:NAME or webhook:NAME); repeatable.",
)
@pass_app
def deliver_cmd(app: AppContext, channels: tuple[str, ...]) -> None:
    """Send what is due now: digests whose time has come, webhook posts, retries.

    SIGTERM or Ctrl-C finishes the message being sent, returns the other claimed announcements to
    pending and exits with 128 + the signal number.
    """
    from alerts.deliver import DeliveryOptions, channel_keys, deliver
    from alerts.stopping import StopOnSignals

    config = app.config
    known = set(channel_keys(config))
    unknown = [c for c in channels if c not in known]
    if unknown:
        raise ConfigError(
            f"unknown channel {unknown[0]!r} (configured: {', '.join(sorted(known)) or 'none'})"
        )
    options = DeliveryOptions(only=frozenset(channels) if channels else None)
    with StopOnSignals(options.stop, "deliver") as signals:
        report = deliver(config, app.database, options)
    click.echo(f"deliver: {report.summary()}")
    sys.exit(signals.exit_code or (0 if report.ok else 1))


@click.command("deliveries")
@click.option("--state", type=click.Choice(STATES), default=None, help="Only rows in this state.")
@click.option("--channel", default=None, metavar="KEY", help="Only this channel (email:NAME, webhook:NAME).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@list_format_option("One record per ledger row.")
@pass_app
def deliveries_cmd(app: AppContext, state: str | None, channel: str | None, limit: int, fmt: str) -> None:
    """Show the delivery ledger: one row per (channel, announcement)."""
    from sqlalchemy import func, select

    from newswatch.store.models import Announcement, Delivery

    with app.database.session() as session:
        query = (
            select(Delivery, Announcement.investor)
            .join(Announcement)
            .order_by(Delivery.id.desc())
            .limit(limit)
        )
        counts_query = select(Delivery.state, func.count()).group_by(Delivery.state)
        if state:
            query = query.where(Delivery.state == state)
        if channel:
            query = query.where(Delivery.channel == channel)
            counts_query = counts_query.where(Delivery.channel == channel)
        rows = [_row(d, investor) for d, investor in session.execute(query).all()]
        counts = dict(session.execute(counts_query).all())
    if fmt != "table":
        write_records(rows, fmt, DELIVERY_FIELDS)
        return
    if not rows:
        click.echo("no deliveries" + (f" in state {state}" if state else ""))
    else:
        _table(rows)
    click.echo("totals: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in STATES))


def _row(delivery, investor: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "id": delivery.id,
        "channel": delivery.channel,
        "announcement_id": delivery.announcement_id,
        "investor": investor,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "next_attempt_at": iso(delivery.next_attempt_at)
        if delivery.state in ("pending", "sending")
        else None,
        "sent_at": iso(delivery.sent_at),
        "batch_id": delivery.batch_id,
        "last_error": delivery.last_error,
    }


def _table(rows: list[dict[str, object]]) -> None:
    columns = tuple(field for field in DELIVERY_FIELDS if field != "batch_id")
    headers = ("id", "channel", "ann.", "investor", "state", "tries", "next attempt", "sent", "last error")
    cells = [[_cell(r[c], 60 if c == "last_error" else 30) for c in columns] for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for row in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _cell(value: object, width: int) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command("digest")
@click.option("--subscriber", "name", required=True, help="Subscriber name from the config.")
@click.option(
    "--preview",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the digest's HTML here (a .txt name writes the plain-text part).",
)
@pass_app
def digest_cmd(app: AppContext, name: str, preview: Path) -> None:
    """Write a subscriber's next digest to a file without sending it or touching the ledger."""
    from alerts.deliver import pending_views
    from alerts.digest import build_digest
    from alerts.email import EmailChannel, OutboxTransport
    from alerts.unsubscribe import unsubscribe_url

    config = app.config
    subscriber = next((s for s in config.subscribers if s.name == name), None)
    if subscriber is None:
        known = ", ".join(s.name for s in config.subscribers) or "none"
        raise ConfigError(f"unknown subscriber {name!r} (configured: {known})")
    channel = EmailChannel(
        subscriber,
        config.mail,
        OutboxTransport(config.outbox_path),
        unsubscribe_url=unsubscribe_url(config, subscriber),
    )
    now = datetime.now(UTC)
    with app.database.session() as session:
        views = pending_views(session, channel, now=now)
    digest = build_digest(
        views,
        subscriber,
        operator=str(config.mail.operator),
        now=now,
        unsubscribe_url=channel.unsubscribe_url,
    )
    preview.parent.mkdir(parents=True, exist_ok=True)
    preview.write_text(digest.text if preview.suffix.lower() == ".txt" else digest.html, encoding="utf-8")
    click.echo(
        f"digest: wrote {preview} for {name} ({digest.count} announcement(s)); subject: {digest.subject}"
    )


@click.command("schedule")
@pass_app
def schedule_cmd(app: AppContext) -> None:
    """Run crawls, digests and retries on their schedules until SIGTERM or Ctrl-C."""
    from alerts.crawl_process import crawl_command
    from alerts.scheduler import SchedulerService

    config = app.config
    command = crawl_command(app.config_file, available=_crawl_available())
    if command is None:
        logger.warning("schedule: no `newswatch crawl` command here; the crawl job will only deliver")
    service = SchedulerService(config, app.database, crawl_command=command)
    sys.exit(service.run())


@click.command("run")
@click.option(
    "--once", is_flag=True, help="Crawl, detect and deliver once, then exit (for cron or systemd timers)."
)
@click.option("--no-crawl", is_flag=True, help="Skip the crawl step; only deliver (once; --once not needed).")
@pass_app
def run_cmd(app: AppContext, once: bool, no_crawl: bool) -> None:
    """Crawl once in a child process, then deliver what is due.

    Exits 0 when both went through, 3 when every source of the crawl failed (as `newswatch crawl`
    does; delivery still runs), 1 when the crawl or a delivery failed otherwise. SIGTERM or Ctrl-C
    stops the crawl politely and skips delivery, or, during delivery, stops it as `newswatch deliver`
    does; the exit code is then 128 + the signal number.
    """
    from alerts.crawl_process import crawl_command, run_crawl_child
    from alerts.deliver import DeliveryOptions, deliver
    from alerts.stopping import StopOnSignals

    if not once and not no_crawl:
        raise click.UsageError(
            "`newswatch run` needs --once (or --no-crawl, which only delivers); "
            "`newswatch schedule` is the long-running service"
        )
    config = app.config
    # A database that cannot be used stops the run here, in one line, before a crawl that could not store.
    app.open_database()
    code = 0
    options = DeliveryOptions()
    with StopOnSignals(options.stop, "run") as signals:
        if not no_crawl:
            command = crawl_command(app.config_file, available=_crawl_available())
            result = run_crawl_child(
                command,
                time_limit_seconds=config.crawl.time_limit_minutes * 60,
                database_url=app.database_url,
                stop=options.stop,
            )
            click.echo(f"crawl: {result.describe()}")
            if result.status in ("failed", "timeout"):
                code = EXIT_ALL_SOURCES_FAILED if result.returncode == EXIT_ALL_SOURCES_FAILED else 1
        report = deliver(config, app.database, options)
    click.echo(f"deliver: {report.summary()}")
    sys.exit(signals.exit_code or code or (0 if report.ok else 1))


COMMANDS = [deliver_cmd, deliveries_cmd, digest_cmd, schedule_cmd, run_cmd]
