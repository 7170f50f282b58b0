"""The DUP sheet of 1901/0159 regenerated from the data, in the seed's structure and order, in every format."""

from __future__ import annotations

import io
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from ponti.core.money import format_euro
from ponti.planning.documents import render_sheet

EXAMPLE = "IMPORTI DI ESEMPIO — non sono cifre reali dell'ente"


@pytest.fixture
def demo(ente: Any) -> Any:
    from ponti.planning.demo import OPERATIONAL_CODE, load_planning
    from ponti.planning.models import Objective

    load_planning()
    return Objective.objects.get(ente=ente, code=OPERATIONAL_CODE)


def seed_order() -> list[str]:
    """Every heading and field of the seed (/work/shared/seed), in the seed's order."""
    from ponti.planning import demo

    strategic_words = demo.STRATEGIC_DESCRIPTION.split()
    operational_words = demo.OPERATIONAL_DESCRIPTION.split()
    return [
        "OBIETTIVO STRATEGICO",
        "Mandato 2019_2024",
        "RELAZIONI INTERNAZIONALI",
        "Responsabile: Cristiano Maggipinto",
        "Indirizzo Strategico:",
        "CULTURA, TURISMO,",
        "SVILUPPO ECONOMICO,",
        "Missione:",
        "19 - Relazioni internazionali",
        "DESCRIZIONE:",
        " ".join(strategic_words[:3]),
        " ".join(strategic_words[-2:]),
        "OBIETTIVO OPERATIVO",
        "Mandato 2019_2024",
        "1901/0159 - LA CITTÀ METROPOLITANA NEL MONDO",
        "Responsabile: Cristiano Maggipinto",
        "Indirizzo Strategico:",
        "CULTURA, TURISMO,",
        "Missione:",
        "19 - Relazioni internazionali",
        "Obiettivo",
        "RELAZIONI INTERNAZIONALI",
        "Programma:",
        "1901 - Relazioni",
        "DESCRIZIONE:",
        " ".join(operational_words[:3]),
        " ".join(operational_words[-2:]),
        "RISORSE FINANZIARIE 2022-2023-2024",
        "Totali Entrata",
        "2022",
        "2023",
        "2024",
        "0,00 €",
        "40.000,00 €",
        "40.000,00 €",
        "Totali Spesa",
        "2022",
        "2023",
        "2024",
        "23.000,00 €",
        "24.500,00 €",
        "25.500,00 €",
    ]


def assert_in_order(text: str, expected: list[str]) -> None:
    text = " ".join(text.replace("\u00a0", " ").split())
    position = 0
    for item in expected:
        item = " ".join(item.replace("\u00a0", " ").split())
        found = text.find(item, position)
        assert found >= 0, (
            f"«{item}» not found after position {position}: …{text[position : position + 200]}…"
        )
        position = found + len(item)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 - a fixed command on our own file
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def docx_text(content: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(content))
    parts: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in {"p", "tbl"}:
            parts.append(" ".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
    return "\n".join(parts)


def odt_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - our own output
    return " ".join(" ".join(root.itertext()).split())


def test_the_pdf_of_1901_0159_has_every_heading_and_field_of_the_seed_in_order(
    demo: Any, tmp_path: Path
) -> None:
    rendered = render_sheet(demo, "pdf")
    assert rendered.content.startswith(b"%PDF")
    assert rendered.filename == "scheda-DUP-1901-0159.pdf"
    text = pdf_text(rendered.content, tmp_path)
    assert_in_order(text, seed_order())


def test_the_docx_has_the_seed_structure_in_order(demo: Any) -> None:
    rendered = render_sheet(demo, "docx")
    assert rendered.filename == "scheda-DUP-1901-0159.docx"
    assert_in_order(docx_text(rendered.content), seed_order())


def test_the_odt_is_a_valid_odf_text_with_the_seed_structure_in_order(demo: Any) -> None:
    rendered = render_sheet(demo, "odt")
    with zipfile.ZipFile(io.BytesIO(rendered.content)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert {"META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"} <= set(
            archive.namelist()
        )
        for name in ("META-INF/manifest.xml", "styles.xml", "meta.xml"):
            ElementTree.fromstring(archive.read(name))  # noqa: S314 - our own output
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - our own output
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    table_ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    headings = ["".join(h.itertext()) for h in root.iter(f"{text_ns}h")]
    assert headings[:4] == [
        "Documento Unico di Programmazione — scheda dell'obiettivo",
        "OBIETTIVO STRATEGICO",
        "OBIETTIVO OPERATIVO",
        "RISORSE FINANZIARIE 2022-2023-2024",
    ]
    assert len(list(root.iter(f"{table_ns}table"))) >= 2
    assert_in_order(odt_text(rendered.content), seed_order())


def test_the_html_has_the_seed_structure_in_order(demo: Any) -> None:
    rendered = render_sheet(demo, "html")
    assert rendered.content_type.startswith("text/html")
    html = rendered.content.decode()
    assert '<th scope="col"' in html and "<caption" in html
    import re

    assert_in_order(
        re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"'), seed_order()
    )


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "odt"])
def test_every_format_shows_the_example_notice_for_example_lines(
    demo: Any, fmt: str, tmp_path: Path
) -> None:
    content = render_sheet(demo, fmt).content
    text = {
        "pdf": lambda: pdf_text(content, tmp_path),
        "docx": lambda: docx_text(content),
        "odt": lambda: odt_text(content),
        "html": lambda: content.decode().replace("&#x27;", "'"),
    }[fmt]()
    assert EXAMPLE in text
    if fmt == "pdf":  # in the page margin: on every page
        pages = text.split("\f")
        assert all(EXAMPLE in page for page in pages if page.strip())
    if fmt == "docx":
        from docx import Document

        header = Document(io.BytesIO(content)).sections[0].header
        assert EXAMPLE in " ".join(p.text for p in header.paragraphs)


