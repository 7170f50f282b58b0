"""Import of the budget classification: validated, all-or-nothing, upsert by (level, side, code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

HEADER = "level,side,code,name,parent_code,source"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def run(data: bytes, user: Any, *, dry_run: bool = False) -> Any:
    from ponti.planning.classification import import_classification

    return import_classification(data, "classificazione.csv", user=user, dry_run=dry_run)


def names() -> dict[tuple[str, str, str], tuple[str, str | None]]:
    from ponti.planning.models import BudgetCode

    return {
        (c.level, c.side, c.code): (c.name, c.parent.code if c.parent else None)
        for c in BudgetCode.objects.select_related("parent")
    }


@pytest.fixture
def admin(personas: dict[str, Any]) -> Any:
    return personas["amministratore"]


def test_the_shipped_file_imports_unchanged(admin: Any) -> None:
    import ponti.planning

    shipped = Path(ponti.planning.__file__).parent / "data" / "budget_classification.csv"
    report = run(shipped.read_bytes(), admin)
    assert report.ok, [(r.number, r.errors) for r in report.rows if r.errors]
    assert report.counts["invariato"] == len(report.rows) > 70


def test_a_good_file_updates_a_label_and_adds_codes(admin: Any) -> None:
    from ponti.core.models import AuditEvent
    from ponti.planning.models import BudgetCode

    data = csv_bytes(
        "programma,spesa,1901,Relazioni internazionali e cooperazione allo sviluppo,19,",
        "programma,spesa,0101,Organi istituzionali,01,D.Lgs. 118/2011",
        "missione,spesa,99,Servizi per conto terzi,,",
        "programma,spesa,9901,Servizi per conto terzi - Partite di giro,99,",  # its parent is new, in the same file
    )
    report = run(data, admin)
    assert report.applied, [(r.number, r.errors) for r in report.rows]
    assert [r.status for r in report.rows] == ["aggiornato", "nuovo", "nuovo", "nuovo"]
    codes = names()
    assert codes[("programma", "spesa", "1901")] == (
        "Relazioni internazionali e cooperazione allo sviluppo",
        "19",
    )
    assert codes[("programma", "spesa", "9901")][1] == "99"
    programma = BudgetCode.objects.get(level="programma", code="1901")
    assert programma.source  # an empty source cell keeps the stored one
    event = AuditEvent.objects.for_object(programma).get()
    assert event.actor == admin and event.action == "update"


def test_codes_missing_from_the_file_are_kept(admin: Any) -> None:
    from ponti.planning.models import BudgetCode

    before = BudgetCode.objects.count()
    report = run(csv_bytes("missione,spesa,19,Relazioni internazionali,,"), admin)
    assert report.applied
    assert report.rows[0].status == "invariato"
    assert BudgetCode.objects.count() == before


def test_a_bad_parent_is_refused_and_nothing_is_half_saved(admin: Any) -> None:
    before = names()
    data = csv_bytes(
        "programma,spesa,1901,Nuovo nome,19,",  # good
        "programma,spesa,7701,Programma orfano,77,",  # no Missione 77
        "tipologia,entrata,20199,Tipologia,9,",  # Titolo 9 of entrata exists…
        "macroaggregato,spesa,999,Macro,6,",  # …but there is no Titolo 6 of spesa
    )
    report = run(data, admin)
    assert not report.applied
    assert names() == before
    statuses = [r.status for r in report.rows]
    assert statuses == ["aggiornato", "errore", "nuovo", "errore"]
    assert report.rows[1].errors == [
        "parent_code: Missione 77 non esiste né nel file né nella classificazione."
    ]
    assert "Titolo 6 di spesa" in report.rows[3].errors[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("capitolo,spesa,1,Nome,,", "level: «capitolo»"),
        ("tipologia,spesa,20105,Nome,2,", "side: il livello Tipologia è solo di entrata"),
        ("missione,entrata,19,Nome,,", "side: il livello Missione è solo di spesa"),
        ("programma,spesa,19.01,Nome,19,", "code: «19.01» non è valido"),
        ("programma,spesa,1903,,19,", "name: manca"),
        ("programma,spesa,1903,Nome,,", "parent_code: manca il livello superiore (Missione)"),
        ("missione,spesa,30,Nome,19,", "parent_code: il livello Missione non ha livello superiore"),
        ("titolo,sopra,1,Nome,,", "side: «sopra»"),
    ],
)
def test_it_refuses_an_invalid_row(admin: Any, line: str, expected: str) -> None:
    before = names()
    report = run(csv_bytes(line), admin)
    assert not report.applied
    assert report.rows[0].status == "errore"
    assert any(e.startswith(expected) for e in report.rows[0].errors), report.rows[0].errors
    assert names() == before


def test_it_refuses_duplicates_in_the_file(admin: Any) -> None:
    report = run(csv_bytes("missione,spesa,19,Uno,,", "missione,,19,Due,,"), admin)
    assert not report.applied
    assert report.rows[1].errors[0].endswith("è già alla riga 2 del file.")


def test_a_dry_run_saves_nothing(admin: Any) -> None:
    before = names()
    report = run(csv_bytes("missione,spesa,98,Nuova,,"), admin, dry_run=True)
    assert report.ok and not report.applied
    assert report.rows[0].status == "nuovo"
    assert names() == before


def test_it_warns_when_a_used_code_moves_under_another_parent(admin: Any, make_line: Any) -> None:
    make_line("1450")
    report = run(
        csv_bytes("macroaggregato,spesa,103,Acquisto di beni e servizi,2,"), admin, dry_run=True
    )
    assert report.ok
    assert report.rows[0].status == "aggiornato"
    assert "1 tra capitoli e obiettivi" in report.rows[0].warnings[0]


def test_italian_headers_are_accepted(admin: Any) -> None:
    data = csv_bytes(
        "Missione;;19;Relazioni internazionali;",
        header="Livello;Tipo;Codice;Denominazione;Codice superiore",
    )
    report = run(data, admin)
    assert report.ok, report
    assert report.rows[0].status == "invariato"


def test_only_administrators_import_it(personas: dict[str, Any]) -> None:
    report = run(csv_bytes("missione,spesa,98,Nuova,,"), personas["responsabile"])
    assert report.file_errors and not report.applied
    assert ("missione", "spesa", "98") not in names()


def test_the_documented_sample_is_valid(admin: Any) -> None:
    import ponti.planning

    sample = (
        Path(ponti.planning.__file__).parent / "data" / "esempi" / "classificazione_esempio.csv"
    )
    report = run(sample.read_bytes(), admin, dry_run=True)
    assert report.ok, [(r.number, r.errors) for r in report.rows]
