"""`ponti dup-sheet CODE --format … --output FILE`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def test_the_command_writes_the_pdf_of_the_sheet(
    seed_budget: dict[str, Any], tmp_path: Path
) -> None:
    output = tmp_path / "out" / "sheet.pdf"
    out = io.StringIO()
    call_command("dup-sheet", "1901/0159", "--format", "pdf", "--output", str(output), stdout=out)
    assert output.read_bytes().startswith(b"%PDF")
    assert str(output) in out.getvalue() and "byte" in out.getvalue()


def test_the_command_writes_the_progress_report(
    seed_budget: dict[str, Any], tmp_path: Path
) -> None:
    output = tmp_path / "report.odt"
    call_command(
        "dup-sheet",
        "1901/0159",
        "--format",
        "odt",
        "--output",
        str(output),
        "--report",
        "--year",
        "2023",
        stdout=io.StringIO(),
    )
    assert output.read_bytes().startswith(b"PK")


def test_it_refuses_an_unknown_code(seed: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="9999/0001"):
        call_command("dup-sheet", "9999/0001", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_it_refuses_an_unknown_format(seed: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Formato sconosciuto"):
        call_command(
            "dup-sheet", "1901/0159", "--format", "rtf", "--output", str(tmp_path / "x.rtf")
        )


def test_with_several_enti_the_code_alone_is_enough_when_only_one_uses_it(
    seed: dict[str, Any], other_ente: Any, tmp_path: Path
) -> None:
    call_command(
        "dup-sheet",
        "1901/0159",
        "--format",
        "html",
        "--output",
        str(tmp_path / "x.html"),
        stdout=io.StringIO(),
    )
    assert "OBIETTIVO OPERATIVO" in (tmp_path / "x.html").read_text()


def test_it_asks_which_ente_when_several_use_the_code(
    seed: dict[str, Any], other_ente: Any, tmp_path: Path
) -> None:
    from ponti.planning.models import Objective

    Objective.objects.create(
        ente=other_ente,
        level="strategico",
        code="1901/0159",
        title="Altro",
        start_year=2022,
        end_year=2024,
    )
    with pytest.raises(CommandError, match="--ente"):
        call_command("dup-sheet", "1901/0159", "--output", str(tmp_path / "x.pdf"))
    call_command(
        "dup-sheet",
        "1901/0159",
        "--format",
        "html",
        "--ente",
        "cm-firenze",
        "--output",
        str(tmp_path / "x.html"),
        stdout=io.StringIO(),
    )
    assert "LA CITTÀ METROPOLITANA NEL MONDO" in (tmp_path / "x.html").read_text()
    with pytest.raises(CommandError, match="nessuno"):
        call_command(
            "dup-sheet", "1901/0159", "--ente", "nessuno", "--output", str(tmp_path / "y.pdf")
        )
