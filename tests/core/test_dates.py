"""The one type for dates known in part: reading, writing in each language, ordering."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from ponti.core.dates import DatePrecision, ImpreciseDate, ImpreciseDateFormField

D = datetime.date


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1958", D(1958, 1, 1), "year"),
        ("07/1958", D(1958, 7, 1), "month"),
        ("7/1958", D(1958, 7, 1), "month"),
        ("luglio 1958", D(1958, 7, 1), "month"),
        ("Luglio 1958", D(1958, 7, 1), "month"),
        ("July 1958", D(1958, 7, 1), "month"),
        ("lug 1958", D(1958, 7, 1), "month"),
        ("1958-07", D(1958, 7, 1), "month"),
        ("03/07/1958", D(1958, 7, 3), "day"),
        ("3.7.1958", D(1958, 7, 3), "day"),
        ("1958-07-03", D(1958, 7, 3), "day"),
        ("3 luglio 1958", D(1958, 7, 3), "day"),
        ("1º luglio 1958", D(1958, 7, 1), "day"),
        ("3 July 1958", D(1958, 7, 3), "day"),
        ("July 3, 1958", D(1958, 7, 3), "day"),
        ("  1958  ", D(1958, 1, 1), "year"),
    ],
)
def test_it_reads_each_accepted_form(text: str, value: datetime.date, precision: str) -> None:
    assert ImpreciseDate.parse(text) == ImpreciseDate(value, precision)


@pytest.mark.parametrize("text", ["", "  ", "sconosciuta", "unknown"])
def test_it_reads_an_empty_text_as_unknown(text: str) -> None:
    assert ImpreciseDate.parse(text) == ImpreciseDate.unknown()
    assert not ImpreciseDate.parse(text).is_known


@pytest.mark.parametrize(
    "text", ["31/02/1958", "13/1958", "1958-13", "luglo 1958", "58", "0958", "ieri", "1958/07/03"]
)
def test_it_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):
        ImpreciseDate.parse(text)


def test_it_keeps_the_first_day_of_what_is_known() -> None:
    assert ImpreciseDate(D(1958, 7, 3), DatePrecision.YEAR).value == D(1958, 1, 1)
    assert ImpreciseDate(D(1958, 7, 3), DatePrecision.MONTH).value == D(1958, 7, 1)
    assert ImpreciseDate(None, DatePrecision.YEAR).precision == DatePrecision.UNKNOWN
    assert ImpreciseDate(D(1958, 7, 3), DatePrecision.UNKNOWN).value is None


def test_it_knows_its_first_and_last_day() -> None:
    year = ImpreciseDate.parse("1958")
    assert (year.first_day, year.last_day) == (D(1958, 1, 1), D(1958, 12, 31))
    february = ImpreciseDate.parse("02/2024")
    assert (february.first_day, february.last_day) == (D(2024, 2, 1), D(2024, 2, 29))
    day = ImpreciseDate.parse("03/07/1958")
    assert day.first_day == day.last_day == D(1958, 7, 3)
    assert ImpreciseDate.unknown().last_day is None
    assert year.contains(D(1958, 6, 1)) and not year.contains(D(1959, 1, 1))


def test_it_writes_itself_in_italian() -> None:
    with translation.override("it"):
        assert str(ImpreciseDate.parse("1958")) == "1958"
        assert str(ImpreciseDate.parse("07/1958")) == "luglio 1958"
        assert str(ImpreciseDate.parse("03/07/1958")) == "3 luglio 1958"
        assert str(ImpreciseDate.unknown()) == "data sconosciuta"


def test_it_writes_itself_in_english() -> None:
    with translation.override("en"):
        assert str(ImpreciseDate.parse("1958")) == "1958"
        assert str(ImpreciseDate.parse("07/1958")) == "July 1958"
        assert str(ImpreciseDate.parse("03/07/1958")) == "3 July 1958"


def test_what_it_writes_reads_back_in_both_languages() -> None:
    for text in ("1958", "07/1958", "03/07/1958"):
        value = ImpreciseDate.parse(text)
        for language in ("it", "en"):
            with translation.override(language):
                assert ImpreciseDate.parse(str(value)) == value
        assert ImpreciseDate.parse(value.as_input()) == value


def test_it_sorts_by_first_day_then_precision_and_unknown_last() -> None:
    dates = [
        ImpreciseDate.unknown(),
        ImpreciseDate.parse("03/07/1958"),
        ImpreciseDate.parse("1958"),
        ImpreciseDate.parse("07/1958"),
        ImpreciseDate.parse("01/01/1958"),
    ]
    assert [d.as_input() for d in sorted(dates)] == [
        "01/01/1958",
        "1958",
        "07/1958",
        "03/07/1958",
        "",
    ]


def test_the_form_field_cleans_text_and_explains_a_wrong_one() -> None:
    field = ImpreciseDateFormField()
    assert field.clean("luglio 1958") == ImpreciseDate(D(1958, 7, 1), "month")
    assert field.clean("") == ImpreciseDate.unknown()
    with translation.override("it"), pytest.raises(Exception) as refused:
        field.clean("luglo 1958")
    assert "«luglo 1958» non è una data" in str(refused.value)
    assert field.prepare_value(ImpreciseDate.parse("1958")) == "1958"


def test_the_template_filter_writes_a_stored_pair() -> None:
    from django.template import Context, Template

    template = Template("{% load ponti %}{{ d|imprecise:p }}|{{ x|imprecise }}")
    with translation.override("it"):
        out = template.render(
            Context({"d": D(1958, 7, 1), "p": "month", "x": ImpreciseDate.unknown()})
        )
    assert out == "luglio 1958|"
