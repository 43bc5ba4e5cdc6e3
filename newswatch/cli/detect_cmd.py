"""Detection commands: `detect FILE...` runs the detector on files; `investments` lists stored announcements."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from newswatch.cli.app import AppContext, pass_app

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
    """The JSON object `detect` prints for one file: announced investments only."""
    return {
        "file": name,
        "flagged": detection.flagged,
        "score": detection.score,
        "edition": detection.edition,
        "investments": [{k: getattr(i, k) for k in JSON_FIELDS} for i in detection.announced],
    }


@click.command("detect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def detect_cmd(files: tuple[Path, ...]) -> None:
    """Run announcement detection on .txt or .html files; print one JSON object per file per line.

    A .txt file's first line is its title. An .html file goes through the same extraction as the crawl.
    A file that cannot be read gets one line on stderr; the others are still processed (exit 2 at the end).
    """
    from pipelines.detect import detect

    failed = 0
    for path in files:
        try:
            title, text, published = read_article(path)
        except InputError as exc:
            click.echo(f"newswatch detect: {path}: {exc}", err=True)
            failed += 1
            continue
        detection = detect(text, title=title, published=published)
        click.echo(json.dumps(detection_line(str(path), detection), ensure_ascii=False))
    if failed:
        sys.exit(2)


def _rows(session: Any, edition: int | None) -> list[dict[str, Any]]:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from newswatch.store.models import Announcement, AnnouncementSource

    query = (
        select(Announcement)
        .options(selectinload(Announcement.sources).selectinload(AnnouncementSource.article))
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
        rows.append({
            "id": a.id, "investor": a.investor, "amount_eur": a.amount_eur, "amount_text": a.amount_text,
            "currency": a.currency, "locations": list(a.locations or []), "sector": a.sector, "jobs": a.jobs,
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
         ", ".join(r["locations"]) or "—", r["status"], str(len(r["sources"])))
        for r in rows
    ]  # fmt: skip
    widths = [max(len(c[i]) for c in [TABLE_COLUMNS, *cells]) for i in range(len(TABLE_COLUMNS))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(TABLE_COLUMNS, widths, strict=True))]
    for row, cell in zip(rows, cells, strict=True):
        lines.append("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
        lines.extend(f"    {url}" for url in row["sources"])
    return "\n".join(lines)


def render_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    fields = ["id", "edition", "investor", "amount_eur", "amount_text", "currency", "locations", "sector", "jobs",
              "status", "sources"]  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    from alerts.formatting import whole_euros

    for row in rows:
        writer.writerow({**row, "amount_eur": whole_euros(row["amount_eur"]), "locations": "; ".join(row["locations"]),
                         "sources": " ".join(row["sources"])})
    return out.getvalue().rstrip("\n")


@click.command("investments")
@click.option("--edition", type=int, default=None, metavar="YEAR", help="Only this Choose France edition.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@pass_app
def investments_cmd(app: AppContext, edition: int | None, fmt: str) -> None:
    """List stored announcements, each once, with the URLs of the articles that reported it."""
    from newswatch.store.db import session_scope

    with session_scope(app.database_url) as session:
        rows = _rows(session, edition)
    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(render_csv(rows))
    elif rows:
        click.echo(render_table(rows))
    else:
        click.echo("no announcements stored" + (f" for edition {edition}" if edition else ""))


COMMANDS = (detect_cmd, investments_cmd)
