"""Import of the amounts from the accounting system: validation, dry run, all-or-nothing, audit."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

HEADER = "capitolo;tipo;anno;previsione_iniziale;impegnato_accertato;pagato_riscosso"


def csv_bytes(
    *lines: str, header: str = HEADER, bom: bool = False, encoding: str = "utf-8"
) -> bytes:
    text = "\r\n".join([header, *lines]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


class Report:
    """The batch as these tests read it: rows, counts, file errors, written or not."""

    def __init__(self, batch: Any) -> None:
        self.batch = batch
        self.rows = list(batch.rows.order_by("number"))
        self.file_errors = [str(e) for e in batch.file_errors]
        self.applied = batch.status == "done"
        self.ok = batch.status in {"checked", "done"}
        self.counts = {
            s: (batch.counts or {}).get(s, 0)
            for s in ("nuovo", "aggiornato", "invariato", "errore")
        }

    def __repr__(self) -> str:
        return (
            f"<{self.batch.status} {self.file_errors} {[(r.number, r.errors) for r in self.rows]}>"
        )


def run(
    data: bytes, user: Any, ente: Any, *, dry_run: bool = False, filename: str = "importi.csv"
) -> Report:
    """Through the import engine, as `ponti import budget FILE [--dry-run]` runs it."""
    from ponti.core.importing import services

    batch = services.start(
        user=user, ente=ente, kind="budget", filename=filename, data=data, background=False
    )
    if not dry_run and batch.status == "checked":
        batch = services.confirm(batch, user=user, background=False)
    return Report(batch)


def amount(line: Any, year: int) -> Any:
    from ponti.planning.models import BudgetAmount

    return BudgetAmount.objects.get(line=line, year=year)


def snapshot() -> list[tuple[Any, ...]]:
    from ponti.planning.models import BudgetAmount, BudgetLine

    return [
        *BudgetAmount.objects.order_by("pk").values_list(
            "pk", "initial", "revised", "committed", "cashed", "version"
        ),
        *BudgetLine.objects.order_by("pk").values_list("pk", "number", "description"),
    ]


@pytest.fixture
def responsabile(personas: dict[str, Any]) -> Any:
    return personas["responsabile"]


def test_it_updates_the_amounts_of_existing_lines(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    data = csv_bytes("1450;S;2024;23.000,00;1.234,56;", "210;E;2023;;13.000,00;")
    report = run(data, responsabile, ente)
    assert report.ok, report
    assert report.applied
    assert [r.status for r in report.rows] == ["aggiornato", "aggiornato"]
    fees = amount(seed_budget["fees"], 2024)
    assert (fees.initial, fees.committed, fees.cashed) == (
        Decimal("23000.00"),
        Decimal("1234.56"),
        Decimal("0.00"),
    )
    eu = amount(seed_budget["eu"], 2023)
    # The empty previsione keeps the stored one.
    assert (eu.initial, eu.committed) == (Decimal("40000.00"), Decimal("13000.00"))


def test_it_refuses_an_ambiguous_thousands_amount(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(csv_bytes("1450;S;2024;13.000;;"), responsabile, ente)
    assert not report.applied
    assert report.rows[0].errors[0].startswith("previsione_iniziale: «13.000» è ambiguo")
    assert amount(seed_budget["fees"], 2024).initial == Decimal("22000.00")


def test_it_reports_the_change_old_to_new_in_the_dry_run(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(csv_bytes("1450;S;2024;23.000,00;;"), responsabile, ente, dry_run=True)
    (row,) = report.rows
    assert row.status == "aggiornato"
    assert row.label == "S 1450 – Capitolo 1450 (2024)"
    assert any("22.000,00" in change and "23.000,00" in change for change in row.changes)


def test_a_dry_run_saves_nothing(seed_budget: dict[str, Any], responsabile: Any, ente: Any) -> None:
    from ponti.core.models import AuditEvent

    before, events = (
        snapshot(),
        AuditEvent.objects.exclude(content_type__model="importbatch").count(),
    )
    report = run(
        csv_bytes(
            "1450;S;2024;23000;;;;",
            "9999;S;2024;1;;;Nuovo capitolo;1",
            header=HEADER + ";descrizione;titolo",
        ),
        responsabile,
        ente,
        dry_run=True,
    )
    assert report.ok
    assert not report.applied
    assert (report.counts["aggiornato"], report.counts["nuovo"]) == (1, 1)
    assert snapshot() == before
    assert AuditEvent.objects.exclude(content_type__model="importbatch").count() == events


def test_one_bad_row_among_good_ones_saves_nothing_and_every_error_is_listed(
    seed_budget: dict[str, Any],
    responsabile: Any,
    ente: Any,
) -> None:
    before = snapshot()
    data = csv_bytes(
        "1450;S;2024;23000;;",  # row 2: good
        "1451;S;2023;abc;;",  # row 3: not a number
        "1451;S;2024;100,505;;",  # row 4: three decimals
        "210;E;2023;5000;;",  # row 5: good
        "210;X;2022;1;;",  # row 6: tipo
    )
    report = run(data, responsabile, ente)
    assert not report.ok
    assert not report.applied
    assert snapshot() == before
    by_row = {r.number: r for r in report.rows}
    assert by_row[2].status == "aggiornato" and not by_row[2].errors
    assert by_row[3].status == "errore"
    assert by_row[3].errors == [by_row[3].errors[0]]
    assert by_row[3].errors[0].startswith("previsione_iniziale: «abc» non è un importo")
    assert "previsione_iniziale" in by_row[4].errors[0] and "2 decimali" in by_row[4].errors[0]
    assert by_row[6].errors[0].startswith("tipo: «X»")
    assert report.counts == {"nuovo": 0, "aggiornato": 2, "invariato": 0, "errore": 3}


def test_it_refuses_a_negative_amount(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(csv_bytes("1450;S;2024;-100;;"), responsabile, ente)
    assert not report.applied
    assert "negativ" in report.rows[0].errors[0]
    assert amount(seed_budget["fees"], 2024).initial == Decimal("22000.00")


def test_it_refuses_an_unknown_classification_code(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    header = HEADER + ";descrizione;classificazione"
    report = run(
        csv_bytes(
            "7000;S;2024;10;;;Nuovo capitolo;999", "7001;E;2024;10;;;Altro;103", header=header
        ),
        responsabile,
        ente,
    )
    assert not report.applied
    assert report.rows[0].errors[0].startswith("classificazione: «999»")
    # 103 is a Macroaggregato (spesa): not a Tipologia of entrata.
    assert report.rows[1].errors[0].startswith("classificazione: «103»")


def test_it_refuses_an_unknown_objective(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    header = HEADER + ";descrizione;classificazione;obiettivo"
    report = run(
        csv_bytes("7000;S;2024;10;;;Nuovo;103;1901/9999", header=header), responsabile, ente
    )
    assert not report.ok
    assert any(e.startswith("obiettivo: «1901/9999»") for e in report.rows[0].errors)


def test_it_refuses_a_year_outside_the_objective_horizon(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(csv_bytes("1450;S;2025;1000;;", "1450;S;2024;1000;;"), responsabile, ente)
    assert not report.applied
    assert report.rows[0].errors == [
        "anno: il 2025 è fuori dall'orizzonte dell'obiettivo 1901/0159 (2022–2024)."
    ]
    assert report.rows[1].status == "aggiornato"


def test_it_refuses_a_new_line_without_description_or_titolo(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    from ponti.planning.models import BudgetLine

    report = run(csv_bytes("7000;S;2024;10;;"), responsabile, ente)
    assert not report.applied
    message = report.rows[0].errors[0]
    assert "7000" in message and "descrizione" in message and "titolo" in message
    assert not BudgetLine.objects.filter(number="7000").exists()


def test_it_refuses_the_same_line_and_year_twice(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(csv_bytes("1450;S;2024;1;;", "1450;spesa;2024;2;;"), responsabile, ente)
    assert not report.applied
    assert report.rows[0].status == "aggiornato"
    assert "riga 2" in report.rows[1].errors[0]
    assert amount(seed_budget["fees"], 2024).initial == Decimal("22000.00")


def test_it_warns_when_impegnato_exceeds_the_previsione_and_still_saves(
    seed_budget: dict[str, Any],
    responsabile: Any,
    ente: Any,
) -> None:
    report = run(csv_bytes("1450;S;2024;1000;1500;1600"), responsabile, ente)
    assert report.applied
    warnings = report.rows[0].warnings
    assert any("L'impegnato" in w and "supera la previsione" in w for w in warnings)
    assert any("Il pagato supera" in w for w in warnings)
    assert amount(seed_budget["fees"], 2024).committed == Decimal("1500.00")


def test_an_equal_row_is_unchanged_and_writes_nothing(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    from ponti.core.models import AuditEvent

    events = AuditEvent.objects.exclude(content_type__model="importbatch").count()
    stored = amount(seed_budget["fees"], 2022)
    report = run(csv_bytes("1450;S;2022;20000;18.500,00;18500.00"), responsabile, ente)
    assert report.applied
    assert report.rows[0].status == "invariato"
    assert amount(seed_budget["fees"], 2022).version == stored.version
    assert AuditEvent.objects.exclude(content_type__model="importbatch").count() == events


def test_it_creates_a_new_line_over_several_years(
    seed: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    from ponti.planning.models import BudgetLine

    header = "Capitolo;Tipo;Anno;Descrizione;Classificazione;Programma;Obiettivo;Previsione iniziale;Impegnato"
    data = csv_bytes(
        "1460;S;2022;Missioni all'estero;103;1901;1901/0159;5.000,00;4.000,00",
        "1460;S;2023;;;;;6.000,00;",
        header=header,
    )
    report = run(data, responsabile, ente)
    assert report.ok, [r.errors for r in report.rows]
    assert report.applied
    assert [r.status for r in report.rows] == ["nuovo", "nuovo"]
    line = BudgetLine.objects.get(ente=ente, side="spesa", number="1460")
    assert line.description == "Missioni all'estero"
    assert line.category is not None and line.programma is not None
    assert (line.titolo.code, line.category.code, line.programma.code) == ("1", "103", "1901")
    assert line.objective == seed["operational"]
    assert amount(line, 2022).committed == Decimal("4000.00")
    assert amount(line, 2023).initial == Decimal("6000.00")


def test_it_creates_an_entrata_line_with_its_tipologia(
    seed: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    from ponti.planning.models import BudgetLine

    header = "capitolo;tipo;anno;descrizione;titolo;classificazione;accertato"
    report = run(
        csv_bytes("215;entrata;2023;Contributo UE;2;2.105;12.000,00", header=header),
        responsabile,
        ente,
    )
    assert report.applied, [r.errors for r in report.rows]
    line = BudgetLine.objects.get(ente=ente, side="entrata", number="215")
    assert line.category is not None and line.category.code == "20105"
    assert amount(line, 2023).committed == Decimal("12000.00")


def test_only_who_may_add_lines_creates_them(
    seed: dict[str, Any], make_user: Any, ente: Any, monkeypatch: Any
) -> None:
    from ponti.core import roles

    # A role that may change amounts but not add lines (none is so today; the rule must hold).
    definition = roles.ROLE_DEFINITIONS["responsabile"]
    monkeypatch.setitem(
        roles.ROLE_DEFINITIONS,
        "responsabile",
        roles.RoleDefinition(
            definition.permissions - {"planning.add_budgetline"}, definition.clearance
        ),
    )
    user = make_user("responsabile", username="contabile")
    header = HEADER + ";descrizione;titolo"
    report = run(csv_bytes("7000;S;2024;10;;;Nuovo;1", header=header), user, ente)
    assert not report.applied
    assert "permesso di creare capitoli" in report.rows[0].errors[0]


def test_it_refuses_a_user_without_the_permission(
    seed_budget: dict[str, Any], personas: dict[str, Any], ente: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(csv_bytes("1450;S;2024;1;;"), personas["revisore"], ente)


def test_it_refuses_another_ente(
    seed_budget: dict[str, Any], responsabile: Any, other_ente: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(csv_bytes("1450;S;2024;1;;"), responsabile, other_ente)


def test_it_reads_a_semicolon_csv_with_bom_and_italian_numbers(
    seed_budget: dict[str, Any],
    responsabile: Any,
    ente: Any,
) -> None:
    header = "CAPITOLO;Tipo;Anno;Previsione Assestata;Impegnato/Accertato;Pagato-Riscosso"
    data = csv_bytes('1451;S;2023;"5.500,50";1.234.567,89;"1.000,00"', header=header, bom=True)
    report = run(data, responsabile, ente)
    assert report.ok, report
    stored = amount(seed_budget["missions"], 2023)
    assert stored.revised == Decimal("5500.50")
    assert stored.committed == Decimal("1234567.89")
    assert stored.cashed == Decimal("1000.00")


def test_it_reads_a_comma_csv_in_cp1252(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    header = "capitolo,tipo,anno,descrizione,titolo,classificazione,programma,previsione_iniziale"
    data = csv_bytes(
        '1470,S,2024,"Attività, città e università",1,103,1901,"1.500,00"',
        header=header,
        encoding="cp1252",
    )
    report = run(data, responsabile, ente)
    assert report.applied, report
    from ponti.planning.models import BudgetLine

    line = BudgetLine.objects.get(number="1470")
    assert line.description == "Attività, città e università"
    assert amount(line, 2024).initial == Decimal("1500.00")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_an_xlsx_with_float_cells(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    data = xlsx_bytes(
        [
            [
                "capitolo",
                "tipo",
                "anno",
                "previsione_iniziale",
                "impegnato_accertato",
                "pagato_riscosso",
            ],
            [1450, "S", 2024.0, 22500.5, 1234.56, None],
            [210.0, "E", 2022, 30000, 30000.1, 1.005],
        ]
    )
    report = run(data, responsabile, ente, filename="contabilita.xlsx")
    assert [r.status for r in report.rows] == ["aggiornato", "errore"]
    # A cell holding 1.005 has more than 2 decimals: refused, like a typed one.
    assert report.rows[1].errors[0].startswith("pagato_riscosso:")
    assert not report.applied
    data = xlsx_bytes(
        [
            ["capitolo", "tipo", "anno", "previsione_iniziale", "impegnato_accertato"],
            [1450, "S", 2024.0, 22500.5, 1234.56],
        ]
    )
    report = run(data, responsabile, ente, filename="contabilita.xlsx")
    assert report.applied
    stored = amount(seed_budget["fees"], 2024)
    assert (stored.initial, stored.committed) == (Decimal("22500.50"), Decimal("1234.56"))


def test_it_writes_audit_events_with_the_importing_user(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    from ponti.core.models import AuditEvent

    stored = amount(seed_budget["fees"], 2024)
    header = HEADER + ";descrizione;titolo"
    report = run(
        csv_bytes("1450;S;2024;23000;;;;", "7000;S;2024;10;;;Nuovo capitolo;1", header=header),
        responsabile,
        ente,
    )
    assert report.applied
    # Written in bulk: one event per chunk and kind, linked to every record it touched.
    update = AuditEvent.objects.for_object(stored).filter(action="bulk").get()
    assert update.actor == responsabile and update.channel == "import"
    assert update.changes["initial"] == ["22000.00", "23000.00"]
    from ponti.planning.models import BudgetLine

    created = AuditEvent.objects.for_object(BudgetLine.objects.get(number="7000")).filter(
        action="bulk"
    )
    assert created.exists() and all(e.actor == responsabile for e in created)


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "vuoto.csv", "vuoto"),
        (HEADER.encode() + b"\r\n", "solo.csv", "solo l'intestazione"),
        (b"capitolo;anno;previsione_iniziale\r\n1450;2024;1\r\n", "x.csv", "tipo"),
        (
            b"capitolo;tipo;anno;previsione_inizale\r\n1450;S;2024;1\r\n",
            "x.csv",
            "previsione_inizale",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "vecchio.xls", "XLS"),
        (b"PK\x03\x04 not really a zip", "rotto.xlsx", "XLSX"),
        (b"capitolo;tipo;anno\r\n1450;S;2024\r\n", "x.csv", "colonne di importi"),
    ],
)
def test_it_refuses_an_unreadable_file_with_a_clear_message(
    seed_budget: dict[str, Any],
    responsabile: Any,
    ente: Any,
    data: bytes,
    filename: str,
    expected: str,
) -> None:
    report = run(data, responsabile, ente, filename=filename)
    assert not report.applied
    assert not report.ok
    assert any(expected in e for e in report.file_errors), report.file_errors


def test_it_refuses_a_file_over_the_upload_limit(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any, settings: Any
) -> None:
    settings.PONTI_IMPORT_MAX_MB = 1
    data = csv_bytes(*["1450;S;2024;1;;"] * 80_000)
    report = run(data, responsabile, ente)
    assert "1 MB" in report.file_errors[0]


def sample(name: str) -> bytes:
    from pathlib import Path

    import ponti.planning

    return (Path(ponti.planning.__file__).parent / "data" / "esempi" / name).read_bytes()


def test_the_documented_csv_sample_creates_its_lines(
    seed: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(sample("importi_esempio.csv"), responsabile, ente, dry_run=True)
    assert report.ok, [(r.number, r.errors) for r in report.rows]
    assert report.counts["nuovo"] == 4
    assert any("supera la previsione" in w for w in report.rows[2].warnings)


def test_the_documented_xlsx_sample_updates_the_lines(
    seed_budget: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    report = run(
        sample("importi_esempio.xlsx"), responsabile, ente, filename="importi_esempio.xlsx"
    )
    assert report.applied, [(r.number, r.errors) for r in report.rows]
    assert amount(seed_budget["missions"], 2024).revised == Decimal("5200.00")


def test_a_different_description_of_an_existing_line_is_shown_not_applied(
    seed_budget: dict[str, Any],
    responsabile: Any,
    ente: Any,
) -> None:
    report = run(
        csv_bytes("1450;S;2024;1;;;Altra descrizione", header=HEADER + ";descrizione"),
        responsabile,
        ente,
    )
    assert report.applied
    assert "descrizione" in report.rows[0].warnings[0]
    seed_budget["fees"].refresh_from_db()
    assert seed_budget["fees"].description == "Capitolo 1450"


def test_an_example_line_is_flagged(
    seed: dict[str, Any], make_line: Any, responsabile: Any, ente: Any
) -> None:
    make_line("1499", objective=seed["operational"], example=True)
    report = run(csv_bytes("1499;S;2023;100;;"), responsabile, ente, dry_run=True)
    assert any("importi di esempio" in w for w in report.rows[0].warnings)


def test_a_new_line_takes_its_years_from_its_objective(
    seed: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    header = HEADER + ";descrizione;classificazione;obiettivo"
    report = run(
        csv_bytes("7000;S;2021;10;;;Nuovo;103;1901/0159", header=header), responsabile, ente
    )
    assert not report.applied
    assert "2021" in report.rows[0].errors[0] and "1901/0159" in report.rows[0].errors[0]


def test_a_reserved_line_is_refused_without_disclosing_it(
    seed: dict[str, Any], make_line: Any, responsabile: Any, ente: Any
) -> None:
    make_line(
        "1498",
        description="Capitolo riservato",
        confidentiality="riservato",
        amounts={2023: ("100.00",)},
    )
    report = run(csv_bytes("1498;S;2023;200;;"), responsabile, ente)
    assert not report.applied
    assert report.rows[0].label.startswith("S 1498")
    assert "riservato" in report.rows[0].errors[0]
    assert "Capitolo riservato" not in str(report)


def test_a_bad_figure_on_a_new_line_is_reported_once(
    seed: dict[str, Any], responsabile: Any, ente: Any
) -> None:
    header = HEADER + ";descrizione;titolo"
    report = run(
        csv_bytes("7000;S;2023;abc;;;Nuovo capitolo;1", "7000;S;2024;10;;;;", header=header),
        responsabile,
        ente,
    )
    assert not report.applied
    assert report.rows[0].status == "errore"
    assert (report.rows[1].status, report.rows[1].errors) == ("nuovo", [])
