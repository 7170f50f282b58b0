"""The budget classification through the import engine (kind «budget-codes»): checked row by row
and then together (a parent may come later in the file), all-or-nothing, upsert by
(level, side, code), undone as a whole."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.imports.helpers import Report, undo
from tests.imports.helpers import run as run_kind

HEADER = "level,side,code,name,parent_code,source"
KIND = "budget-codes"


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


@pytest.fixture
def admin(personas: dict[str, Any]) -> Any:
    return personas["amministratore"]


@pytest.fixture
def run(ente: Any) -> Any:
    def go(data: bytes, user: Any, *, dry_run: bool = False) -> Report:
        return run_kind(KIND, data, user, ente, dry_run=dry_run, filename="classificazione.csv")

    return go


def statuses(report: Report) -> list[str]:
    return [r.status for r in report.rows.values()]


def row(report: Report, index: int) -> Any:
    """The index-th row of the file's body (0: the row after the header)."""
    return report.rows[index + 2]


def names() -> dict[tuple[str, str, str], tuple[str, str | None]]:
    from ponti.planning.models import BudgetCode

    return {
        (c.level, c.side, c.code): (c.name, c.parent.code if c.parent else None)
        for c in BudgetCode.objects.select_related("parent")
    }


def test_the_kind_is_registered_with_the_one_engine() -> None:
    from ponti.core.importing import kinds

    importer = kinds.get(KIND)
    assert importer is not None and importer.whole_file
    assert str(importer.label) == "Classificazione di bilancio"
    assert "tutti gli enti" in str(importer.description)


def test_the_shipped_file_imports_unchanged(admin: Any, run: Any) -> None:
    import ponti.planning

    shipped = Path(ponti.planning.__file__).parent / "data" / "budget_classification.csv"
    report = run(shipped.read_bytes(), admin)
    assert report.status == "done", report
    assert report.counts == {"invariato": len(report.rows)} and len(report.rows) > 70


def test_a_good_file_updates_a_label_and_adds_codes(admin: Any, run: Any) -> None:
    from ponti.core.models import AuditEvent
    from ponti.planning.models import BudgetCode

    data = csv_bytes(
        "programma,spesa,1901,Relazioni internazionali e cooperazione allo sviluppo,19,",
        "programma,spesa,0101,Organi istituzionali,01,D.Lgs. 118/2011",
        "missione,spesa,99,Servizi per conto terzi,,",
        "programma,spesa,9901,Servizi per conto terzi - Partite di giro,99,",  # its parent is new, in the same file
    )
    report = run(data, admin)
    assert report.status == "done", report
    assert statuses(report) == ["aggiornato", "nuovo", "nuovo", "nuovo"]
    assert row(report, 0).changes == [
        "denominazione: «Relazioni internazionali e Cooperazione allo sviluppo» → "
        "«Relazioni internazionali e cooperazione allo sviluppo»"
    ]
    codes = names()
    assert codes[("programma", "spesa", "1901")] == (
        "Relazioni internazionali e cooperazione allo sviluppo",
        "19",
    )
    assert codes[("programma", "spesa", "9901")][1] == "99"
    programma = BudgetCode.objects.get(level="programma", code="1901")
    assert programma.source  # an empty source cell keeps the stored one
    event = AuditEvent.objects.for_object(programma).get()
    assert event.actor == admin and event.action == "update" and event.channel == "import"


def test_a_parent_may_come_later_in_the_file(admin: Any, run: Any) -> None:
    data = csv_bytes(
        "programma,spesa,9901,Partite di giro,99,",
        "macroaggregato,spesa,901,Uscite per partite di giro,9,",
        "titolo,spesa,9,Uscite per conto terzi e partite di giro,,",
        "missione,spesa,99,Servizi per conto terzi,,",
    )
    report = run(data, admin)
    assert report.status == "done", report
    assert statuses(report) == ["nuovo"] * 4
    codes = names()
    assert codes[("programma", "spesa", "9901")] == ("Partite di giro", "99")
    assert codes[("macroaggregato", "spesa", "901")][1] == "9"


def test_a_row_whose_parent_row_has_errors_is_refused(admin: Any, run: Any) -> None:
    before = names()
    data = csv_bytes(
        "programma,spesa,9901,Partite di giro,99,",  # its parent (row 4) is refused…
        "programma,spesa,9801,Altro,98,",  # …and so is this one's (row 5)
        "missione,spesa,99,Servizi per conto terzi,,D" + "x" * 500,
        "missione,spesa,98,Nome,19,",
    )
    report = run(data, admin)
    assert report.status == "refused", report
    assert statuses(report) == ["errore"] * 4
    assert row(report, 0).errors == ["parent_code: il livello superiore 99 ha errori alla riga 4."]
    assert row(report, 1).errors == ["parent_code: il livello superiore 98 ha errori alla riga 5."]
    assert row(report, 2).errors == ["source: la fonte è più lunga di 500 caratteri."]
    assert names() == before


def test_codes_missing_from_the_file_are_kept(admin: Any, run: Any) -> None:
    from ponti.planning.models import BudgetCode

    before = BudgetCode.objects.count()
    report = run(csv_bytes("missione,spesa,19,Relazioni internazionali,,"), admin)
    assert report.status == "done"
    assert statuses(report) == ["invariato"]
    assert BudgetCode.objects.count() == before


