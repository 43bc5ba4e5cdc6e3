"""Digest emails against a real SMTP server (aiosmtpd on 127.0.0.1), and the outbox without one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alerts_support import add_announcement, ledger_rows, load, write_config
from db_support import database
from servers.smtp import ScriptedSMTP

from alerts.deliver import DeliveryOptions, deliver


def later(minutes: float) -> DeliveryOptions:
    return DeliveryOptions(now=datetime.now(UTC) + timedelta(minutes=minutes))


def test_each_matching_subscriber_gets_one_digest_and_a_second_run_sends_nothing(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=db_url,
            smtp_port=smtp.port,
            subscribers=[
                {"name": "tout", "email": "tout@example.org", "frequency": "immediate"},
                {
                    "name": "gros",
                    "email": "gros@example.org",
                    "frequency": "immediate",
                    "language": "en",
                    "filters": {"min_amount_eur": 1e9},
                },
                {
                    "name": "sante",
                    "email": "sante@example.org",
                    "frequency": "immediate",
                    "filters": {"sectors": ["santé"]},
                },
            ],
        )
    )
    big = add_announcement(db_url, "Microsoft", amount_eur=4e9)
    small = add_announcement(db_url, "Pfizer", amount_eur=520e6, sector="santé", extra_sources=1)

    report = deliver(config, database(db_url))
    assert report.total("messages") == 3 and report.total("failed") == 0
    tout, gros, sante = smtp.to("tout@example.org"), smtp.to("gros@example.org"), smtp.to("sante@example.org")
    assert [m.announcement_ids for m in (*tout, *gros, *sante)] == [[big, small], [big], [small]]
    message = tout[0].message
    assert message["Subject"] == "newswatch\u202f: 2 nouvelles annonces d'investissement (4,52\u00a0Md€)"
    assert (
        message["List-Unsubscribe"].strip() == "<mailto:ops@newswatch.example.org?subject=unsubscribe%20tout>"
    )
    assert message["Message-ID"].startswith("<nw.") and message["Message-ID"].endswith(
        "@newswatch.example.org>"
    )
    assert message.is_multipart() and {"text/plain", "text/html"} <= {
        p.get_content_type() for p in message.iter_parts()
    }
    assert "€4bn" in gros[0].message["Subject"] and "€4 billion" in gros[0].part("plain")
    # Every source article of the announcement is linked.
    assert tout[0].part("html").count("news.example.org/maddyness/2024/05/13/article-") == 3

    again = deliver(config, database(db_url))
    assert again.total("messages") == 0 and len(smtp.received) == 3
    assert {r["state"] for r in ledger_rows(db_url)} == {"sent"}


def test_nothing_new_sends_no_mail_unless_the_subscriber_asks_for_empty_digests(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            smtp_port=smtp.port,
            subscribers=[
                {"name": "quiet", "email": "quiet@example.org", "frequency": "immediate"},
                {"name": "empty", "email": "empty@example.org", "frequency": "daily", "send_empty": True},
            ],
        )
    )
    paris = ZoneInfo("Europe/Paris")
    deliver(config, database(sqlite_url), DeliveryOptions(now=datetime(2025, 5, 12, 14, 0, tzinfo=paris)))
    # Nothing for either: the immediate one has nothing new, the daily one's time (08:00) has not come.
    assert smtp.received == []
    tomorrow = datetime(2025, 5, 13, 8, 1, tzinfo=paris)
    deliver(config, database(sqlite_url), DeliveryOptions(now=tomorrow))
    assert smtp.to("quiet@example.org") == []
    [empty] = smtp.to("empty@example.org")
    assert empty.message["Subject"] == "newswatch\u202f: aucune nouvelle annonce"
    # Daily: the next empty digest waits for the next day's time.
    deliver(config, database(sqlite_url), DeliveryOptions(now=tomorrow + timedelta(minutes=5)))
    assert len(smtp.received) == 1


def test_smtp_451_is_retried_with_backoff_and_delivered_exactly_once(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(write_config(tmp_path, database_url=db_url, smtp_port=smtp.port))
    add_announcement(db_url)
    smtp.fail_next(1, "451 4.3.0 Mailbox busy, try later")

    first = deliver(config, database(db_url))
    assert first.total("retry") == 1 and smtp.received == []
    [row] = ledger_rows(db_url)
    assert row["state"] == "pending" and row["attempts"] == 1 and "451" in row["last_error"]

    assert deliver(config, database(db_url)).total("messages") == 0  # still backing off
    assert deliver(config, database(db_url), later(2)).total("messages") == 1
    assert deliver(config, database(db_url), later(10)).total("messages") == 0
    assert len(smtp.received) == 1
    # The retry is the same message: one Message-ID for both attempts.
    assert len(set(smtp.attempts)) == 1 and len(smtp.attempts) == 2
    assert ledger_rows(db_url)[0]["state"] == "sent"


def test_a_recipient_refused_with_550_fails_with_the_reason_and_the_others_still_get_theirs(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            smtp_port=smtp.port,
            subscribers=[
                {"name": "bounce", "email": "bounce@example.org", "frequency": "immediate"},
                {"name": "fine", "email": "fine@example.org", "frequency": "immediate"},
            ],
        )
    )
    add_announcement(sqlite_url)
    smtp.refuse("bounce@example.org", "550 5.1.1 <bounce@example.org>: user unknown")

    report = deliver(config, database(sqlite_url))
    assert report.total("failed") == 1 and report.total("messages") == 1
    assert len(smtp.to("fine@example.org")) == 1
    bounce = ledger_rows(sqlite_url, "email:bounce")[0]
    assert (
        bounce["state"] == "failed"
        and "550 5.1.1" in bounce["last_error"]
        and "user unknown" in bounce["last_error"]
    )
    # A permanent failure is not retried.
    assert deliver(config, database(sqlite_url), later(60)).total("messages") == 0


def test_smtp_down_during_a_run_then_back_delivers_every_pending_digest_once(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=db_url,
            smtp_port=smtp.port,
            subscribers=[
                {"name": f"s{i}", "email": f"s{i}@example.org", "frequency": "immediate"} for i in range(3)
            ],
        )
    )
    ids = [add_announcement(db_url, f"Investor {i}") for i in range(2)]
    smtp.down()
    report = deliver(config, database(db_url))
    assert report.total("retry") == 6 and report.total("messages") == 0
    assert all("cannot connect" in r["last_error"] for r in ledger_rows(db_url))
    smtp.up()
    assert deliver(config, database(db_url), later(2)).total("messages") == 3
    assert deliver(config, database(db_url), later(30)).total("messages") == 0
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [f"s{i}@example.org" for i in range(3)]
    assert all(r.announcement_ids == ids for r in smtp.received)


def test_without_smtp_each_digest_is_an_eml_file_in_the_outbox_written_once(
    sqlite_url: str, tmp_path: Path
) -> None:
    config = load(write_config(tmp_path, database_url=sqlite_url))
    add_announcement(sqlite_url, "Pfizer <script>alert(1)</script>", title="../../../etc/passwd")
    deliver(config, database(sqlite_url))
    deliver(config, database(sqlite_url))
    outbox = tmp_path / "data" / "outbox"
    files = list(outbox.iterdir())
    assert len(files) == 1 and files[0].suffix == ".eml" and files[0].name.startswith("analyste-")
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "analyste@example.org" and message["List-Unsubscribe"]
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert not list(tmp_path.glob("**/passwd*"))


def test_a_daily_subscriber_gets_new_announcements_only_at_the_digest_time(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    at = (start + timedelta(hours=6)).astimezone(ZoneInfo("Europe/Paris"))
    config = load(
        write_config(
            tmp_path,
            database_url=db_url,
            smtp_port=smtp.port,
            subscribers=[
                {"name": "matin", "email": "matin@example.org", "frequency": "daily", "at": f"{at:%H:%M}"}
            ],
        )
    )
    first = add_announcement(db_url, "Amazon")
    # A new subscriber gets nothing at once: its first digest comes at its time, with the backfill.
    assert (
        deliver(config, database(db_url), DeliveryOptions(now=start + timedelta(seconds=1))).total("messages")
        == 0
    )
    second = add_announcement(db_url, "Pfizer")
    assert (
        deliver(config, database(db_url), DeliveryOptions(now=start + timedelta(hours=1))).total("messages")
        == 0
    )
    assert [r["state"] for r in ledger_rows(db_url)] == ["pending", "pending"]
    deliver(config, database(db_url), DeliveryOptions(now=start + timedelta(hours=6, seconds=30)))
    third = add_announcement(db_url, "Sanofi")
    # That digest moved the subscriber's clock: nothing more until tomorrow.
    assert (
        deliver(config, database(db_url), DeliveryOptions(now=start + timedelta(hours=7))).total("messages")
        == 0
    )
    assert (
        deliver(config, database(db_url), DeliveryOptions(now=start + timedelta(hours=30, seconds=30))).total(
            "sent"
        )
        == 1
    )
    assert [m.announcement_ids for m in smtp.received] == [[first, second], [third]]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_comes_from_environment_variables_and_the_password_is_never_logged(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from newswatch.config import load_config

    server = ScriptedSMTP(users={"newswatch": "p4ss-w0rd!"}).start()
    try:
        path = write_config(tmp_path, database_url=sqlite_url, smtp_port=server.port)
        text = path.read_text().replace(
            "timeout_seconds: 5",
            "timeout_seconds: 5\n    username: ${SMTP_USER}\n    password: ${SMTP_PASSWORD}",
        )
        path.write_text(text)
        add_announcement(sqlite_url)
        caplog.set_level("DEBUG")
        wrong = load_config(path, env={"SMTP_USER": "newswatch", "SMTP_PASSWORD": "nope"})
        assert deliver(wrong, database(sqlite_url)).total("retry") == 1 and server.received == []
        right = load_config(path, env={"SMTP_USER": "newswatch", "SMTP_PASSWORD": "p4ss-w0rd!"})
        assert deliver(right, database(sqlite_url), later(2)).total("sent") == 1
        assert server.logins == ["newswatch"] and len(server.received) == 1
        assert "p4ss-w0rd!" not in caplog.text and "p4ss-w0rd!" not in str(ledger_rows(sqlite_url))
        assert "535" in caplog.text  # the refused login is reported, the password is not
    finally:
        server.stop()
