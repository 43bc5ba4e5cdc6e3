"""One output convention across commands: `--format json` is one JSON document, `jsonl` one object per
line, `csv` a header and rows; instants ISO 8601 with their offset, amounts whole euros. And the
plain-text outputs people read: `check` names the file and says filters in words; `run --no-crawl`."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from alerts_support import add_announcement, write_config
from click.testing import CliRunner, Result
from db_support import database, dispose_all

from newswatch.cli import main

# Every command that prints records, with what identifies one record.
LISTS = {
    "articles": ("articles",),
    "investments": ("investments",),
    "deliveries": ("deliveries",),
    "subscribers": ("subscribers",),
}
DOCUMENTS = {"check": ("check",), "check --sources": ("check", "--sources"), "status": ("status",)}
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


@dataclass
class Stored:
    config: Path
    url: str
    tmp: Path

    def run(self, *args: str) -> Result:
        result = CliRunner().invoke(
            main,
            ["--config", str(self.config), *args],
            env={"NEWSWATCH_DATABASE_URL": self.url, "NEWSWATCH_CONFIG": None},
        )
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stored]:
    """Two announcements (one of 3.5 billion euros), their articles, and a delivery run to the outbox."""
    tmp = tmp_path_factory.mktemp("outputs")
    url = f"sqlite:///{tmp / 'newswatch.db'}"
    config = write_config(
        tmp,
        database_url=url,
        subscribers=[
            {
                "name": "analyste",
                "email": "analyste@example.org",
                "frequency": "immediate",
                "filters": {"min_amount_eur": 1e8, "sectors": ["santé", "énergie"]},
            },
            {"name": "matin", "email": "matin@example.org", "frequency": "daily", "at": "08:00"},
        ],
        sources=[{"name": "maddyness", "home": "https://www.maddyness.com/"}],
    )
    database(url).migrate()
    add_announcement(url, "Microsoft", amount_eur=3.5e9, sector="santé")
    add_announcement(url, "Pfizer", amount_eur=520e6, sector="énergie")
    article = tmp / "article.txt"
    article.write_text(
        "Pfizer investit\nLors du sommet Choose France, Pfizer a annoncé un investissement de "
        "520 millions d'euros à Amboise (Indre-et-Loire).\n",
        encoding="utf-8",
    )
    try:
        yield Stored(config, url, tmp)
    finally:
        dispose_all()


def instants(value: Any) -> Iterator[str]:
    """Every string in a JSON document that reads as a date and time."""
    if isinstance(value, dict):
        for item in value.values():
            yield from instants(item)
    elif isinstance(value, list):
        for item in value:
            yield from instants(item)
    elif isinstance(value, str) and INSTANT.match(value):
        yield value


@pytest.fixture(scope="module")
def delivered(stored: Stored) -> Stored:
    stored.run("run", "--no-crawl")
    return stored


@pytest.mark.parametrize("name", [*LISTS, *DOCUMENTS])
def test_every_json_output_is_one_document_whose_instants_carry_their_offset(
    delivered: Stored, name: str
) -> None:
    args = {**LISTS, **DOCUMENTS}[name]
    output = delivered.run(*args, "--format", "json").stdout
    document = json.loads(output)  # one document: a second one, or JSON Lines, would not parse
    assert isinstance(document, list if name in LISTS or name == "check --sources" else dict)
    if name in LISTS:
        assert document, f"{name}: nothing listed"
    found = list(instants(document))
    if name in ("articles", "deliveries", "status"):
        assert found, f"{name}: no instant in the output"
    for value in found:
        assert OFFSET.search(value), f"{name}: {value!r} has no UTC offset"


def test_detect_json_is_one_array_and_its_default_stays_one_object_per_line(delivered: Stored) -> None:
    article = str(delivered.tmp / "article.txt")
    lines = delivered.run("detect", article, article).stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["file"] == article for line in lines)
    [first, second] = json.loads(delivered.run("detect", "--format", "json", article, article).stdout)
    assert first == second and first["investments"][0]["amount_eur"] == 520_000_000
    assert isinstance(first["investments"][0]["amount_eur"], int)


@pytest.mark.parametrize("name", list(LISTS))
def test_jsonl_gives_the_same_records_one_per_line(delivered: Stored, name: str) -> None:
    whole = json.loads(delivered.run(*LISTS[name], "--format", "json").stdout)
    lines = delivered.run(*LISTS[name], "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == whole


def test_amounts_are_whole_euros_in_json_and_csv(delivered: Stored) -> None:
    records = json.loads(delivered.run("investments", "--format", "json").stdout)
    assert [(r["investor"], r["amount_eur"]) for r in records] == [
        ("Microsoft", 3_500_000_000),
        ("Pfizer", 520_000_000),
    ]
    assert all(isinstance(r["amount_eur"], int) for r in records)
    rows = list(csv.DictReader(io.StringIO(delivered.run("investments", "--format", "csv").stdout)))
    assert [int(row["amount_eur"]) for row in rows] == [3_500_000_000, 520_000_000]
    assert rows[0]["amount_eur"] == "3500000000"  # not 3500000000.0


def test_articles_and_deliveries_have_csv_too_with_iso_instants(delivered: Stored) -> None:
    articles = list(csv.DictReader(io.StringIO(delivered.run("articles", "--format", "csv").stdout)))
    assert len(articles) == 2 and {a["title"] for a in articles} == {
        "Microsoft annonce un investissement",
        "Pfizer annonce un investissement",
    }
    assert all(OFFSET.search(a["fetched_at"]) and INSTANT.match(a["fetched_at"]) for a in articles)
    deliveries = list(csv.DictReader(io.StringIO(delivered.run("deliveries", "--format", "csv").stdout)))
    # The immediate subscriber got both; the daily one waits for its 08:00.
    assert sorted((d["channel"], d["state"]) for d in deliveries) == [
        ("email:analyste", "sent"),
        ("email:analyste", "sent"),
        ("email:matin", "pending"),
        ("email:matin", "pending"),
    ]
    assert all(OFFSET.search(d["sent_at"] or d["next_attempt_at"]) for d in deliveries)


def test_run_no_crawl_delivers_without_once_and_run_alone_still_asks_for_once(stored: Stored) -> None:
    result = stored.run("run", "--no-crawl")
    assert result.stdout.startswith("deliver: ") and "crawl:" not in result.stdout
    bare = CliRunner().invoke(
        main, ["--config", str(stored.config), "run"], env={"NEWSWATCH_DATABASE_URL": stored.url}
    )
    assert bare.exit_code == 2 and "needs --once" in bare.output


def test_check_names_the_config_file_and_says_filters_in_words(stored: Stored) -> None:
    lines = stored.run("check").stdout.splitlines()
    assert lines[0] == f"config OK ({stored.config.resolve()})"
    [analyste] = [line for line in lines if line.startswith("  - analyste ")]
    assert analyste.endswith("after every crawl, fr; only amount at least €100m; sector santé or énergie")
    assert "[" not in analyste and "=" not in analyste
