"""French money and head-count parsing: every form the detector must read, and what is not money."""

from __future__ import annotations

import pytest

from pipelines.amounts import (
    find_jobs,
    find_money,
    parse_amount,
    parse_count,
    parse_number,
    parse_word_number,
)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("4 milliards d'euros", 4e9, "EUR"),
        ("1,2 milliard d’euros", 1.2e9, "EUR"),
        ("un investissement d’1,2 milliard d’euros", 1.2e9, "EUR"),
        ("45 millions d'euros", 45e6, "EUR"),
        ("1,2 Md€", 1.2e9, "EUR"),
        ("100 M€", 100e6, "EUR"),
        ("2 Mds €", 2e9, "EUR"),
        ("quatre milliards", 4e9, "EUR"),
        ("un demi-milliard d'euros", 0.5e9, "EUR"),
        ("deux milliards et demi d'euros", 2.5e9, "EUR"),
        ("trois cent cinquante millions d'euros", 350e6, "EUR"),
        ("quatre-vingt-dix millions d'euros", 90e6, "EUR"),
        ("une centaine de millions d'euros", 100e6, "EUR"),
        ("plus de 500 millions", 500e6, "EUR"),
        ("12 000 000 €", 12e6, "EUR"),
        ("3.000.000 euros", 3e6, "EUR"),
        ("1.5 milliard d'euros", 1.5e9, "EUR"),
    ],
)
def test_euro_amounts_in_all_their_forms(text: str, value: float, currency: str) -> None:
    money = parse_amount(text)
    assert money is not None
    assert money.value == pytest.approx(value)
    assert money.currency == currency
    assert money.amount_eur == pytest.approx(value)


def test_range_gives_the_low_bound_and_keeps_the_range_in_the_text() -> None:
    money = parse_amount("le fonds va investir entre 30 et 50 milliards d'euros dans un campus")
    assert money is not None and money.is_range
    assert money.amount_eur == 30e9
    assert money.text == "entre 30 et 50 milliards d'euros"


@pytest.mark.parametrize("text", ["de 30 à 50 milliards d'euros", "30-50 milliards d'euros"])
def test_other_range_forms_give_the_low_bound(text: str) -> None:
    assert parse_amount(text).amount_eur == 30e9  # type: ignore[union-attr]


def test_range_across_scales_uses_each_bound_scale() -> None:
    assert parse_amount("entre 500 millions et 1 milliard d'euros").amount_eur == 500e6  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("2 milliards de dollars", "USD"),
        ("1,5 Md$", "USD"),
        ("$2 milliards", "USD"),
        ("800 millions de livres sterling", "GBP"),
    ],
)
def test_foreign_currency_is_kept_and_has_no_euro_amount(text: str, currency: str) -> None:
    money = parse_amount(text)
    assert money is not None
    assert money.currency == currency
    assert money.amount_eur is None
    assert money.value is not None


def test_qualifier_stays_in_the_text() -> None:
    money = parse_amount("un montant supérieur à 15 milliards d’euros")
    assert money is not None and money.value == 15e9
    assert money.text.startswith("supérieur à")


@pytest.mark.parametrize(
    "text",
    [
        "former près d'un million de Français",
        "deux millions de visiteurs par an",
        "une usine de 40 000 m²",
        "en 2024, 3 000 salariés",
        "un investissement important",
    ],
)
def test_counts_of_things_are_not_money(text: str) -> None:
    assert find_money(text) == []


def test_figureless_money_has_no_value() -> None:
    (money,) = find_money("plusieurs centaines de millions d'euros")
    assert money.value is None and money.currency == "EUR"


def test_year_followed_by_amount_is_not_read_as_one_number() -> None:
    (money,) = find_money("d'ici 2027 500 millions d'euros")
    assert money.value == 500e6


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3 000", 3000),
        ("3.000", 3000),
        ("3\u202f000", 3000),
        ("un millier", 1000),
        ("deux cents", 200),
        ("1 500", 1500),
    ],
)
def test_head_counts(text: str, value: int) -> None:
    assert parse_count(text) == value


def test_uncountable_counts_are_none() -> None:
    assert parse_count("des milliers") is None
    assert parse_number("beaucoup") is None
    assert parse_word_number("soixante-dix") == 70
    assert parse_word_number("quatre-vingt-onze") == 91


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("la création de 3 000 nouveaux emplois", 3000),
        ("avec 3.000 emplois à la clé", 3000),
        ("un millier d'emplois devraient être créés", 1000),
        ("le site va recruter 250 personnes", 250),
        ("500 emplois directs et 1 500 indirects", 500),
        ("200 postes supplémentaires à Paris", 200),
    ],
)
def test_jobs_created(text: str, value: int) -> None:
    assert [j.value for j in find_jobs(text)][:1] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "l'entreprise s'est engagée à former près d'un million de Français",
        "le groupe emploie déjà 1 000 personnes sur le site",
        "le plan prévoit 300 suppressions de postes",
    ],
)
def test_staff_trainees_and_job_cuts_are_not_jobs(text: str) -> None:
    assert find_jobs(text) == []
