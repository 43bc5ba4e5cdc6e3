"""Both languages complete: the catalogue, French typography, English digests with nothing French left
but what the articles said, figures that never break across lines, and clean mail subjects on the wire."""

from __future__ import annotations

import html
import json
import re
import string
from datetime import UTC, date, datetime, time
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from alerts_support import add_announcement, load, write_config
from db_support import database
from servers.smtp import ScriptedSMTP

from alerts.deliver import deliver
from alerts.digest import build_digest
from alerts.formats import split
from alerts.formats.registry import chat_format
from alerts.formatting import FR_MONTHS
from alerts.i18n import MESSAGES, NBSP, NNBSP, SECTORS_EN, labels, sectors_text, typeset
from alerts.view import AnnouncementView, SourceLink
from newswatch.config import Subscriber
from pipelines.detect import lexicon

NOW = datetime(2025, 5, 19, 6, 30, tzinfo=UTC)
# What the articles themselves said: quoted as written, in French, whatever the reader's language.
EVIDENCE = "Le groupe investira 7,03 milliards d'euros : un campus d'IA et 1 200 emplois à Fos-sur-Mer."
TITLE = "Choose France : 7 milliards pour l'IA à Fos"
URL = "https://www.lesechos.fr/industrie/nordvolt-fos-2094312"
FRENCH_SIGNS = re.compile(r" [;:!?»]|« ")
# A breakable space inside a figure, or between a figure and its unit or count.
BROKEN_FIGURE = re.compile(r"\d[ \t]+(?=\d|Md€|M€|€|milliards?\b|millions?\b|euros\b|emplois?\b)")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for key, (fr, en) in MESSAGES.items():
        assert fr and en, key
        assert placeholders(fr) == placeholders(en), key


def test_french_messages_are_written_with_a_space_where_french_puts_one_and_typeset_with_a_narrow_one() -> (
    None
):
    for key, (fr, _) in MESSAGES.items():
        # A sign glued to its word in the source would escape `typeset`: the catalogue must not have one.
        assert not re.search(r"[^\s{}(][;:!?»]|«[^\s]", fr), (key, fr)
        typeset_fr = labels("fr")[key]
        assert not FRENCH_SIGNS.search(typeset_fr), (key, typeset_fr)
    assert labels("fr")["colon"] == f"{NNBSP}:" and labels("fr")["quote_open"] == f"«{NNBSP}"
    assert labels("fr")["unsubscribe_confirm"].endswith(f"«{NNBSP}{{subscriber}}{NNBSP}» à {{email}}{NNBSP}?")
    assert typeset("Sources : x ; y ! « z »", "en") == "Sources : x ; y ! « z »"


def test_english_messages_carry_no_french_typography() -> None:
    for key, (_, en) in MESSAGES.items():
        assert not FRENCH_SIGNS.search(en) and NNBSP not in en and NBSP not in en, (key, en)
        assert "«" not in en and "»" not in en, (key, en)


def test_every_sector_the_detector_can_name_has_an_english_rendering() -> None:
    table = lexicon.table("sectors")
    labels_used = {row["label"] for part in ("labels", "company_nouns", "name_words") for row in table[part]}
    assert labels_used, "the detector's sector table is empty: where did it go?"
    missing = sorted(labels_used - set(SECTORS_EN))
    assert not missing, f"sector labels without an English rendering in alerts/i18n.py: {missing}"
    assert sectors_text("IA, énergie, logistique", "en") == "AI, energy, logistics"
    assert sectors_text("IA, énergie, logistique", "fr") == "IA, énergie, logistique"


def view(id: int, **fields: object) -> AnnouncementView:
    base: dict[str, object] = dict(
        investor="Nordvolt",
        amount_eur=7.03e9,
        locations=("Fos-sur-Mer",),
        sector="IA, énergie, logistique",
        jobs=1200,
        edition=2025,
        evidence=EVIDENCE,
        first_seen_at=NOW,
        sources=(SourceLink(URL, TITLE, "lesechos", date(2025, 5, 1)),),
    )
    base.update(fields)
    return AnnouncementView(id=id, **base)  # type: ignore[arg-type]


VIEWS = [
    view(1),
    view(2, investor="Pharmalys", amount_eur=850_000, jobs=None, sector="pharmacie, santé", edition=2024),
    view(
        3,
        investor="Hexa Data",
        amount_eur=None,
        amount_text="2 milliards de dollars",
        currency="USD",
        sector="data centers, cloud",
        jobs=35,
    ),
]


def digest_for(lang: str):  # type: ignore[no-untyped-def]
    reader = Subscriber.model_validate(
        {
            "name": "lecteur",
            "email": "lecteur@example.org",
            "language": lang,
            "frequency": "weekly",
            "day": "wed",
            "at": time(8, 0),
        }
    )
    return build_digest(VIEWS, reader, operator="ops@example.org", now=NOW)


def visible(page: str) -> str:
    """The text an HTML digest shows (tags become line breaks, so no two cells run together)."""
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def without_article_text(text: str) -> str:
    """The digest less what came from the articles (quoted evidence, titles, links, places, original amounts)."""
    for quoted in (EVIDENCE, TITLE, URL, "Fos-sur-Mer", "2 milliards de dollars"):
        text = text.replace(quoted, "")
    return text