@pytest.mark.parametrize("fmt", ["html", "docx", "odt"])
def test_real_lines_carry_no_example_notice(seed_budget: dict[str, Any], fmt: str) -> None:
    content = render_sheet(seed_budget["operational"], fmt).content
    text = {
        "docx": lambda: docx_text(content),
        "odt": lambda: odt_text(content),
        "html": lambda: content.decode(),
    }[fmt]()
    assert "IMPORTI DI ESEMPIO" not in text
    assert "Totali Spesa" in text


def test_the_totals_of_the_sheet_equal_the_sum_of_the_amounts(
    seed_budget: dict[str, Any], tmp_path: Path
) -> None:
    from ponti.planning.models import BudgetAmount

    def forecast(side: str, year: int) -> Decimal:
        return sum(
            (a.forecast for a in BudgetAmount.objects.filter(line__side=side, year=year)),
            Decimal("0"),
        )

    text = pdf_text(render_sheet(seed_budget["operational"], "pdf").content, tmp_path)
    entrata = [format_euro(forecast("entrata", y)) for y in (2022, 2023, 2024)]
    spesa = [format_euro(forecast("spesa", y)) for y in (2022, 2023, 2024)]
    assert entrata == [
        "30.000,00\u00a0€",
        "40.000,00\u00a0€",
        "0,00\u00a0€",
    ]  # 2024 has no amount: 0,00 €, never blank
    assert spesa == ["25.000,00\u00a0€", "26.000,00\u00a0€", "22.000,00\u00a0€"]
    assert_in_order(text, ["Totali Entrata", *entrata, "Totali Spesa", *spesa])


def test_a_previsione_change_changes_the_sheet(
    seed_budget: dict[str, Any], personas: dict[str, Any]
) -> None:
    from ponti.planning.models import BudgetAmount
    from ponti.planning.services import save_amount

    before = render_sheet(seed_budget["operational"], "html").content.decode()
    amount = BudgetAmount.objects.get(line=seed_budget["fees"], year=2024)
    amount.revised = Decimal("23456.78")
    save_amount(amount, user=personas["responsabile"], expected_version=amount.version)
    after = render_sheet(seed_budget["operational"], "html").content.decode()
    assert "22.000,00" in before and "23.456,78" not in before
    assert "23.456,78" in after


def test_changing_one_impegno_changes_the_sheet(
    seed_budget: dict[str, Any], personas: dict[str, Any], tmp_path: Path
) -> None:
    from ponti.planning.models import BudgetAmount
    from ponti.planning.services import save_amount

    # Spesa 2022 impegnato: 18.500,00 + 4.200,50.
    before = pdf_text(render_sheet(seed_budget["operational"], "pdf").content, tmp_path)
    assert_in_order(before, ["Totali Spesa", "Impegnato", "22.700,50"])
    amount = BudgetAmount.objects.get(line=seed_budget["missions"], year=2022)
    amount.committed = Decimal("4300.50")
    save_amount(amount, user=personas["responsabile"], expected_version=amount.version)
    after = pdf_text(render_sheet(seed_budget["operational"], "pdf").content, tmp_path)
    assert "22.700,50" not in after
    assert_in_order(after, ["Totali Spesa", "Impegnato", "22.800,50"])


def test_an_objective_without_lines_says_so_and_shows_zero_totals(seed: dict[str, Any]) -> None:
    text = docx_text(render_sheet(seed["operational"], "docx").content)
    assert "Nessun capitolo di bilancio collegato all'obiettivo" in text
    assert text.count("0,00\u00a0€") == 12  # previsione and accertato/impegnato, 3 years, 2 sides


def test_the_sheet_of_a_strategic_objective_lists_its_operational_objectives(
    seed_budget: dict[str, Any],
) -> None:
    text = odt_text(render_sheet(seed_budget["strategic"], "odt").content)
    assert_in_order(
        text,
        [
            "OBIETTIVO STRATEGICO",
            "RELAZIONI INTERNAZIONALI",
            "OBIETTIVO OPERATIVO",
            "1901/0159 - LA CITTÀ METROPOLITANA NEL MONDO",
            "RISORSE FINANZIARIE",
            "25.000,00",
        ],
    )


def test_it_refuses_an_unknown_format(seed: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        render_sheet(seed["operational"], "rtf")
