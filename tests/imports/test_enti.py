"""Importing enti: kind, parent (by name or ISTAT code, also an earlier row), who may import."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import csv_bytes, run, undo, xlsx_bytes

HEADER = ["Nome", "Tipo di ente", "Ente superiore", "Codice ISTAT", "Città"]


@pytest.fixture
def admin(personas: dict[str, Any]) -> Any:
    return personas["amministratore"]


@pytest.fixture
def superuser(db: Any) -> Any:
    from ponti.accounts.models import User

    return User.objects.create_superuser("root", "root@example.org", "x")


def snapshot() -> list[tuple[Any, ...]]:
    from ponti.core.models import Ente
    from ponti.partners.models import Organisation

    return [
        *Ente.objects.order_by("pk").values_list(
            "pk", "name", "parent_id", "istat_code", "version"
        ),
        *Organisation.objects.order_by("pk").values_list("pk", "name"),
    ]


def test_an_administrator_imports_enti_under_their_ente(admin: Any, ente: Any) -> None:
    from ponti.core.models import Ente

    data = csv_bytes(
        HEADER,
        ["Unione dei Comuni del Mugello", "Unione di comuni", "", "", "Borgo San Lorenzo"],
        ["Comune di Vicchio", "Comune", "Unione dei Comuni del Mugello", "048049", "Vicchio"],
        ["Comune di Fiesole", "comune", "Città Metropolitana di Firenze", "048015", "Fiesole"],
    )
    report = run("enti", data, admin, ente)
    assert report.status == "done", report
    assert report.counts == {"nuovo": 3}
    union = Ente.objects.get(name="Unione dei Comuni del Mugello")
    vicchio = Ente.objects.get(istat_code="048049")
    assert (union.parent, union.kind) == (ente, "unione")
    assert (vicchio.parent, vicchio.kind, vicchio.city) == (union, "comune", "Vicchio")
    assert vicchio.organisation.name == "Comune di Vicchio"


def test_a_second_run_recognises_by_istat_code_or_name(admin: Any, ente: Any) -> None:
    data = xlsx_bytes(HEADER, ["Comune di Fiesole", "Comune", "", 48015, "Fiesole"])
    assert run("enti", data, admin, ente, filename="e.xlsx").counts == {"nuovo": 1}
    before = snapshot()
    assert run("enti", data, admin, ente, filename="e.xlsx").counts == {"invariato": 1}
    by_name = csv_bytes(["Nome", "Tipo di ente"], ["comune di fiesole", "Comune"])
    report = run("enti", by_name, admin, ente)
    assert report.counts == {"invariato": 1}, report
    assert snapshot() == before
    renamed = csv_bytes(["Nome", "Codice ISTAT"], ["Comune di Fiesole (FI)", "048015"])
    report = run("enti", renamed, admin, ente)
    assert report.counts == {"aggiornato": 1} and "codice ISTAT" in report.warnings()[0]


def test_bad_rows_are_refused_and_nothing_is_written(
    admin: Any, ente: Any, other_ente: Any
) -> None:
    before = snapshot()
    data = csv_bytes(
        HEADER,
        ["Comune A", "Comune", "Comune Z", "", ""],
        ["Comune Z", "Comune", "", "", ""],
        ["Comune B", "Ducato", "", "", ""],
        ["Comune C", "Comune", "", "4801", ""],
        ["Comune D", "Comune", "Comune di Prato", "", ""],
        ["Comune E", "Comune", "", "048099", ""],
        ["Comune F", "Comune", "", "048099", ""],
    )
    report = run("enti", data, admin, ente)
    assert report.status == "refused", report
    errors = {n: " ".join(r.errors) for n, r in report.rows.items()}
    assert "Ente superiore" in errors[2] and "Comune Z" in errors[2] and "prima" in errors[2]
    assert "Tipo di ente" in errors[4] and "Ducato" in errors[4]
    assert "Codice ISTAT" in errors[5] and "4801" in errors[5]
    assert "Comune di Prato" in errors[6] and "non gestisci" in errors[6]
    assert "riga 7" in errors[8]
    assert snapshot() == before


def test_only_a_superuser_creates_enti_of_the_first_level(
    superuser: Any, admin: Any, personas: dict[str, Any], ente: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    from ponti.core.models import Ente

    with pytest.raises(PermissionDenied):
        run("enti", csv_bytes(HEADER, ["X", "Comune", "", "", ""]), personas["ufficio"], ente)
    report = run(
        "enti",
        csv_bytes(HEADER, ["Regione Toscana", "Regione", "", "009", "Firenze"]),
        superuser,
        ente,
    )
    assert report.status == "done", report
    assert Ente.objects.get(name="Regione Toscana").parent is None


def test_undo_deletes_the_enti_and_their_organisations(admin: Any, ente: Any) -> None:
    before = snapshot()
    data = csv_bytes(
        HEADER,
        ["Unione del Mugello", "Unione di comuni", "", "", ""],
        ["Comune di Vicchio", "Comune", "Unione del Mugello", "048049", "Vicchio"],
    )
    report = run("enti", data, admin, ente)
    assert report.status == "done"
    assert undo(report, admin).status == "undone", report.batch.file_errors
    assert snapshot() == before


def test_an_export_shaped_file_imports_unchanged(admin: Any, ente: Any) -> None:
    from ponti.core.models import Ente

    child = Ente.objects.create(
        name="Comune di Fiesole",
        slug="fiesole",
        kind="comune",
        parent=ente,
        istat_code="048015",
        city="Fiesole",
    )
    before = snapshot()
    header = [
        "ID",
        "Nome",
        "Nome breve",
        "Tipo di ente",
        "Ente superiore",
        "Codice ISTAT",
        "Città",
        "Paese",
    ]
    rows = [
        [
            e.pk,
            e.name,
            e.short_name,
            e.get_kind_display(),
            e.parent.name if e.parent else "",
            e.istat_code,
            e.city,
            "Italia",
        ]
        for e in (ente, child)
    ]
    report = run("enti", csv_bytes(header, *rows), admin, ente)
    assert report.counts == {"invariato": 2}, report
    assert snapshot() == before
