"""French money and head-count parsing: every form the detector must read, and what is not money."""

from __future__ import annotations

import pytest

from pipelines.detect.amounts import (
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
        ("CHF 350 million", "CHF"),
        ("USD 1.2 billion", "USD"),
        ("240 M CHF", "CHF"),
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


# --- number words ---------------------------------------------------------------------------------
_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]  # noqa: SIM905
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_hundred(n: int) -> str:
    """French spelling written independently of the parser (traditional hyphens, 1990 rules aside)."""
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        ten, unit = divmod(n, 10)
        return _TENS[ten] + ("" if unit == 0 else " et un" if unit == 1 else "-" + _UNITS[unit])
    if n < 80:
        return "soixante" + (" et onze" if n == 71 else "-" + _below_hundred(n - 60))
    if n == 80:
        return "quatre-vingts"
    return "quatre-vingt-" + _below_hundred(n - 80)


def _spell(n: int) -> str:
    if n < 100:
        return _below_hundred(n)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "cent" if hundreds == 1 else _UNITS[hundreds] + (" cents" if rest == 0 else " cent")
        return head + (
            "" if rest == 0 else " " + _below_hundred(rest).replace("quatre-vingts", "quatre-vingts")
        )
    thousands, rest = divmod(n, 1000)
    spelled = _spell(thousands)
    if spelled.endswith(("cents", "vingts")):
        spelled = spelled[:-1]  # "deux cent mille", "quatre-vingt mille"
    head = "mille" if thousands == 1 else spelled + " mille"
    return head + ("" if rest == 0 else " " + _spell(rest))


def test_every_number_below_a_million_spelled_in_french_reads_back() -> None:
    wrong = [(n, _spell(n), parse_word_number(_spell(n))) for n in range(1_000_000) if n % 7 == 0 or n < 2000]
    assert [w for w in wrong if w[0] != w[2]] == []


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("soixante-dix", 70), ("soixante et onze", 71), ("soixante-dix-neuf", 79), ("quatre-vingts", 80),
        ("quatre-vingt", 80), ("quatre-vingt-un", 81), ("quatre-vingt-dix", 90), ("quatre-vingt-dix-sept", 97),
        ("cent", 100), ("cents", 100), ("deux cents", 200), ("deux cent cinquante", 250),
        ("trois cent quatre-vingts", 380), ("mille", 1000), ("deux mille trois cents", 2300),
        ("un million", 1_000_000), ("trois milliards", 3_000_000_000),
        ("un milliard deux cents millions", 1_200_000_000), ("septante-cinq", 75), ("nonante", 90),
    ],
)  # fmt: skip
def test_french_number_words_read_as_their_value(words: str, value: int) -> None:
    assert parse_word_number(words) == value


@pytest.mark.parametrize(
    "words",
    ["deux trois", "vingt trente", "cent cent", "dix un", "vingts", "mille mille", "millions milliards"],
)
def test_word_lists_that_are_no_number_read_as_none(words: str) -> None:
    assert parse_word_number(words) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("quatre-vingts millions d'euros", 80e6), ("quatre-vingt-dix millions d'euros", 90e6),
        ("soixante-dix millions d'euros", 70e6), ("deux cent cinquante millions d'euros", 250e6),
        ("trois milliards et demi d'euros", 3.5e9), ("un milliard deux cents millions d'euros", 1.2e9),
        ("1 milliard 300 millions d'euros", 1.3e9), ("cent vingt millions d’euros", 120e6),
    ],
)  # fmt: skip
def test_money_in_number_words_has_its_full_value(text: str, value: float) -> None:
    found = find_money(f"Le groupe mettra {text} sur la table.")
    assert [m.value for m in found] == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("plus d'un milliard d'euros pour un site", 1e9),
        ("plus d’un demi-milliard d'euros", 5e8),
        ("un chèque de 12.750.000 € pour la ligne", 12_750_000),
        ("soit 7.000.000 euros", 7_000_000),
    ],
)
def test_word_numbers_after_plus_de_and_dotted_digit_groups_parse(text: str, value: float) -> None:
    money = find_money(text)
    assert money and money[0].amount_eur == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("120 créations de postes", 120), ("de 150 à 200 embauches en CDI", 200), ("entre 200 et 300 emplois", 300),
        ("jusqu'à 700 emplois directs", 700), ("doit accueillir 200 développeurs", 200),
        ("hire 200 engineers", 200),
    ],
)  # fmt: skip
def test_job_wordings_and_ranges_read_their_upper_bound(text: str, value: int) -> None:
    assert [j.value for j in find_jobs(text)] == [value]


@pytest.mark.parametrize("text", ["qui compte aux 420 salariés actuels", "emploie déjà 1 100 personnes"])
def test_staff_already_there_is_no_job_count(text: str) -> None:
    assert find_jobs(text) == []
