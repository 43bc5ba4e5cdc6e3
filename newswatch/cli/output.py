"""One output convention for every command that prints records for a program.

`--format json` is one JSON document (an array of records, or an object), `--format jsonl` one record
per line (JSON Lines), `--format csv` a header and one row per record. Instants are ISO 8601 with
their offset (UTC unless a command says otherwise), calendar dates ISO dates, amounts whole euros
(alerts/formatting.py's whole_euros, applied by each command to its amount fields).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

import click

from newswatch.store.models import as_utc

F = TypeVar("F", bound=Callable[..., Any])

# For commands that list records; `table` is for people.
LIST_FORMATS = ("table", "json", "jsonl", "csv")
FORMAT_HELP = (
    "json: one JSON array; jsonl: one JSON object per line; csv: a header, then one row per "
    "record. Instants are ISO 8601 with their offset, amounts whole euros."
)


def list_format_option(records: str) -> Callable[[F], F]:
    """The --format option of every listing command; `records` says what one record is."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(LIST_FORMATS),
        default="table",
        show_default=True,
        help=f"{records} {FORMAT_HELP}",
    )


def report_format_option(json_help: str) -> Callable[[F], F]:
    """The --format option of a command that prints one report (text for people, or one JSON object)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=json_help,
    )


def instant(value: datetime, zone: tzinfo | None = None) -> datetime:
    """An aware datetime in `zone` (UTC by default); a naive one is UTC (see as_utc)."""
    return as_utc(value).astimezone(zone or UTC)


def iso(value: datetime | date | None, zone: tzinfo | None = None) -> str | None:
    """ISO 8601: an instant to the second with its offset, a calendar date as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return instant(value, zone).isoformat(timespec="seconds")
    return value.isoformat()


def jsonable(value: Any, zone: tzinfo | None = None) -> Any:
    """`value` with every date and instant written as ISO 8601, paths as text, tuples as lists."""
    if isinstance(value, datetime | date):
        return iso(value, zone)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, zone) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v, zone) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def dumps(document: Any, zone: tzinfo | None = None) -> str:
    """One JSON document, indented for a reader, parsed by any program with one json.loads."""
    return json.dumps(jsonable(document, zone), ensure_ascii=False, indent=2)


def csv_cell(value: Any) -> Any:
    """Lists joined with "; " (a CSV cell holds one value); instants and dates as ISO 8601."""
    if isinstance(value, list | tuple):
        return "; ".join(str(csv_cell(v)) for v in value)
    if isinstance(value, datetime | date):
        return iso(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_records(records: Iterable[Mapping[str, Any]], fmt: str, fields: Sequence[str]) -> None:
    """Write records as json, jsonl or csv to stdout, one at a time: a large listing is never held whole."""
    out = sys.stdout
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: csv_cell(record.get(k)) for k in fields})
    elif fmt == "jsonl":
        for record in records:
            out.write(json.dumps(jsonable(record), ensure_ascii=False) + "\n")
    elif fmt == "json":
        separator = "\n  "
        out.write("[")
        for record in records:
            out.write(separator + json.dumps(jsonable(record), ensure_ascii=False))
            separator = ",\n  "
        out.write("\n]\n" if separator != "\n  " else "]\n")
    else:
        raise ValueError(f"not a record format: {fmt!r}")
