"""`newswatch demo` ends with the address of the web view over its data, and keeps that data (database,
outbox, config) where the README says: the printed command serves the demo's announcements, and the
unsubscribe link of the digest the demo wrote works on that view."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text
from web_support import REPO, serving

from newswatch.config import load_config

URL_LINE = re.compile(r"^demo: web view over this data: (http://127\.0\.0\.1:(\d+)/)$")


def test_the_demo_keeps_its_data_where_the_readme_says() -> None:
    from newswatch.cli.demo_cmd import WEB_URL, demo

    default = next(p.default for p in demo.params if p.name == "data_dir")
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())  # words, not line breaks
    assert f"keeps its config, database and outbox in `{default}/`" in readme
    assert f"--config {default}/config.yaml serve" in readme and f"open {WEB_URL}/" in readme


@pytest.mark.slow
def test_the_demo_ends_with_the_web_view_over_its_data(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newswatch.cli.demo_cmd import demo

    data = tmp_path / "demo"
    result = CliRunner().invoke(demo, ["--data-dir", str(data), "--articles", "10"])
    assert result.exit_code == 0, result.output
    last = result.output.rstrip().splitlines()[-3:]
    shown = [m for m in map(URL_LINE.match, last) if m]
    assert shown, f"the demo does not end with the web view's address: {last}"
    assert any(f"newswatch --config {data / 'config.yaml'} serve" in line for line in last), last

    config_path = data / "config.yaml"
    config = load_config(config_path, env={})
    assert int(shown[0].group(2)) == config.web.port and config.web.url() == shown[0].group(1).rstrip("/")
    database_url = config.resolved_database_url()
    assert database_url == f"sqlite:///{(data / 'newswatch.db').resolve()}"
    engine = create_engine(database_url)
    with engine.connect() as conn:
        announcements = conn.execute(text("SELECT count(*) FROM announcements")).scalar_one()
    engine.dispose()
    assert announcements > 0, "the demo found no announcement"

    # The printed command, on a free port rather than 8000 (which may be taken on this machine).
    with serving(config_path, database_url, tmp_path / "serve.log") as view:
        api = view.get("/api/announcements").json()
        assert api["total"] == announcements
        first = api["items"][0]
        page = view.get(f"/announcements/{first['id']}")
        assert page.status_code == 200 and first["investor"] in page.text and 'class="source"' in page.text
        status = view.get("/status").text
        assert all(f'data-source="demo-{name}"' in status for name in ("journal", "blog", "trade"))

        # The digest in the demo's outbox links its one-click unsubscribe to this view.
        (digest,) = sorted((data / "outbox").glob("*.eml"))[:1]
        message = message_from_bytes(digest.read_bytes(), policy=policy.default)
        link = str(message["List-Unsubscribe"]).split(",")[0].strip(" <>")
        assert link.startswith(f"{shown[0].group(1)}unsubscribe/") and "analyste@" not in link
        confirm = view.get(urlsplit(link).path)
        assert confirm.status_code == 200 and 'data-state="confirm"' in confirm.text
