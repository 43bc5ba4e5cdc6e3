"""Amounts, head counts and dates as a French (default) or English reader expects them: the one place
where newswatch turns a figure into text, for digests, chat posts, the web view, the CLI and its CSV.

    format_amount(7.03e9)                  -> "7,03 Md€"   no-break space (U+00A0) before the unit
    format_amount(1.2e9, style="long")     -> "1,2 milliard d'euros"
    format_amount(1200)                    -> "1 200 €"    narrow no-break space (U+202F) between groups
    format_amount(7.03e9, "en")            -> "€7.03bn"
    format_amount(7.03e9, "en", "long")    -> "€7.03 billion"
    whole_euros(3.5e9)                     -> 3500000000   for machine outputs (CSV)

French keeps every figure on one line: no breakable space inside a number or between a number and its
unit. English writes the euro sign first and the scale as a suffix, the financial press's style.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from .i18n import NBSP, NNBSP
from .view import AnnouncementView

# "en" for English; anything else reads as French, the default.
Lang = str
Style = Literal["short", "long"]

FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# (French short unit, French word, English suffix, English word) per scale.
SCALES = {"bn": ("Md€", "milliard", "bn", "billion"), "m": ("M€", "million", "m", "million")}


def _decimal(value: float, lang: Lang) -> str:
    """At most three significant figures, never a trailing zero: 4, 1.2, 12.5, 150, 2.25."""
    digits = 0 if value >= 100 else (1 if value >= 10 else 2)
    text = f"{round(value, digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang != "en" else text


def format_int(value: int | float, lang: Lang = "fr") -> str:
    """Thousands grouped: "1 200" (narrow no-break space) in French, "1,200" in English."""
    text = f"{round(value):,}"
    return text if lang == "en" else text.replace(",", NNBSP)


def format_amount(amount_eur: float | None, lang: Lang = "fr", style: Style = "short") -> str | None:
    """An amount in euros for a reader; None when there is none to show."""
    if amount_eur is None or amount_eur < 0:
        return None
    # Thresholds sit just under the round figure so 999.9 M€ reads "1 Md€", not "1000 M€".
    if amount_eur >= 999.5e6:
        number, scale = amount_eur / 1e9, "bn"
    elif amount_eur >= 999_500:
        number, scale = amount_eur / 1e6, "m"
    else:
        whole = format_int(amount_eur, lang)
        if lang == "en":
            return f"€{whole}"
        return f"{whole}{NBSP}{'€' if style == 'short' else 'euros'}"
    figure = _decimal(number, lang)
    fr_unit, fr_word, en_suffix, en_word = SCALES[scale]
    if lang == "en":
        return f"€{figure}{en_suffix}" if style == "short" else f"€{figure} {en_word}"
    if style == "short":
        return f"{figure}{NBSP}{fr_unit}"
    # French makes the scale word plural from two upwards: "1,5 milliard", "2 milliards".
    plural = "s" if round(number, 2) >= 2 else ""
    return f"{figure}{NBSP}{fr_word}{plural} d'euros"


def whole_euros(amount_eur: float | None) -> int | None:
    """An amount for machine outputs: a whole number of euros (the detector's figures have no cents)."""
    return None if amount_eur is None else round(amount_eur)


def foreign_amount(amount_text: str | None, currency: str | None) -> str | None:
    """The amount as the article wrote it, when it was not in euros ("2 milliards de dollars")."""
    if amount_text and currency and currency.upper() != "EUR":
        return amount_text
    return None


def shown_amount(
    amount_eur: float | None,
    amount_text: str | None,
    currency: str | None,
    lang: Lang = "fr",
    style: Style = "short",
) -> str | None:
    """Euros formatted for the reader, else an amount in another currency as written, else None."""
    return format_amount(amount_eur, lang, style) or foreign_amount(amount_text, currency)


def format_jobs(jobs: int | None, lang: Lang = "fr") -> str | None:
    if jobs is None:
        return None
    if lang == "en":
        return f"{format_int(jobs, lang)} job{'s' if jobs != 1 else ''}"
    return f"{format_int(jobs, lang)}{NBSP}emploi{'s' if jobs > 1 else ''}"


def format_date(value: date | datetime | None, lang: Lang = "fr", tz: str | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and tz:
        value = value.astimezone(ZoneInfo(tz))
    if lang == "en":
        return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}{NBSP}{FR_MONTHS[value.month - 1]} {value.year}"


def original_amount(view: AnnouncementView) -> str | None:
    """The amount as the article wrote it, shown when it was not in euros."""
    return foreign_amount(view.amount_text, view.currency)


def totals(views: Iterable[AnnouncementView]) -> dict[str, float | int | None]:
    """Count, summed known amounts and jobs; None when nothing is known."""
    items = list(views)
    amounts = [v.amount_eur for v in items if v.amount_eur is not None]
    jobs = [v.jobs for v in items if v.jobs is not None]
    return {
        "count": len(items),
        "amount_eur": sum(amounts) if amounts else None,
        "with_amount": len(amounts),
        "jobs": sum(jobs) if jobs else None,
    }
