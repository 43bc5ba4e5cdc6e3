"""`newswatch subscribers`: who gets digests, and who unsubscribed with the one-click link."""

from __future__ import annotations

from typing import Any

import click

from newswatch.cli.app import AppContext, pass_app
from newswatch.cli.output import list_format_option, write_records
from newswatch.store.models import as_utc

SUBSCRIBER_FIELDS = ("subscriber", "email", "frequency", "language", "configured", "unsubscribed_at", "via")


def subscriber_rows(config: Any, records: list[Any]) -> list[dict[str, Any]]:
    """One row per configured subscriber, then one per unsubscription of a name or address no longer
    configured (so the record of who asked to leave is never hidden by a config edit)."""
    by_key = {(r.subscriber, r.email): r for r in records}
    rows, shown = [], set()
    for s in config.subscribers:
        key = (s.name, str(s.email).lower())
        record = by_key.get(key)
        shown.add(key)
        rows.append(
            {
                "subscriber": s.name,
                "email": str(s.email),
                "frequency": s.frequency,
                "language": s.language,
                "configured": True,
                "unsubscribed_at": as_utc(record.created_at) if record else None,
                "via": record.via if record else None,
            }
        )
    for key, record in by_key.items():
        if key not in shown:
            rows.append(
                {
                    "subscriber": record.subscriber,
                    "email": record.email,
                    "frequency": None,
                    "language": None,
                    "configured": False,
                    "unsubscribed_at": as_utc(record.created_at),
                    "via": record.via,
                }
            )
    return rows


def _state(row: dict[str, Any]) -> str:
    if row["unsubscribed_at"] is None:
        return "active"
    when = row["unsubscribed_at"].isoformat(sep=" ", timespec="minutes")
    gone = "" if row["configured"] else ", no longer in the config"
    return f"unsubscribed {when} ({row['via']}{gone})"


@click.command("subscribers")
@list_format_option("One record per subscriber.")
@click.option(
    "--restore",
    metavar="NAME",
    default=None,
    help="Send digests to this subscriber again (removes their unsubscription).",
)
@pass_app
def subscribers_cmd(app: AppContext, fmt: str, restore: str | None) -> None:
    """List the subscribers, with who unsubscribed (one-click link of a digest), when and how."""
    from alerts import unsubscribe

    config = app.config
    with app.database.session() as session:
        if restore is not None:
            if unsubscribe.restore(session, restore) == 0:
                raise click.ClickException(f"subscriber {restore!r} has not unsubscribed; nothing to restore")
            click.echo(f"subscribers: {restore} gets digests again")
        rows = subscriber_rows(config, unsubscribe.unsubscriptions(session))
    if fmt != "table":
        write_records(rows, fmt, SUBSCRIBER_FIELDS)
        return
    if not rows:
        click.echo("no subscribers configured")
        return
    headers = ("subscriber", "email", "frequency", "language", "state")
    cells = [
        (r["subscriber"], r["email"], r["frequency"] or "-", r["language"] or "-", _state(r)) for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    for line in (headers, *cells):
        click.echo("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip())
    stopped = sum(1 for r in rows if r["unsubscribed_at"] is not None)
    click.echo(f"{len(config.subscribers)} configured, {stopped} unsubscribed")


COMMANDS = [subscribers_cmd]
