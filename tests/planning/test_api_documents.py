"""The planning API's documents (sheet, progress report, XLSX) and the import of amounts."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from tests.api.helpers import Api, token_client


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Any:
    return lambda role: token_client(personas[role])


@pytest.fixture
def api(api_as: Any) -> Api:
    return api_as("responsabile")


def test_the_sheet_is_generated_in_html_and_editable_formats(api, seed_budget):
    op = seed_budget["operational"]
    html = api.get(f"/objectives/{op.pk}/sheet", {"format": "html"})
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    text = html.content.decode()
    assert "OBIETTIVO OPERATIVO" in text and "1901/0159" in text and "RISORSE FINANZIARIE" in text
    docx = api.get(f"/objectives/{op.pk}/sheet", {"format": "docx"})
    assert docx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(docx.content))
    assert "attachment" in docx["Content-Disposition"] and ".docx" in docx["Content-Disposition"]
    odt = api.get(f"/objectives/{op.pk}/sheet", {"format": "odt"})
    assert (
        odt.status_code == 200 and odt["Content-Type"] == "application/vnd.oasis.opendocument.text"
    )


def test_the_progress_report_is_a_pdf_for_a_year_of_the_horizon(api, seed_budget):
    op = seed_budget["operational"]
    pdf = api.get(f"/objectives/{op.pk}/progress-report/2023", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    outside = api.get(f"/objectives/{op.pk}/progress-report/2030")
    assert outside.status_code == 422 and "year" in outside.json()["errors"]
    unknown = api.get(f"/objectives/{op.pk}/sheet", {"format": "rtf"})
    assert unknown.status_code == 422 and "format" in unknown.json()["errors"]


def test_documents_of_another_ente_are_not_found(api, other_ente):
    from ponti.planning.models import Objective

    foreign = Objective.objects.create(
        ente=other_ente, level="strategico", title="Prato", start_year=2022, end_year=2024
    )
    assert api.get(f"/objectives/{foreign.pk}/sheet", {"format": "html"}).status_code == 404
    assert api.get(f"/objectives/{foreign.pk}/progress-report/2023").status_code == 404


def test_the_budget_lines_export_is_a_spreadsheet_of_the_visible_lines(api_as, seed_budget):
    response = api_as("revisore").get("/budget-lines/export.xlsx")
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and content.startswith(b"PK")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    cells = {
        str(c.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value is not None
    }
    assert {"1450", "1451", "210"} <= cells
