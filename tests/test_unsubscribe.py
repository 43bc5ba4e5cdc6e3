"""One-click unsubscribe (RFC 8058): signed links in the digests, the POST that records the choice,
and digests that stop for that subscriber only, across restarts and config edits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import subprocess
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from alerts_support import add_announcement, child_env, load, newswatch_cmd, write_config
from db_support import database, session_scope
from servers.smtp import ScriptedSMTP
from web_support import serving

from alerts.deliver import deliver
from alerts.unsubscribe import Recipient, make_token, read_token, resolve, unsubscribe_url
from newswatch.config import ConfigError, Subscriber, parse_config

SECRET = "s3cret-for-the-tests-0123456789"
SUBSCRIBERS = [
    {"name": "alice", "email": "Alice@Example.org", "frequency": "immediate"},
    {"name": "bob", "email": "bob@example.org", "frequency": "immediate", "language": "en"},
]


def old_form_token(secret: str, recipient: Recipient) -> str:
    """A link as the first digests carried it: the name and address in base64, signed under purpose v1."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    payload = b64(f"{recipient.subscriber}\n{recipient.email}".encode())
    mac = hmac.new(secret.encode(), b"newswatch-unsubscribe-v1\n" + payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{b64(mac[:16])}"


def spellings(text: str) -> set[str]:
    """The ways an address could hide in a URL: as is, and base64 in any alignment."""
    found = {text, text.replace("@", "%40")}
    for pad in range(3):
        encoded = base64.urlsafe_b64encode(b"x" * pad + text.encode()).decode().rstrip("=")
        found.add(encoded[(pad * 4 + 2) // 3 + 1 : -2])
    return found


def test_a_token_names_the_subscriber_but_not_the_address() -> None:
    alice = Subscriber(name="alice", email="Alice@Example.org")
    token = make_token(SECRET, Recipient("alice", "alice@example.org"))
    assert token.startswith("alice.") and len(token) < 64
    for hidden in ("alice@example.org", "Alice@Example.org", "example.org", "Example.org"):
        assert not any(spelling in token for spelling in spellings(hidden)), hidden
    assert resolve(SECRET, token, [alice]) == Recipient("alice", "alice@example.org")
    assert Recipient("alice", "alice@example.org").shown_email == "a…@example.org"


def test_a_forged_altered_or_old_form_token_is_refused() -> None:
    other = "another secret of enough length"
    alice, bob = Recipient("alice", "alice@example.org"), Recipient("bob", "bob@example.org")
    token = make_token(SECRET, alice)
    name, key, signature = token.split(".")
    bob_name, bob_key, _ = make_token(SECRET, bob).split(".")
    for forged in (
        f"{bob_name}.{key}.{signature}",
        f"{name}.{bob_key}.{signature}",
        f"{name}.{key}.{signature[:-2]}AA",
        f"{name}.{key}.",
        f"{name}.{key}",
        f".{key}.{signature}",
        "",
        "..",
        f"{name}.{key}.!!!",
        f"../{name}.{key}.{signature}",
        token + "A" * 300,
        make_token(other, alice),
        old_form_token(SECRET, alice),
        old_form_token(other, alice),
    ):
        assert read_token(SECRET, forged) is None, forged
        assert resolve(SECRET, forged, [Subscriber(name="alice", email="alice@example.org")]) is None, forged


def test_a_token_stops_working_when_the_address_changes_or_the_subscriber_goes() -> None:
    token = make_token(SECRET, Recipient("alice.martin", "alice@example.org"))
    assert read_token(SECRET, token) is not None  # still genuine ...
    moved = [Subscriber(name="alice.martin", email="alice@new.example.org")]
    assert resolve(SECRET, token, moved) is None  # ... but not for the address she has now
    assert resolve(SECRET, token, [Subscriber(name="bob", email="alice@example.org")]) is None
    assert resolve(SECRET, token, []) is None
    back = [
        Subscriber(name="bob", email="bob@example.org"),
        Subscriber(name="alice.martin", email="ALICE@example.org"),
    ]
    assert resolve(SECRET, token, back) == Recipient("alice.martin", "alice@example.org")


def _config(tmp_path: Path, web: dict[str, object]) -> str:
    return "mail: {operator: ops@example.org}\nweb:\n" + "".join(f"  {k}: {v}\n" for k, v in web.items())


@pytest.mark.parametrize(
    ("web", "message"),
    [
        (
            {"base_url": "https://veille.example.org"},
            ", line 2: web: base_url is set but secret is not: digests sign their unsubscribe links with it",
        ),
        (
            {"base_url": "http://veille.example.org", "secret": SECRET},
            ", line 3: web.base_url: must be an https:// URL",
        ),
        (
            {"base_url": "https://veille.example.org", "secret": "court"},
            ", line 4: web.secret: must be at least 16 characters",
        ),
    ],
)
def test_a_web_section_that_cannot_sign_links_is_a_one_line_config_error(
    tmp_path: Path, web: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(_config(tmp_path, web), tmp_path / "config.yaml", env={})
    assert str(caught.value).startswith(f"{tmp_path / 'config.yaml'}{message}") and "\n" not in str(
        caught.value
    )
    assert "court" not in str(caught.value)


def test_the_secret_comes_from_the_environment(tmp_path: Path) -> None:
    text = _config(tmp_path, {"base_url": "https://veille.example.org/", "secret": "${NW_SECRET}"})
    config = parse_config(text, tmp_path / "config.yaml", env={"NW_SECRET": SECRET})
    assert config.web.secret is not None and config.web.secret.get_secret_value() == SECRET
    assert config.web.url() == "https://veille.example.org"
    with pytest.raises(ConfigError, match="web.secret: environment variable NW_SECRET is not set"):
        parse_config(text, tmp_path / "config.yaml", env={})


def _headers_of(smtp: ScriptedSMTP, address: str) -> list[tuple[str, str]]:
    return [(m.message["List-Unsubscribe"], m.message["List-Unsubscribe-Post"]) for m in smtp.to(address)]


def test_one_click_post_stops_the_next_digest_to_that_subscriber_only(
    db_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config_path = write_config(
        tmp_path, database_url=db_url, smtp_port=smtp.port, subscribers=SUBSCRIBERS, web={"secret": SECRET}
    )
    with serving(config_path, db_url, tmp_path / "serve.log") as view:
        # The digests link to where the view answers (an operator sets base_url to its public address).
        config_path = write_config(
            tmp_path,
            database_url=db_url,
            smtp_port=smtp.port,
            subscribers=SUBSCRIBERS,
            web={"secret": SECRET, "base_url": view.url},
        )
        first = add_announcement(db_url, "Microsoft", amount_eur=4e9)
        deliver(load(config_path), database(db_url))
        [(alice_link, post_header)] = _headers_of(smtp, "Alice@example.org")
        [(bob_link, _)] = _headers_of(smtp, "bob@example.org")
        assert post_header == "List-Unsubscribe=One-Click"
        https, mailto = (part.strip(" <>") for part in alice_link.split(","))
        assert (
            https.startswith(f"{view.url}unsubscribe/")
            and mailto == "mailto:ops@newswatch.example.org?subject=unsubscribe%20alice"
        )
        alice_path = urlsplit(https).path
        # On the wire as written, not as an RFC 2047 encoded word that no mail client reads as a URL.
        raw = smtp.to("Alice@example.org")[0].data
        assert f"\nList-Unsubscribe: <{https}>, <{mailto}>".encode() in raw.replace(b"\r\n", b"\n")
        plain = message_from_bytes(bytes(smtp.to("Alice@example.org")[0].message), policy=policy.default)
        assert https in plain.get_body(("plain",)).get_content()

        # The link shows who it is for by name only: no address in the URL, nor in the server's log.
        assert not any(spelling in https for spelling in spellings("alice@example.org"))

        # A forged token, or one of the old form (the address in clear) signed with the right secret,
        # is refused and records nothing.
        name, key, signature = alice_path.rsplit("/", 1)[1].split(".")
        bob_name = urlsplit(bob_link.split(",")[0].strip(" <>")).path.rsplit("/", 1)[1].split(".")[0]
        for forged in (
            f"{bob_name}.{key}.{signature}",
            f"{name}.{key}.{signature[::-1]}",
            "x.y",
            old_form_token(SECRET, Recipient("alice", "alice@example.org")),
        ):
            refused = view.post(f"/unsubscribe/{forged}", data={"List-Unsubscribe": "One-Click"})
            assert refused.status_code == 403 and 'data-state="invalid"' in refused.text
            assert "Traceback" not in refused.text
        # Link checkers fetch with GET: that only shows a button, and the address only in part.
        shown = view.get(alice_path)
        assert shown.status_code == 200 and 'data-state="confirm"' in shown.text
        assert "a…@example.org" in shown.text and "alice@example.org" not in shown.text

        accepted = view.post(alice_path, data={"List-Unsubscribe": "One-Click"})
        assert accepted.status_code == 200 and 'data-state="done"' in accepted.text
        again = view.post(alice_path, data={"List-Unsubscribe": "One-Click"})
        assert again.status_code == 200 and 'data-state="already"' in again.text

    # Next digest: Bob only. The choice is in the database: a new process and an edited config
    # (a subscriber added) still honour it.
    subscribers = [*SUBSCRIBERS, {"name": "carol", "email": "carol@example.org", "frequency": "immediate"}]
    config_path = write_config(
        tmp_path,
        database_url=db_url,
        smtp_port=smtp.port,
        subscribers=subscribers,
        web={"secret": SECRET, "base_url": "https://veille.example.org"},
    )
    second = add_announcement(db_url, "Pfizer", amount_eur=520e6)
    report = deliver(load(config_path), database(db_url))
    assert [m.announcement_ids for m in smtp.to("Alice@example.org")] == [[first]]
    assert [m.announcement_ids for m in smtp.to("bob@example.org")] == [[first], [second]]
    assert [m.announcement_ids for m in smtp.to("carol@example.org")] == [[first, second]]
    assert "email:alice" not in {c.channel for c in report.channels}

    listing = subprocess.run(
        newswatch_cmd(config_path, "subscribers"),
        env=child_env(db_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listing.returncode == 0, listing.stderr
    rows = {line.split()[0]: line for line in listing.stdout.splitlines()[1:-1]}
    assert "unsubscribed" in rows["alice"] and "(one-click)" in rows["alice"]
    assert rows["bob"].rstrip().endswith("active") and rows["carol"].rstrip().endswith("active")
    assert listing.stdout.splitlines()[-1] == "3 configured, 1 unsubscribed"

    # A view started anew over the edited config knows it too: the link now says it was done.
    with serving(config_path, db_url, tmp_path / "serve-again.log") as view:
        assert 'data-state="already"' in view.get(alice_path).text
        assert 'data-state="confirm"' in view.get(urlsplit(bob_link.split(",")[0].strip(" <>")).path).text
    assert "alice@example.org" not in (tmp_path / "serve.log").read_text().lower()


def test_a_link_follows_the_config_the_view_reads_now(sqlite_url: str, tmp_path: Path) -> None:
    """While the view runs, an address changes and a subscriber is added: the link sent to the old
    address is refused, the new ones work, without restarting the view."""
    web = {"secret": SECRET, "base_url": "https://veille.example.org"}
    config_path = write_config(tmp_path, database_url=sqlite_url, subscribers=SUBSCRIBERS, web=web)
    old_link = unsubscribe_url(load(config_path), load(config_path).subscribers[0])
    assert old_link is not None
    with serving(config_path, sqlite_url, tmp_path / "serve.log") as view:
        moved = [
            {**SUBSCRIBERS[0], "email": "alice@nouvelle.example.org"},
            SUBSCRIBERS[1],
            {"name": "carol", "email": "carol@example.org"},
        ]
        config_path = write_config(tmp_path, database_url=sqlite_url, subscribers=moved, web=web)
        new_alice, _, carol = (unsubscribe_url(load(config_path), s) for s in load(config_path).subscribers)
        assert new_alice is not None and carol is not None and new_alice != old_link

        refused = view.post(urlsplit(old_link).path, data={"List-Unsubscribe": "One-Click"})
        assert refused.status_code == 403 and 'data-state="invalid"' in refused.text
        for link in (new_alice, carol):
            done = view.post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
            assert done.status_code == 200 and 'data-state="done"' in done.text
        assert "unsubscribe refused: subscriber or address no longer configured" in view.log.read_text()

        # A config broken by an edit in progress: the view keeps the subscribers it last loaded.
        config_path.write_text("subscribers: [", encoding="utf-8")
        assert view.post(urlsplit(carol).path, data={"confirm": "yes"}).status_code == 200
        assert "config not reloaded" in view.log.read_text()

    from alerts import unsubscribe

    with session_scope(sqlite_url) as session:
        assert [(u.subscriber, u.email, u.via) for u in unsubscribe.unsubscriptions(session)] == [
            ("alice", "alice@nouvelle.example.org", "one-click"),
            ("carol", "carol@example.org", "one-click"),
        ]


def test_without_a_web_view_digests_keep_the_mailto_form_only(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path
) -> None:
    config = load(
        write_config(tmp_path, database_url=sqlite_url, smtp_port=smtp.port, subscribers=SUBSCRIBERS[1:])
    )
    add_announcement(sqlite_url, "Microsoft")
    deliver(config, database(sqlite_url))
    [(header, post)] = _headers_of(smtp, "bob@example.org")
    assert header == "<mailto:ops@newswatch.example.org?subject=unsubscribe%20bob>" and post is None


def test_the_operator_can_restore_a_subscriber(sqlite_url: str, tmp_path: Path) -> None:
    from alerts import unsubscribe

    config_path = write_config(tmp_path, database_url=sqlite_url, subscribers=SUBSCRIBERS)
    with session_scope(sqlite_url) as session:
        assert unsubscribe.record(session, Recipient("bob", "bob@example.org"), via="page")
    run = subprocess.run(
        newswatch_cmd(config_path, "subscribers", "--restore", "bob"),
        env=child_env(sqlite_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and "bob gets digests again" in run.stdout
    with session_scope(sqlite_url) as session:
        assert unsubscribe.stopped_channels(session, load(config_path).subscribers) == set()
    again = subprocess.run(
        newswatch_cmd(config_path, "subscribers", "--restore", "bob"),
        env=child_env(sqlite_url),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1 and "has not unsubscribed" in again.stderr
