"""The budget lines as XLSX (the list's export, `planning.tables`): one row per line and year,
money as numeric cells with the exact amounts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from ponti.planning.models import BudgetAmount
from tests.exports.helpers import body


def _sheet(user: Any) -> Any:
    client = Client()
    client.force_login(user)
    response = client.get("/programmazione/capitoli/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(body(response))).active


def test_the_xlsx_reads_back_with_the_exact_amounts(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    amount.revised, amount.cashed = Decimal("5123.45"), Decimal("0.10")
    amount.save()
    sheet = _sheet(personas["ufficio"])
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "ID",
        "Entrata/Spesa",
        "Capitolo",
        "Descrizione",
        "Titolo",
        "Tipologia/Macroaggregato",
        "Programma",
        "Obiettivo",
        "Anno",
    ]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:P")
    rows = {(r[2], r[8]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == BudgetAmount.objects.count() == 7
    for a in BudgetAmount.objects.select_related("line"):
        row = rows[(a.line.number, a.year)]
        assert row[0] == a.line_id
        assert Decimal(str(row[9])) == a.initial
        assert (row[10] is None) == (a.revised is None)
        if a.revised is not None:
            assert Decimal(str(row[10])) == a.revised
        assert Decimal(str(row[11])) == a.committed
        assert Decimal(str(row[12])) == a.cashed
        assert row[13] == "no"
    missions = rows[("1451", 2022)]
    assert (
        missions[1] == "Spesa"
        and missions[6].startswith("1901")
        and missions[7].startswith("1901/0159")
    )
    cell = next(c for c in sheet["K"] if c.value == 5123.45)
    assert cell.number_format == '#,##0.00 "€"' and isinstance(cell.value, float | int)


def test_example_lines_are_flagged_in_the_xlsx(ente: Any, personas: dict[str, Any]) -> None:
    from ponti.planning.demo import load_planning

    load_planning()
    sheet = _sheet(personas["ufficio"])
    assert {r[13] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"sì"}
