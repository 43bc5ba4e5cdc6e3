"""Amounts, head counts and dates as a French (default) or English reader expects them.

    format_amount(4e9)                    -> "4 Md€"
    format_amount(1.2e9, style="long")    -> "1,2 milliard d'euros"
    format_amount(45e6)                   -> "45 M€"
    format_amount(1.2e9, "en")            -> "€1.2bn"
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from .view import AnnouncementView

# "en" for English; anything else reads as French, the default.
Lang = str
Style = Literal["short", "long"]

FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def _decimal(value: float, lang: Lang) -> str:
    """At most three significant figures, never a trailing zero: 4, 1.2, 12.5, 150, 2.25."""
    digits = 0 if value >= 100 else (1 if value >= 10 else 2)
    text = f"{round(value, digits):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def format_int(value: int | float, lang: Lang = "fr") -> str:
    """Thousands grouped: "1 200" in French, "1,200" in English."""
    text = f"{round(value):,}"
    return text.replace(",", " ") if lang == "fr" else text


def format_amount(amount_eur: float | None, lang: Lang = "fr", style: Style = "short") -> str | None:
    if amount_eur is None or amount_eur < 0:
        return None
    # Thresholds sit just under the round figure so 999.9 M€ reads "1 Md€", not "1000 M€".
    if amount_eur >= 999.5e6:
        number, unit = amount_eur / 1e9, "bn"
    elif amount_eur >= 999_500:
        number, unit = amount_eur / 1e6, "m"
    else:
        number, unit = amount_eur, ""
    if not unit:
        whole = format_int(number, lang)
        if lang == "fr":
            return f"{whole} €" if style == "short" else f"{whole} euros"
        return f"€{whole}"
    figure = _decimal(number, lang)
    if lang == "en":
        if style == "short":
            return f"€{figure}{unit}"
        return f"€{figure} {'billion' if unit == 'bn' else 'million'}"
    if style == "short":
        return f"{figure} {'Md€' if unit == 'bn' else 'M€'}"
    word = "milliard" if unit == "bn" else "million"
    # French makes the scale word plural from two upwards: "1,5 milliard", "2 milliards".
    plural = "s" if round(number, 2) >= 2 else ""
    return f"{figure} {word}{plural} d'euros"


def format_jobs(jobs: int | None, lang: Lang = "fr") -> str | None:
    if jobs is None:
        return None
    if lang == "fr":
        return f"{format_int(jobs, lang)} emploi{'s' if jobs > 1 else ''}"
    return f"{format_int(jobs, lang)} job{'s' if jobs != 1 else ''}"


def format_date(value: date | datetime | None, lang: Lang = "fr", tz: str | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and tz:
        value = value.astimezone(ZoneInfo(tz))
    if lang == "fr":
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day} {FR_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"


def original_amount(view: AnnouncementView) -> str | None:
    """The amount as the article wrote it, shown when it was not in euros."""
    if view.amount_text and view.currency and view.currency.upper() != "EUR":
        return view.amount_text
    return None


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
