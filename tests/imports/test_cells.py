"""Reading a date known in part from a cell, as every importer does (`cells.parse_imprecise`)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ponti.core.dates import DatePrecision, ImpreciseDate
from ponti.core.importing.cells import CellError, parse_imprecise


@pytest.mark.parametrize(
    ("cell", "value", "precision"),
    [
        (1958, "1958-01-01", DatePrecision.YEAR),
        (1958.0, "1958-01-01", DatePrecision.YEAR),
        ("1958", "1958-01-01", DatePrecision.YEAR),
        ("07/1958", "1958-07-01", DatePrecision.MONTH),
        ("luglio 1958", "1958-07-01", DatePrecision.MONTH),
        ("03/07/1958", "1958-07-03", DatePrecision.DAY),
        ("3.7.1958", "1958-07-03", DatePrecision.DAY),
        ("1958-07-03 10:30", "1958-07-03", DatePrecision.DAY),
        (datetime.date(1958, 7, 3), "1958-07-03", DatePrecision.DAY),
        (19908, "1954-07-03", DatePrecision.DAY),  # a spreadsheet's day number
        ("19908", "1954-07-03", DatePrecision.DAY),  # the same, written as text
    ],
)
def test_it_reads_a_date_as_far_as_it_is_known(cell: Any, value: str, precision: str) -> None:
    read = parse_imprecise(cell)
    assert (read.first_day.isoformat() if read.first_day else None, read.precision) == (
        value,
        precision,
    )


@pytest.mark.parametrize("cell", [None, "", "sconosciuta"])
def test_an_empty_or_unknown_cell_is_an_unknown_date(cell: Any) -> None:
    assert parse_imprecise(cell) == ImpreciseDate.unknown()


@pytest.mark.parametrize("cell", ["presto", "31/02/1958", 1958.5, "99999"])
def test_it_refuses_what_is_not_a_date(cell: Any) -> None:
    with pytest.raises(CellError):
        parse_imprecise(cell)
