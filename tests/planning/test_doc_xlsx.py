"""The budget lines as XLSX: one row per line and year, money as numeric cells with the exact amounts."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from ponti.planning.documents import budget_lines_xlsx
from ponti.planning.models import BudgetAmount, BudgetLine


def test_the_xlsx_reads_back_with_the_exact_amounts(seed_budget: dict[str, Any]) -> None:
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    amount.revised, amount.cashed = Decimal("5123.45"), Decimal("0.10")
    amount.save()
    rendered = budget_lines_xlsx(BudgetLine.objects.all())
    assert rendered.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(rendered.content)).active
    header = [c.value for c in sheet[1]]
    assert header[:8] == [
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
    assert sheet.auto_filter.ref.startswith("A1:M")
    rows = {(r[1], r[7]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == BudgetAmount.objects.count() == 7
    for a in BudgetAmount.objects.select_related("line"):
        row = rows[(a.line.number, a.year)]
        assert Decimal(str(row[8])) == a.initial
        assert (row[9] is None) == (a.revised is None)
        if a.revised is not None:
            assert Decimal(str(row[9])) == a.revised
        assert Decimal(str(row[10])) == a.committed
        assert Decimal(str(row[11])) == a.cashed
        assert row[12] == "no"
    missions = rows[("1451", 2022)]
    assert (
        missions[0] == "Spesa"
        and missions[5].startswith("1901")
        and missions[6].startswith("1901/0159")
    )
    cell = next(c for c in sheet["J"] if c.value == 5123.45)
    assert cell.number_format == '#,##0.00 "€"' and isinstance(cell.value, float | int)


def test_example_lines_are_flagged_in_the_xlsx(ente: Any) -> None:
    from ponti.planning.demo import load_planning

    load_planning()
    sheet = load_workbook(io.BytesIO(budget_lines_xlsx(BudgetLine.objects.all()).content)).active
    assert {r[12] for r in sheet.iter_rows(min_row=2, values_only=True)} == {"sì"}
