"""A bad config stops newswatch with one line naming the file, line and field, exit code 2, nothing touched."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newswatch.cli import main
from newswatch.config import load_config

VALID = """\
database_url: sqlite:///state/nw.db
sources:
  - name: hebdo-tech
    home: https://hebdo-tech.example.org/
subscribers:
  - name: alice
    email: alice@example.org
    frequency: weekly
    day: fri
webhooks:
  - name: equipe
    format: slack
    url: ${HOOK_URL}
  - name: crm
    format: json
    url: https://crm.example.org/hooks/newswatch
    secret: ${HOOK_SECRET}
"""
# A Standard Webhooks secret: whsec_ and the base64 of a 24-byte key.
HOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
HOW_TO_MAKE_ONE = (
    r"generate one with: python3 -c \"import base64, secrets; "
    r"print\('whsec_' \+ base64\.b64encode\(secrets\.token_bytes\(32\)\)\.decode\(\)\)\"$"
)

CASES = {
    "yaml_syntax_error_gives_its_line": (
        "crawl:\n  concurrency: [\nsources: []\n",
        r"nw\.yaml, line \d: YAML syntax error",
    ),
    "unknown_key_suggests_the_right_one": (
        "crawl:\n  concurency: 3\n",
        r"nw\.yaml, line 2: crawl\.concurency: unknown key 'concurency'; did you mean 'concurrency'\?",
    ),
    "wrong_type_names_the_field_and_value": (
        "crawl:\n  retries: beaucoup\n",
        r"nw\.yaml, line 2: crawl\.retries: .*valid integer.*'beaucoup'",
    ),
    "missing_secret_variable_names_it": (
        "webhooks:\n  - name: a\n    format: slack\n    url: ${NEWSWATCH_TEST_UNSET_VAR}\n",
        r"nw\.yaml, line 4: webhooks\[0\]\.url: environment variable NEWSWATCH_TEST_UNSET_VAR is not set",
    ),
    "invalid_email_names_the_subscriber_field": (
        "subscribers:\n  - name: bob\n    email: bob.example.org\n",
        r"nw\.yaml, line 3: subscribers\[0\]\.email: value is not a valid email address",
    ),
    "invalid_cron_expression_is_explained": (
        "subscribers:\n  - name: bob\n    email: bob@example.org\n    frequency: cron\n    cron: '0 25 * * *'\n",
        r"nw\.yaml, line 5: subscribers\[0\]\.cron: invalid cron expression '0 25 \* \* \*'",
    ),
    "unknown_webhook_format_lists_the_known_ones": (
        "webhooks:\n  - name: a\n    format: telegram\n    url: https://hooks.example.org/x\n",
        r"nw\.yaml, line 3: webhooks\[0\]\.format: unknown format 'telegram'; expected one of: discord, googlechat, json, mattermost, slack, teams \(got 'telegram'\)",
    ),
    "missing_required_field_is_named": (
        "sources:\n  - name: x\n",
        r"nw\.yaml, line 2: sources\[0\]\.home: required field 'home' is missing",
    ),
    "database_url_that_does_not_parse_is_named_with_its_password_masked": (
        "database_url: 'postgresql+psycopg://nw:pg-pass@db.example.org:port/nw'\n",
        r"nw\.yaml, line 1: database_url: 'postgresql\+psycopg://nw:\*\*\*@db\.example\.org:port/nw' is not a "
        r"database URL \(sqlite:///FILE or postgresql\+psycopg://USER@HOST/DB\)$",
    ),
    "webhook_secret_not_in_the_standard_webhooks_form_says_how_to_make_one": (
        "webhooks:\n  - name: crm\n    format: json\n    url: https://crm.example.org/h\n    secret: 'mon secret'\n",
        r"nw\.yaml, line 5: webhooks\[0\]\.secret: must be whsec_ followed by base64 \(the Standard Webhooks "
        r"form\); " + HOW_TO_MAKE_ONE,
    ),
    "webhook_secret_whose_key_is_too_short_says_how_to_make_one": (
        "webhooks:\n  - name: crm\n    format: json\n    url: https://crm.example.org/h\n    secret: whsec_c2VjcmV0\n",
        r"nw\.yaml, line 5: webhooks\[0\]\.secret: its key is 6 bytes; Standard Webhooks keys are 24 to 64 "
        r"bytes; " + HOW_TO_MAKE_ONE,
    ),
    "webhook_secret_on_a_chat_format_is_refused": (
        "webhooks:\n  - name: a\n    format: slack\n    url: https://hooks.example.org/x\n    secret: "
        + HOOK_SECRET
        + "\n",
        r"nw\.yaml, line 5: webhooks\[0\]\.secret: only `json` posts are signed; a slack webhook would ignore it "
        r"\(remove it, or use format: json\)$",
    ),
    "unknown_region_in_a_filter_suggests_close_names": (
        "subscribers:\n  - name: bob\n    email: bob@example.org\n    filters:\n"
        "      regions: [hauts de france, '32', Picardie, Haut de Frnace]\n",
        r"nw\.yaml, line 5: subscribers\[0\]\.filters\.regions\[3\]: unknown région; did you mean "
        r"'Hauts-de-France'.*\(got 'Haut de Frnace'\)$",
    ),
    "departement_given_as_region_names_its_region": (
        "webhooks:\n  - name: a\n    format: slack\n    url: https://hooks.example.org/x\n"
        "    filters: {regions: [Nord]}\n",
        r"nw\.yaml, line 5: webhooks\[0\]\.filters\.regions\[0\]: unknown région; 'Nord' lies in 'Hauts-de-France'",
    ),
    "duplicate_source_names_are_refused": (
        "sources:\n  - {name: x, home: 'https://a.example.org/'}\n  - {name: x, home: 'https://b.example.org/'}\n",
        r"nw\.yaml, line 3: sources\[1\]\.name: name 'x' is used twice",
    ),
}


@pytest.mark.parametrize("text,expected", list(CASES.values()), ids=list(CASES))
def test_bad_config_exits_2_with_one_line_naming_file_and_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    config = tmp_path / "nw.yaml"
    config.write_text(text)
    result = CliRunner().invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"newswatch: config error: {config}")
    assert re.search(expected, lines[0]), lines[0]
    assert "mon secret" not in lines[0] and "c2VjcmV0" not in lines[0] and HOOK_SECRET not in lines[0]
    # Nothing else touched: no database, no data folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nw.yaml"]


def test_missing_config_file_named_explicitly_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "absent.yaml"), "check"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == f"newswatch: config error: {tmp_path / 'absent.yaml'}: config file not found"
    )


def test_missing_default_config_falls_back_to_embedded_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSWATCH_CONFIG", raising=False)
    config = load_config()
    assert config.resolved_database_url() == f"sqlite:///{tmp_path / 'data' / 'newswatch.db'}"
    assert config.outbox_path == tmp_path / "data" / "outbox"


def test_environment_overrides_config_path_and_database_url(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    config.write_text("sources: []\n")
    env = {"NEWSWATCH_CONFIG": str(config), "NEWSWATCH_DATABASE_URL": "postgresql+psycopg://u@db/x"}
    loaded = load_config(env=env)
    assert loaded.base_dir == tmp_path
    assert loaded.resolved_database_url() == "postgresql+psycopg://u@db/x"


def test_database_url_from_the_environment_that_does_not_parse_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    config.write_text("sources: []\n")
    result = CliRunner(env={"NEWSWATCH_DATABASE_URL": "pg://u:pg-pass@db:port/x"}).invoke(
        main, ["--config", str(config), "status"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "newswatch: config error: NEWSWATCH_DATABASE_URL: 'pg://u:***@db:port/x' is not "
        "a database URL (sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nw.yaml"]


def test_check_describes_what_would_run_without_touching_anything(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    config.write_text(VALID)
    env = {
        "HOOK_URL": "https://hooks.slack.example.org/services/T0/B0/s3cr3t-token",
        "HOOK_SECRET": HOOK_SECRET,
    }
    result = CliRunner(env=env).invoke(main, ["--config", str(config), "check"])
    assert result.exit_code == 0, result.output
    assert "hebdo-tech: https://hebdo-tech.example.org/ (feeds and sitemaps discovered" in result.output
    assert "alice <alice@example.org>: weekly on fri at 08:00 Europe/Paris" in result.output
    assert "equipe: slack to hooks.slack.example.org, per announcement, fr\n" in result.output
    assert "crm: json to crm.example.org, per announcement, signed" in result.output
    assert f"digests written as .eml files to {tmp_path / 'data' / 'outbox'}" in result.output
    assert "s3cr3t-token" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nw.yaml"]


def test_config_dump_masks_every_secret(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    config.write_text(
        VALID.replace("sqlite:///state/nw.db", "postgresql+psycopg://newswatch:pg-pass@db.example.org/nw")
        + "mail:\n  smtp:\n    host: smtp.example.org\n    username: bot\n    password: ${SMTP_PASSWORD}\n"
    )
    env = {
        "HOOK_URL": "https://hooks.example.org/s3cr3t-token",
        "HOOK_SECRET": HOOK_SECRET,
        "SMTP_PASSWORD": "smtp-pass-value",
    }
    result = CliRunner(env=env).invoke(main, ["--config", str(config), "check", "--format", "json"])
    assert result.exit_code == 0, result.output
    dumped = json.loads(result.output)
    for secret in ("pg-pass", "s3cr3t-token", HOOK_SECRET.removeprefix("whsec_"), "smtp-pass-value"):
        assert secret not in result.output
    assert dumped["database_url"] == "postgresql+psycopg://newswatch:***@db.example.org/nw"
    assert dumped["mail"]["smtp"]["username"] == "bot"