def test_a_bad_parent_is_refused_and_nothing_is_half_saved(admin: Any, run: Any) -> None:
    before = names()
    data = csv_bytes(
        "programma,spesa,1901,Nuovo nome,19,",  # good
        "programma,spesa,7701,Programma orfano,77,",  # no Missione 77
        "tipologia,entrata,20199,Tipologia,9,",  # Titolo 9 of entrata exists…
        "macroaggregato,spesa,999,Macro,6,",  # …but there is no Titolo 6 of spesa
    )
    dry = run(data, admin, dry_run=True)
    assert statuses(dry) == ["aggiornato", "errore", "nuovo", "errore"]
    assert row(dry, 1).errors == [
        "parent_code: Missione 77 non esiste né nel file né nella classificazione."
    ]
    assert "Titolo 6 di spesa" in row(dry, 3).errors[0]
    report = run(data, admin)
    assert report.status == "refused"
    assert names() == before


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("capitolo,spesa,1,Nome,,", "level: «capitolo»"),
        ("tipologia,spesa,20105,Nome,2,", "side: il livello Tipologia è solo di entrata"),
        ("missione,entrata,19,Nome,,", "side: il livello Missione è solo di spesa"),
        ("titolo,,1,Nome,,", "side: manca; per il livello Titolo"),
        ("programma,spesa,19.01,Nome,19,", "code: «19.01» non è valido"),
        ("programma,spesa,1234567890123,Nome,19,", "code: «1234567890123» non è valido"),
        ("programma,spesa,,Nome,19,", "code: manca il codice"),
        ("programma,spesa,1903,,19,", "name: manca"),
        ("programma,spesa,1903,Nome,,", "parent_code: manca il livello superiore (Missione)"),
        ("missione,spesa,30,Nome,19,", "parent_code: il livello Missione non ha livello superiore"),
        ("titolo,sopra,1,Nome,,", "side: «sopra»"),
    ],
)
def test_it_refuses_an_invalid_row(admin: Any, run: Any, line: str, expected: str) -> None:
    before = names()
    report = run(csv_bytes(line), admin)
    assert report.status == "refused"
    assert statuses(report) == ["errore"]
    assert any(e.startswith(expected) for e in row(report, 0).errors), report
    assert names() == before


def test_a_missione_is_always_spesa(admin: Any, run: Any) -> None:
    report = run(csv_bytes("Missioni,,97,Nuova missione,,"), admin)
    assert report.status == "done", report
    assert names()[("missione", "spesa", "97")] == ("Nuova missione", None)


def test_it_refuses_duplicates_in_the_file(admin: Any, run: Any) -> None:
    report = run(csv_bytes("missione,spesa,19,Uno,,", "missione,,19,Due,,"), admin)
    assert report.status == "refused"
    assert row(report, 1).errors[0].endswith("è già alla riga 2 del file.")


def test_a_dry_run_saves_nothing(admin: Any, run: Any) -> None:
    before = names()
    report = run(csv_bytes("missione,spesa,98,Nuova,,"), admin, dry_run=True)
    assert report.status == "checked"
    assert statuses(report) == ["nuovo"]
    assert names() == before


def test_it_warns_when_a_used_code_moves_under_another_parent(
    admin: Any, run: Any, make_line: Any
) -> None:
    make_line("1450")
    report = run(
        csv_bytes("macroaggregato,spesa,103,Acquisto di beni e servizi,2,"), admin, dry_run=True
    )
    assert report.status == "checked"
    assert statuses(report) == ["aggiornato"]
    assert row(report, 0).changes == ["livello superiore: 1 → 2"]
    assert "1 tra capitoli e obiettivi" in row(report, 0).warnings[0]


def test_italian_headers_are_accepted(admin: Any, run: Any) -> None:
    data = csv_bytes(
        "Missione;;19;Relazioni internazionali;",
        header="Livello;Tipo;Codice;Denominazione;Codice superiore",
    )
    report = run(data, admin)
    assert report.status == "done", report
    assert statuses(report) == ["invariato"]


def test_only_administrators_import_it(personas: dict[str, Any], run: Any) -> None:
    for role in ("responsabile", "ufficio", "revisore"):
        with pytest.raises(PermissionDenied, match="classificazione di bilancio"):
            run(csv_bytes("missione,spesa,98,Nuova,,"), personas[role])
    assert ("missione", "spesa", "98") not in names()


def test_the_documented_sample_is_valid(admin: Any, run: Any) -> None:
    import ponti.planning

    sample = (
        Path(ponti.planning.__file__).parent / "data" / "esempi" / "classificazione_esempio.csv"
    )
    report = run(sample.read_bytes(), admin, dry_run=True)
    assert report.status == "checked", report


def test_an_import_is_undone_new_codes_deleted_and_old_parents_put_back(
    admin: Any, run: Any
) -> None:
    before = names()
    data = csv_bytes(
        "missione,spesa,19,Relazioni internazionali (nuovo nome),,",  # updated first…
        "programma,spesa,1901,Relazioni internazionali,99,",  # …moved under a new Missione…
        "missione,spesa,99,Servizi per conto terzi,,",  # …which comes later in the file
    )
    report = run(data, admin)
    assert report.status == "done", report
    assert statuses(report) == ["aggiornato", "aggiornato", "nuovo"]
    assert names()[("programma", "spesa", "1901")][1] == "99"
    undone = undo(report, admin)
    assert undone.status == "undone", undone
    assert names() == before


def test_the_command_imports_the_classification(
    admin: Any, ente: Any, tmp_path: Path, settings: Any
) -> None:
    from django.core.management import call_command

    from ponti.core.importing.models import ImportBatch

    path = tmp_path / "codici.csv"
    path.write_bytes(csv_bytes("missione,spesa,96,Missione da comando,,"))
    call_command(
        "import",
        KIND,
        str(path),
        "--ente",
        ente.name,
        "--user",
        admin.username,
        stdout=io.StringIO(),
    )
    batch = ImportBatch.objects.get(kind=KIND)
    assert batch.status == "done" and batch.ente == ente
    assert names()[("missione", "spesa", "96")] == ("Missione da comando", None)
