"""What the alerts say: amounts in French and English, filters, digest content, escaping per markup."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime, time

import pytest

from alerts.digest import build_digest
from alerts.email import safe_file_name
from alerts.filters import matches
from alerts.formats import split
from alerts.formats.registry import chat_format
from alerts.formatting import format_amount, format_jobs
from alerts.http import parse_retry_after, redact
from alerts.schedules import digest_due
from alerts.signing import secret_key, sign
from alerts.view import AnnouncementView, SourceLink
from newswatch.config import Filters, Subscriber

NOW = datetime(2024, 5, 13, 9, 30, tzinfo=UTC)
HOSTILE = "<script>alert('x')</script> & <!channel> @everyone *gras* [lien](http://evil.example)"


def view(id: int = 1, **fields: object) -> AnnouncementView:
    base: dict[str, object] = dict(
        investor="Microsoft",
        amount_eur=4e9,
        locations=("Paris", "Mulhouse"),
        sector="cloud et intelligence artificielle",
        jobs=1200,
        edition=2024,
        evidence="Microsoft investira 4 milliards d'euros dans de nouveaux centres de données.",
        first_seen_at=NOW,
        sources=(
            SourceLink(
                "https://www.maddyness.com/2024/05/13/microsoft-4-milliards/",
                "Microsoft mise 4 Md€",
                "maddyness",
                date(2024, 5, 13),
            ),
            SourceLink(
                "https://www.lesechos.fr/tech/microsoft-france-2094312",
                "Le pari français de Microsoft",
                "lesechos",
                date(2024, 5, 14),
            ),
        ),
    )
    base.update(fields)
    return AnnouncementView(id=id, **base)  # type: ignore[arg-type]


def subscriber(**fields: object) -> Subscriber:
    return Subscriber.model_validate({"name": "analyste", "email": "analyste@example.org", **fields})


# French figures keep to one line: a no-break space (U+00A0) before the unit, a narrow no-break space
# (U+202F) between groups of digits.
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("amount", "fr_short", "fr_long", "en_short", "en_long"),
    [
        (4e9, "4\u00a0Md€", "4\u00a0milliards d'euros", "€4bn", "€4 billion"),
        (1.2e9, "1,2\u00a0Md€", "1,2\u00a0milliard d'euros", "€1.2bn", "€1.2 billion"),
        (7.03e9, "7,03\u00a0Md€", "7,03\u00a0milliards d'euros", "€7.03bn", "€7.03 billion"),
        (45e6, "45\u00a0M€", "45\u00a0millions d'euros", "€45m", "€45 million"),
        (1e6, "1\u00a0M€", "1\u00a0million d'euros", "€1m", "€1 million"),
        (2.25e9, "2,25\u00a0Md€", "2,25\u00a0milliards d'euros", "€2.25bn", "€2.25 billion"),
        (150e6, "150\u00a0M€", "150\u00a0millions d'euros", "€150m", "€150 million"),
        (800_000, "800\u202f000\u00a0€", "800\u202f000\u00a0euros", "€800,000", "€800,000"),
        (999.9e6, "1\u00a0Md€", "1\u00a0milliard d'euros", "€1bn", "€1 billion"),
    ],
)
def test_amounts_read_the_french_way_and_the_english_way(
    amount, fr_short, fr_long, en_short, en_long
) -> None:
    assert format_amount(amount) == fr_short
    assert format_amount(amount, style="long") == fr_long
    assert format_amount(amount, "en") == en_short
    assert format_amount(amount, "en", "long") == en_long


def test_unknown_amount_and_jobs_render_as_nothing_rather_than_zero() -> None:
    assert format_amount(None) is None
    assert format_jobs(None) is None
    assert format_jobs(1) == f"1{NBSP}emploi" and format_jobs(1200) == f"1{NNBSP}200{NBSP}emplois"
    assert format_jobs(1200, "en") == "1,200 jobs"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, True),
        ({"min_amount_eur": 1e9}, True),
        ({"min_amount_eur": 5e9}, False),
        ({"editions": [2023, 2024]}, True),
        ({"editions": [2025]}, False),
        ({"sectors": ["Intelligence Artificielle"]}, True),
        ({"sectors": ["pharmacie"]}, False),
        ({"regions": ["grand est"]}, True),  # by région: Mulhouse lies in Grand Est
        ({"regions": ["Alsace"]}, True),  # a former région that lies wholly in it
        ({"regions": ["11"]}, True),  # INSEE code of Île-de-France (Paris)
        ({"regions": ["Hauts-de-France"]}, False),
        ({"investors": ["microsoft"]}, True),
        ({"investors": ["Amazon", "Pfizer"]}, False),
        ({"keywords": ["centres de donnees"]}, True),  # accents folded, found in the evidence
        ({"keywords": ["pari français"]}, True),  # found in a source title
        ({"keywords": ["IA"]}, False),  # whole words only: not inside "MIAmi" or "social"
        (
            {"min_amount_eur": 1e9, "investors": ["Microsoft"], "editions": [2023]},
            False,
        ),  # AND across filters
    ],
)
def test_filters_select_by_amount_edition_sector_region_investor_and_keywords(filters, expected) -> None:
    assert matches(view(), Filters.model_validate(filters)) is expected


def test_a_minimum_amount_excludes_announcements_without_a_figure() -> None:
    assert not matches(view(amount_eur=None), Filters(min_amount_eur=1))
    assert matches(view(amount_eur=None), Filters(min_amount_eur=0))


def test_french_digest_lists_every_field_totals_every_source_and_the_footer() -> None:
    views = [
        view(1),
        view(
            2,
            investor="Pfizer",
            amount_eur=520e6,
            jobs=None,
            edition=2023,
            sector="santé",
            locations=("Grange-Castle",),
            sources=(SourceLink("https://frenchweb.fr/pfizer", "Pfizer", "frenchweb"),),
        ),
    ]
    digest = build_digest(
        views, subscriber(frequency="daily", at=time(8, 0)), operator="ops@example.org", now=NOW
    )
    assert digest.subject == f"newswatch{NNBSP}: 2 nouvelles annonces d'investissement (4,52{NBSP}Md€)"
    for text in (digest.text, html.unescape(digest.html)):
        for expected in (
            "Microsoft",
            f"4{NBSP}Md€",
            f"4{NBSP}milliards d'euros",
            "Paris (Île-de-France), Mulhouse (Grand Est)",
            "cloud et intelligence artificielle",
            f"1{NNBSP}200",
            "Choose France 2024",
            "Choose France 2023",
            "Microsoft investira 4 milliards",
            "Pfizer",
            f"520{NBSP}millions d'euros",
            f"4,52{NBSP}milliards d'euros",
            "Montant total annoncé",
            "ops@example.org",
            "chaque jour à 08:00",
            "https://www.maddyness.com/2024/05/13/microsoft-4-milliards/",
            "https://www.lesechos.fr/tech/microsoft-france-2094312",
            "https://frenchweb.fr/pfizer",
        ):
            assert expected in text, expected
    assert "(sur 2 annonces chiffrées)" not in digest.text
    assert 'href="https://www.lesechos.fr/tech/microsoft-france-2094312"' in digest.html
    assert "mailto:ops@example.org?subject=unsubscribe%20analyste" in digest.html
    # Table layout with inline styles, no stylesheet a mail client would strip.
    assert "<table" in digest.html and "<style" not in digest.html and 'style="' in digest.html


def test_english_digest_uses_english_words_and_amounts() -> None:
    digest = build_digest(
        [view()],
        subscriber(language="en", frequency="weekly", day="fri"),
        operator="ops@example.org",
        now=NOW,
    )
    assert digest.subject == "newswatch: 1 new investment announcement (€4bn)"
    for expected in (
        "New investment announcements",
        "€4 billion",
        "Locations",
        "Sector",
        "Jobs",
        "1,200",
        "every week, on Friday at 08:00",
        "To change your preferences",
        "13 May 2024",
    ):
        assert expected in digest.text, expected
    assert (
        "Montant" not in digest.text
        and "Lieux" not in digest.text
        and "milliards d'euros\n" not in digest.text
    )


def test_page_text_is_escaped_in_the_html_digest_and_javascript_links_are_not_links() -> None:
    hostile = view(
        investor=HOSTILE,
        evidence='"><img src=x onerror=alert(1)>',
        sources=(
            SourceLink("javascript:alert(document.cookie)", "<script>steal()</script>", "evil"),
            SourceLink('https://ok.example/a"onmouseover="x', "ok", "ok"),
        ),
    )
    digest = build_digest([hostile], subscriber(), operator="ops@example.org", now=NOW)
    assert "<script>" not in digest.html and "<img" not in digest.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in digest.html
    assert "&lt;script&gt;steal()&lt;/script&gt;" in digest.html
    assert 'href="javascript:' not in digest.html
    assert 'href="https://ok.example/a&#34;onmouseover=&#34;x"' in digest.html
    # The plain-text part shows the page text as it was.
    assert HOSTILE in digest.text


def test_an_empty_digest_says_nothing_is_new() -> None:
    digest = build_digest([], subscriber(send_empty=True), operator="ops@example.org", now=NOW)
    assert digest.subject == f"newswatch{NNBSP}: aucune nouvelle annonce"
    assert "Aucune nouvelle annonce" in digest.text and digest.count == 0


def _chat_text(fmt: str, payload: dict) -> str:
    if fmt == "slack":
        return "\n".join(b["text"]["text"] for b in payload["blocks"] if b["type"] == "section")
    if fmt == "teams":
        return "\n".join(_teams_runs(payload))
    if fmt == "discord":
        return "\n".join(f"{e['title']}\n{e.get('description', '')}" for e in payload["embeds"])
    if fmt == "googlechat":
        return "\n".join(
            w["textParagraph"]["text"]
            for c in payload["cardsV2"]
            for s in c["card"]["sections"]
            for w in s["widgets"]
        )
    return payload["text"]


def _teams_elements(payload: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload["attachments"][0]["content"]["body"])
    return found


def _teams_runs(payload: dict) -> list[str]:
    return [e["text"] for e in _teams_elements(payload) if e.get("type") == "TextRun"]


def render(fmt: str, views: list[AnnouncementView], lang: str = "fr") -> dict:
    [post] = split(chat_format(fmt), views, lang)
    return post.payload


@pytest.mark.parametrize("fmt", ["slack", "googlechat", "mattermost", "discord", "teams"])
def test_chat_posts_escape_page_text_for_their_markup(fmt: str) -> None:
    payload = render(
        fmt, [view(investor=HOSTILE, sources=(SourceLink("https://a.example/x", "[t](http://evil)", "s"),))]
    )
    text = _chat_text(fmt, payload)
    if fmt == "slack":
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "<script>" not in text
        assert "<https://a.example/x|" in text  # our own link stays a link
    elif fmt == "googlechat":
        # Card text is HTML: page text is entity-escaped, our own link is an <a href>.
        assert "<!channel>" not in text and "&lt;!channel&gt;" in text and "<script>" not in text
        assert '<a href="https://a.example/x">[t](http://evil) (s)</a>' in text
        assert "&lt;!channel&gt;" in payload["text"] and "<script>" not in payload["text"]
    elif fmt == "teams":
        # TextRuns read no Markdown: the page text is shown exactly as written, with no backslash added.
        assert not any(e.get("type") == "TextBlock" for e in _teams_elements(payload))
        assert HOSTILE in _teams_runs(payload) and "\\" not in text
        [link] = [e for e in _teams_elements(payload) if e.get("type") == "TextRun" and "selectAction" in e]
        assert link["selectAction"] == {"type": "Action.OpenUrl", "url": "https://a.example/x"}
        assert link["text"] == "[t](http://evil) (s)"
    else:
        # Markdown: brackets, parentheses, stars and angle brackets from the page are backslash-escaped.
        assert "[lien](http://evil.example)" not in text and r"\[lien\]\(http" in text
        assert "*gras*" not in text and "<script>" not in text
        assert "(https://a.example/x" in text or "(<https://a.example/x>)" in text
    if fmt in ("mattermost", "discord"):
        assert "@everyone" not in text  # a word joiner defuses the mention
    if fmt == "discord":
        assert payload["allowed_mentions"] == {"parse": []} and len(payload["content"]) <= 2000
    assert f"4{NBSP}Md€" in text and "Choose France 2024" in text


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("fr", "Microsoft — 4\u00a0Md€", "3 annonces Choose France, dont Prologis (6,4\u00a0Md€)"),
        ("en", "Microsoft — €4bn", "3 Choose France announcements, including Prologis (€6.4bn)"),
    ],
)
def test_slack_and_teams_notifications_name_the_investor_or_the_count_and_the_largest(
    lang, one, many
) -> None:
    batch = [
        view(1),
        view(2, investor="Prologis", amount_eur=6.4e9),
        view(3, investor="Pfizer", amount_eur=None),
    ]
    for views, expected in (([view(1)], one), (batch, many)):
        slack, teams = render("slack", views, lang), render("teams", views, lang)
        assert slack["text"] == expected
        assert teams["summary"] == expected == teams["attachments"][0]["content"]["fallbackText"]
    # Page text in Slack's notification is escaped like the rest of the message.
    assert render("slack", [view(investor="<!channel> SA", amount_eur=None)])["text"] == "&lt;!channel&gt; SA"


def test_json_payload_is_the_standard_webhooks_envelope_around_structured_records() -> None:
    later = view(2, investor="Pfizer", first_seen_at=datetime(2024, 5, 13, 11, 0, tzinfo=UTC))
    payload = render("json", [view(), later])
    assert set(payload) == {"type", "timestamp", "data"} and payload["type"] == "announcements.new"
    # When the event happened: the newest announcement's first sighting, the same on every retry.
    assert payload["timestamp"] == "2024-05-13T11:00:00+00:00"
    assert payload["data"]["language"] == "fr" and len(payload["data"]["announcements"]) == 2
    record = payload["data"]["announcements"][0]
    assert (
        record["amount_eur"] == 4e9
        and record["amount_display"] == f"4{NBSP}Md€"
        and record["edition"] == 2024
    )
    assert [s["url"] for s in record["sources"]][1] == "https://www.lesechos.fr/tech/microsoft-france-2094312"
    json.dumps(payload)


def test_signature_key_is_the_base64_after_whsec_and_nothing_else_is_a_secret() -> None:
    assert secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == __import__("base64").b64decode(
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    )
    assert secret_key("whsec_c2VjcmV0MTI") == b"secret12"  # padding optional
    with pytest.raises(ValueError, match="whsec_"):
        secret_key("plain secret")
    # The example from the Standard Webhooks specification.
    body = b'{"test": 2432232314}'
    assert (
        sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Mon, 13 May 2024 09:30:30 GMT", now=NOW) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_error_messages_never_carry_the_webhook_url_or_its_token() -> None:
    url = "https://hooks.slack.com/services/T000/B000/XXXXSECRET?x=1"
    message = "HTTPSConnectionPool(host='hooks.slack.com'): Max retries exceeded with url: /services/T000/B000/XXXXSECRET?x=1"
    assert "XXXXSECRET" not in redact(message, url) and "XXXXSECRET" not in redact(f"bad {url}", url)


def test_outbox_file_names_are_sanitised() -> None:
    name = safe_file_name("../../etc/passwd", "a/b\\c:d*e")
    assert "/" not in name and "\\" not in name and not name.startswith(".") and name.endswith(".eml")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name)


@pytest.mark.parametrize(
    ("settings", "last", "now", "due"),
    [
        ({"frequency": "immediate"}, "2024-05-13T09:00", "2024-05-13T09:01", True),
        # Daily at 08:00 Paris (06:00 UTC in May): due once 06:00 UTC has passed since the last digest.
        ({"frequency": "daily", "at": "08:00"}, "2024-05-12T06:00:05", "2024-05-13T05:59", False),
        ({"frequency": "daily", "at": "08:00"}, "2024-05-12T06:00:05", "2024-05-13T06:00:01", True),
        (
            {"frequency": "daily", "at": "08:00", "timezone": "America/New_York"},
            "2024-05-12T12:00:05",
            "2024-05-13T11:59",
            False,
        ),
        (
            {"frequency": "weekly", "day": "mon", "at": "07:30"},
            "2024-05-06T05:30:05",
            "2024-05-12T20:00",
            False,
        ),
        (
            {"frequency": "weekly", "day": "mon", "at": "07:30"},
            "2024-05-06T05:30:05",
            "2024-05-13T05:31",
            True,
        ),
        ({"frequency": "cron", "cron": "0 */6 * * *"}, "2024-05-13T00:00:01", "2024-05-13T03:59", False),
        ({"frequency": "cron", "cron": "0 */6 * * *"}, "2024-05-13T00:00:01", "2024-05-13T04:00:01", True),
    ],
)
def test_digest_is_due_when_a_digest_time_passed_in_the_subscribers_time_zone(
    settings, last, now, due
) -> None:
    parse = lambda s: datetime.fromisoformat(s).replace(tzinfo=UTC)  # noqa: E731
    assert (
        digest_due(
            subscriber(**settings),
            last_sent_at=parse(last),
            first_seen=parse("2024-01-01T00:00"),
            now=parse(now),
        )
        is due
    )