def test_an_english_digest_keeps_no_french_label_sector_or_typography() -> None:
    digest = digest_for("en")
    french_words = {fr for fr, en in MESSAGES.values() if fr != en}
    french_fragments = {
        part.strip() for fr in french_words for part in re.split(r"\{\w+\}", fr) if len(part.strip()) >= 4
    }
    french_sectors = {label for label, english in SECTORS_EN.items() if label != english}
    for part, text in (("text", digest.text), ("html", visible(digest.html)), ("subject", digest.subject)):
        shown = without_article_text(text)
        assert NNBSP not in shown and NBSP not in shown, part
        assert not FRENCH_SIGNS.search(shown) and "«" not in shown and "»" not in shown, part
        assert "Md€" not in shown and "M€" not in shown and not re.search(r"\d,\d{1,2}\b", shown), part
        for fragment in french_fragments:
            assert fragment not in shown, (part, fragment)
        for label in french_sectors:
            assert not re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", shown), (part, label)
        for month in FR_MONTHS:
            assert not re.search(rf"\b{month}\b", shown), (part, month)
    for expected in (
        "Sources:",
        "Sector: AI, energy, logistics",
        "Sector: pharmaceuticals, health",
        "Sector: data centres, cloud",
        "€7.03 billion",
        "€850,000",
        "Total amount announced:",
        "1,200",
        "every week, on Wednesday at 08:00",
        "1 May 2025",
        "Amount: 2 milliards de dollars",
    ):
        assert expected in digest.text, expected
    assert digest.subject == "newswatch: 3 new investment announcements (€7.03bn)"
    # The article's own words stay as written, in French.
    assert EVIDENCE in digest.text and EVIDENCE in html.unescape(digest.html)


@pytest.mark.parametrize("fmt", ["slack", "mattermost", "teams", "discord", "googlechat"])
def test_an_english_chat_post_names_sectors_in_english(fmt: str) -> None:
    [post] = split(chat_format(fmt), VIEWS[:1], "en")
    text = without_article_text(json.dumps(post.payload, ensure_ascii=False))
    assert "AI, energy, logistics" in text and "€7.03bn" in text
    assert "énergie" not in text and NNBSP not in text and NBSP not in text
    [post] = split(chat_format(fmt), VIEWS[:1], "fr")
    text = json.dumps(post.payload, ensure_ascii=False)
    assert "IA, énergie, logistique" in text and f"7,03{NBSP}Md€" in text


def test_a_french_digest_has_no_breakable_space_inside_a_figure_and_french_spacing_around_signs() -> None:
    digest = digest_for("fr")
    for part, text in (("text", digest.text), ("html", visible(digest.html)), ("subject", digest.subject)):
        shown = without_article_text(text)
        assert not BROKEN_FIGURE.search(shown), (part, BROKEN_FIGURE.search(shown))
        assert not FRENCH_SIGNS.search(shown), (part, FRENCH_SIGNS.search(shown))
    for expected in (
        f"7,03{NBSP}milliards d'euros",
        f"850{NNBSP}000{NBSP}euros",
        f"1{NNBSP}200",
        f"Sources{NNBSP}:",
        f"Secteur{NNBSP}: IA, énergie, logistique",
        f"1er{NBSP}mai 2025",
        f"«{NNBSP}{EVIDENCE}{NNBSP}»",
        "chaque semaine, le mercredi à 08:00",
    ):
        assert expected in digest.text, expected
    assert f"7,03{NBSP}Md€" in digest.html
    assert digest.subject == f"newswatch{NNBSP}: 3 nouvelles annonces d'investissement (7,03{NBSP}Md€)"


def raw_subject(data: bytes) -> list[bytes]:
    """The Subject header's physical lines as they went over SMTP."""
    lines = data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].split(b"\n")
    start = next(i for i, line in enumerate(lines) if line.lower().startswith(b"subject:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i][:1].isspace()), len(lines))
    return lines[start:end]


@pytest.mark.parametrize(
    ("lang", "investors", "subject"),
    [
        ("fr", 12, f"newswatch{NNBSP}: 12 nouvelles annonces d'investissement (84,4{NBSP}Md€)"),
        ("fr", 1, f"newswatch{NNBSP}: 1 nouvelle annonce d'investissement (7,03{NBSP}Md€)"),
        ("en", 12, "newswatch: 12 new investment announcements (€84.4bn)"),
    ],
)
def test_mail_subjects_on_the_wire_decode_to_the_subject_without_folding_artefacts(
    sqlite_url: str, smtp: ScriptedSMTP, tmp_path: Path, lang: str, investors: int, subject: str
) -> None:
    config = load(
        write_config(
            tmp_path,
            database_url=sqlite_url,
            smtp_port=smtp.port,
            subscribers=[
                {
                    "name": "lecteur",
                    "email": "lecteur@example.org",
                    "frequency": "immediate",
                    "language": lang,
                }
            ],
        )
    )
    for n in range(investors):
        add_announcement(sqlite_url, f"Investisseur {n}", amount_eur=7.03e9)
    assert deliver(config, database(sqlite_url)).total("messages") == 1
    [received] = smtp.received
    lines = raw_subject(received.data)
    assert all(len(line) <= 78 and line.isascii() for line in lines), lines
    value = b"".join(lines).decode("ascii").split(":", 1)[1]  # RFC 5322 unfolding: drop the line breaks
    words = re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", value)
    assert all(len(word) <= 75 for word in words), words  # RFC 2047's limit for one encoded word
    # What a mail reader shows: RFC 2047 decoding (white space between encoded words dropped).
    shown = str(make_header(decode_header(value)))
    assert shown == subject and "  " not in shown
    assert message_from_bytes(received.data, policy=policy.default)["Subject"] == subject
