"""`newswatch detect FILE…`: one JSON line per readable file, HTML through the crawl's extraction, a clear
line on stderr for a file that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newswatch.cli import main


def test_detect_command_reads_html_and_reports_unreadable_files(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    paragraph = (
        "Le sommet Choose France s'est tenu lundi au château de Versailles. Le laboratoire américain Pfizer va "
        "investir 500 millions d'euros dans son usine d'Amboise, en Indre-et-Loire, avec 200 emplois à la clé."
    )
    page.write_text(
        "<html lang='fr'><head><title>Pfizer à Amboise</title></head><body><article><h1>Pfizer à Amboise</h1>"
        f"<p>{paragraph}</p><p>{paragraph.replace('Pfizer', 'Le groupe')}</p></article></body></html>",
        encoding="utf-8",
    )
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(main, ["detect", str(missing), str(page)])
    assert result.exit_code == 2
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [(x["file"], x["flagged"]) for x in lines] == [(str(page), True)]
    assert lines[0]["investments"][0]["investor"] == "Pfizer"
    assert lines[0]["investments"][0]["locations"] == ["Amboise", "Indre-et-Loire"]
    assert f"{missing}: no such file" in result.stderr
