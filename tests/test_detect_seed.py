"""The shared seed article: exactly its five announcements, neither of its totals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_shared

from newswatch.cli import main
from pipelines.detect import detect

SEED = "seeds/000_868a5b24fe2b1ec6.txt"
EXPECTED = "seeds/000_868a5b24fe2b1ec6.expected.json"


@pytest.fixture(scope="module")
def seed_path() -> Path:
    require_shared(EXPECTED)
    return require_shared(SEED)


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> tuple[str, str, dict]:
    title, _, text = seed_path.read_text(encoding="utf-8").partition("\n")
    return title, text, json.loads(seed_path.with_name(Path(EXPECTED).name).read_text(encoding="utf-8"))


def test_seed_gives_exactly_the_five_announcements(seed: tuple[str, str, dict]) -> None:
    title, text, expected = seed
    detection = detect(text, title=title)
    assert detection.flagged
    found = {(i.investor, i.amount_eur) for i in detection.announced}
    assert found == {(e["investor"], e["amount_eur"]) for e in expected["investments"]}


def test_seed_totals_are_not_announcements(seed: tuple[str, str, dict]) -> None:
    title, text, _ = seed
    amounts = {i.amount_eur for i in detect(text, title=title).investments}
    assert 13e9 not in amounts and 15e9 not in amounts


def test_seed_edition_from_the_summit_date_or_the_publication_date(seed: tuple[str, str, dict]) -> None:
    title, text, expected = seed
    assert detect(text, title=title).edition == expected["edition"]  # "lundi 13 mai" is the 2024 summit
    assert detect(text, title=title, published=date(2024, 5, 12)).edition == 2024


def test_seed_details_descriptor_places_and_jobs(seed: tuple[str, str, dict]) -> None:
    title, text, _ = seed
    by_investor = {i.investor: i for i in detect(text, title=title).announced}
    microsoft, amazon = by_investor["Microsoft"], by_investor["Amazon"]
    # "La firme de Redmond ... Toulouse" and "Ses installations ... Marseille" belong to Microsoft.
    assert {"Toulouse", "région parisienne", "Marseille"} <= set(microsoft.locations)
    assert microsoft.jobs is None  # training a million people is not jobs
    assert amazon.jobs == 3000
    assert "Auvergne-Rhône-Alpes" in amazon.locations
    assert by_investor["IBM"].locations == ["Paris-Saclay"]
    assert by_investor["IQM"].locations == ["Grenoble"]
    assert by_investor["KDDI"].locations == []
    assert all(i.currency == "EUR" and i.edition == 2024 for i in by_investor.values())


def test_detect_command_prints_the_seed_as_one_json_line(seed_path: Path) -> None:
    result = CliRunner().invoke(main, ["detect", str(seed_path)])
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    payload = json.loads(line)
    assert payload["file"] == str(seed_path) and payload["flagged"] is True and payload["edition"] == 2024
    assert {(i["investor"], i["amount_eur"]) for i in payload["investments"]} == {
        ("Microsoft", 4e9),
        ("Amazon", 1.2e9),
        ("KDDI", 1e9),
        ("IBM", 45e6),
        ("IQM", 100e6),
    }
    assert set(payload["investments"][0]) == {
        "investor",
        "amount_eur",
        "amount_text",
        "currency",
        "locations",
        "sector",
        "jobs",
        "edition",
        "evidence",
    }
