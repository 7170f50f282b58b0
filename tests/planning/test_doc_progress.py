"""The stato di attuazione of an objective for a year: indicators, what was done, financial execution."""

from __future__ import annotations

import io
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from ponti.planning.documents import render_progress_report


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    return " ".join(t.text or "" for t in doc.element.body.iter() if t.tag.endswith("}t"))


def odt_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(ElementTree.fromstring(archive.read("content.xml")).itertext())  # noqa: S314 - our own output


def test_changing_one_impegno_changes_the_report(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    from ponti.planning.models import BudgetAmount
    from ponti.planning.services import save_amount

    op = seed_budget["operational"]
    before = docx_text(render_progress_report(op, 2022, "docx").content)
    # Spesa 2022: previsione 25.000,00, impegnato 18.500,00 + 4.200,50 = 22.700,50 (90,8 %).
    assert "Impegnato: 22.700,50\u00a0€" in before and "90,8 %" in before
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    amount.committed = Decimal("4799.50")
    save_amount(amount, user=personas["responsabile"], expected_version=amount.version)
    after = docx_text(render_progress_report(op, 2022, "docx").content)
    assert "Impegnato: 23.299,50\u00a0€" in after and "93,2 %" in after
    assert "4.799,50\u00a0€" in after and "96,0 %" in after  # the line's own detail (of 5.000,00)


def test_the_report_shows_accertato_and_riscosso_for_revenue(seed_budget: dict[str, Any]) -> None:
    text = odt_text(render_progress_report(seed_budget["operational"], 2022, "odt").content)
    assert (
        "Accertato: 30.000,00\u00a0€" in text
        and "Riscosso: 15.000,00\u00a0€" in text
        and "100,0 %" in text
    )


def test_the_report_lists_indicators_with_target_actual_and_whether_reached(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    from ponti.planning.models import Indicator
    from ponti.planning.services import set_indicator_value

    op = seed_budget["operational"]
    up = Indicator.objects.create(
        objective=op, name="Visite di studio", unit="numero", direction="up", position=0
    )
    down = Indicator.objects.create(
        objective=op, name="Giorni di attesa", unit="giorni", direction="down", position=1
    )
    set_indicator_value(
        up,
        year=2023,
        user=personas["responsabile"],
        target=Decimal("4"),
        actual=Decimal("5"),
        source="Registro del protocollo",
    )
    set_indicator_value(
        down,
        year=2023,
        user=personas["responsabile"],
        target=Decimal("10"),
        actual=Decimal("12"),
        source="Ufficio",
    )
    text = docx_text(render_progress_report(op, 2023, "docx").content)
    assert (
        "Visite di studio" in text and "Registro del protocollo" in text and "Sì, raggiunto" in text
    )
    assert "Giorni di attesa" in text and "No, non raggiunto" in text


def test_the_demo_report_is_marked_as_example_and_names_computed_sources(
    ente: Any, tmp_path: Path
) -> None:
    from ponti.planning.demo import load_planning
    from ponti.planning.models import Objective

    load_planning()
    op = Objective.objects.get(ente=ente, code="1901/0159")
    rendered = render_progress_report(op, 2023, "pdf")
    assert rendered.filename == "stato-di-attuazione-1901-0159-2023.pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered.content)
    text = " ".join(
        subprocess.run(  # noqa: S603 - a fixed command on our own file
            ["/usr/bin/pdftotext", "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    for expected in (
        "STATO DI ATTUAZIONE 2023",
        "Indicatori",
        "calcolato da",
        "valori di",
        "Attività svolte nel 2023",
        "Esecuzione finanziaria 2023",
        "IMPORTI DI ESEMPIO",
    ):
        assert expected in text


def test_every_done_section_is_listed_with_nessuna_voce_when_empty(
    seed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ponti.planning import registry

    sections = [
        registry.DoneSection(
            "a",
            1,
            "Accordi firmati",
            lambda u, e, y: [],
            [registry.DoneItem("Patto con Kyoto", "3 marzo 2023")],
        ),
        registry.DoneSection("b", 2, "Delegazioni ricevute", lambda u, e, y: [], []),
    ]
    seen: list[Any] = []

    def fake(user: Any, ente_id: int, year: int) -> list[Any]:
        seen.append((user, ente_id, year))
        return sections

    monkeypatch.setattr(registry, "done_sections", fake)
    text = odt_text(render_progress_report(seed["operational"], 2023, "odt").content)
    assert seen == [(None, seed["operational"].ente_id, 2023)]
    assert "Accordi firmati" in text and "Patto con Kyoto — 3 marzo 2023" in text
    assert text.index("Delegazioni ricevute") < text.index("Nessuna voce")


def test_it_refuses_a_year_outside_the_horizon(seed: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        render_progress_report(seed["operational"], 2021, "pdf")
    with pytest.raises(ValueError):
        render_progress_report(seed["operational"], 2022, "xls")
