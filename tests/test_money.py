"""Amounts: Decimal in, Italian style out; bad amounts refused with a message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ponti.core.money import AmountError, format_euro, format_number, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234,56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("1234.56", Decimal("1234.56")),
        ("1.234.567", Decimal("1234567.00")),
        ("  € 18.500,00 ", Decimal("18500.00")),
        ("0", Decimal("0.00")),
        (1500, Decimal("1500.00")),
        (1234.5, Decimal("1234.50")),
        (0.1, Decimal("0.10")),
        ("", None),
        (None, None),
        ("-12,5", Decimal("-12.50")),
    ],
)
def test_it_reads_amounts(text: object, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12,345",
        "1.2.3",
        "12.345,678",
        "1e3",
        "nan",
        1.005,
        "12,3,4",
        True,
        "13.000",
        "12,340",
        "1234.500",
    ],
)
def test_it_refuses_what_is_not_an_amount_in_euros(text: object) -> None:
    with pytest.raises(AmountError):
        parse_amount(text)


def test_it_formats_in_the_italian_style() -> None:
    assert format_number(Decimal("1234567.5")) == "1.234.567,50"
    assert format_euro(Decimal("0")) == "0,00\u00a0€"
    assert format_euro(Decimal("-1500")) == "-1.500,00\u00a0€"
    assert format_euro(None) == ""
    assert format_number(12, 0) == "12"


def test_a_lone_group_of_thousands_is_ambiguous() -> None:
    with pytest.raises(AmountError, match="ambiguo: scrivi 13000 oppure 13.000,00"):
        parse_amount("13.000")


def test_three_decimals_after_a_comma_are_three_decimals() -> None:
    with pytest.raises(AmountError, match="«12,345» ha più di 2 decimali"):
        parse_amount("12,345")
