"""Detection commands: `detect FILE...` runs the detector on files; `investments` lists stored announcements."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from newswatch.cli.app import AppContext, pass_app
from newswatch.cli.output import dumps, list_format_option, write_records

JSON_FIELDS = (
    "investor",
    "amount_eur",
    "amount_text",
    "currency",
    "locations",
    "sector",
    "jobs",
    "edition",
    "evidence",
)
HTML_SUFFIXES = {".html", ".htm"}
# CSV columns; json and jsonl records also carry `places` (each with its commune, département and région).
RECORD_FIELDS = (
    "id",
    "edition",
    "investor",
    "amount_eur",
    "amount_text",
    "currency",
    "locations",
    "regions",
    "sector",
    "jobs",
    "status",
    "evidence",
    "sources",
)
TABLE_COLUMNS = ("id", "edition", "investor", "amount", "jobs", "locations", "status", "sources")


class InputError(Exception):
    """A file that cannot be read as an article."""


def read_article(path: Path) -> tuple[str | None, str, Any]:
    """(title, text, published) of a .txt (first line is the title) or .html file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from None
    if path.suffix.lower() in HTML_SUFFIXES:
        from pipelines.extract import extract_article

        article = extract_article(raw, url=None)
        if article is None:
            raise InputError("no article text found in the HTML")
        return article.title, article.text, article.published
    title, _, text = raw.partition("\n")
    return title.strip() or None, text, None


def detection_line(name: str, detection: Any) -> dict[str, Any]:
    """The JSON object `detect` prints for one file: announced investments only, amounts in whole euros."""
    from alerts.formatting import whole_euros

    return {
        "file": name,
        "flagged": detection.flagged,
        "score": detection.score,
        "edition": detection.edition,
        "investments": [
            {k: getattr(i, k) for k in JSON_FIELDS} | {"amount_eur": whole_euros(i.amount_eur)}
            for i in detection.announced
        ],
    }


@click.command("detect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "json"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one JSON object per file, per line, printed as each file is done; json: one JSON "
    "array of them at the end.",
)
def detect_cmd(files: tuple[Path, ...], fmt: str) -> None:
    """Run announcement detection on .txt or .html files; print one JSON object per file.

    A .txt file's first line is its title. An .html file goes through the same extraction as the crawl.
    A file that cannot be read gets one line on stderr; the others are still processed (exit 2 at the end).
    """
    from pipelines.detect import detect

    failed = 0
    lines = []
    for path in files:
        try:
            title, text, published = read_article(path)
        except InputError as exc:
            click.echo(f"newswatch detect: {path}: {exc}", err=True)
            failed += 1
            continue
        line = detection_line(str(path), detect(text, title=title, published=published))
        if fmt == "jsonl":
            click.echo(json.dumps(line, ensure_ascii=False))
        else:
            lines.append(line)
    if fmt == "json":
        click.echo(dumps(lines))
    if failed:
        sys.exit(2)


def _rows(session: Any, edition: int | None) -> list[dict[str, Any]]:
    from dataclasses import asdict

    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from alerts.view import AnnouncementView, place_view
    from newswatch.store.models import Announcement, AnnouncementSource

    query = (
        select(Announcement)
        .options(
            selectinload(Announcement.sources).selectinload(AnnouncementSource.article),
            selectinload(Announcement.places),
        )
        .order_by(
            Announcement.edition.desc().nulls_last(),
            Announcement.amount_eur.desc().nulls_last(),
            Announcement.id,
        )
    )
    if edition is not None:
        query = query.where(Announcement.edition == edition)
    rows = []
    for a in session.scalars(query):
        view = AnnouncementView(
            a.id,
            a.investor,
            locations=tuple(a.locations or ()),
            places=tuple(place_view(p) for p in a.places),
        )
        rows.append({
            "id": a.id, "investor": a.investor, "amount_eur": a.amount_eur, "amount_text": a.amount_text,
            "currency": a.currency, "locations": list(a.locations or []), "sector": a.sector, "jobs": a.jobs,
            "places": [asdict(p) for p in view.located], "regions": [name for _, name in view.regions],
            "place_labels": list(view.place_labels),
            "edition": a.edition, "status": a.status, "evidence": a.evidence,
            "sources": sorted(s.article.url for s in a.sources if s.article is not None),
        })  # fmt: skip
    return rows


def _amount(row: dict[str, Any]) -> str:
    from alerts.formatting import format_amount

    return format_amount(row["amount_eur"]) or row["amount_text"] or "—"


def render_table(rows: list[dict[str, Any]]) -> str:
    cells = [
        (str(r["id"]), str(r["edition"] or "—"), r["investor"], _amount(r), str(r["jobs"] or "—"),
         ", ".join(r["place_labels"]) or "—", r["status"], str(len(r["sources"])))
        for r in rows
    ]  # fmt: skip
    widths = [max(len(c[i]) for c in [TABLE_COLUMNS, *cells]) for i in range(len(TABLE_COLUMNS))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(TABLE_COLUMNS, widths, strict=True))]
    for row, cell in zip(rows, cells, strict=True):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
        lines.extend(f"    {url}" for url in row["sources"])
    return "\n".join(lines)


@click.command("investments")
@click.option("--edition", type=int, default=None, metavar="YEAR", help="Only this Choose France edition.")
@list_format_option("One record per announcement (its fields and the URLs of its sources).")
@pass_app
def investments_cmd(app: AppContext, edition: int | None, fmt: str) -> None:
    """List stored announcements, each once, with the URLs of the articles that reported it."""
    from alerts.formatting import whole_euros

    with app.database.session() as session:
        rows = _rows(session, edition)
    if fmt != "table":
        # place_labels are the table's words; programs get the places and their régions as data.
        records = (
            {
                **{k: v for k, v in r.items() if k != "place_labels"},
                "amount_eur": whole_euros(r["amount_eur"]),
            }
            for r in rows
        )
        write_records(records, fmt, RECORD_FIELDS)
    elif rows:
        click.echo(render_table(rows))
    else:
        click.echo("no announcements stored" + (f" for edition {edition}" if edition else ""))


COMMANDS = (detect_cmd, investments_cmd)
