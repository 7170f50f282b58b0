"""The engine's promises: all or nothing, undo while unchanged, and the same batches in the pages
and the API for whoever may import that kind in that ente, and nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

GOOD = b"partner;paese;anno\nKassel;DE;1958\nReims;FR;1954\n"


@pytest.fixture
def ufficio(personas: dict[str, Any]) -> Any:
    return personas["ufficio"]


def counts() -> tuple[int, int]:
    from ponti.agreements.models import Agreement
    from ponti.partners.models import Organisation

    return Agreement.objects.count(), Organisation.objects.count()


def test_a_refused_row_leaves_nothing_written(run_import: Any, ufficio: Any, ente: Any) -> None:
    before = counts()
    batch = run_import("agreements", GOOD + b"Nowhere;XX;1960\n", ufficio, ente)
    assert batch.status == "refused"
    assert batch.counts == {"nuovo": 2, "aggiornato": 0, "invariato": 0, "errore": 1}
    assert counts() == before


def test_a_row_that_fails_while_writing_undoes_the_rows_before_it(
    run_import: Any, ufficio: Any, ente: Any, monkeypatch: Any
) -> None:
    from ponti.agreements import importers

    before = counts()
    real = importers.create_agreement
    calls = {"n": 0}

    def second_fails(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError("scritto da qualcun altro nel frattempo")
        return real(**kwargs)

    monkeypatch.setattr(importers, "create_agreement", second_fails)
    batch = run_import("agreements", GOOD, ufficio, ente)
    assert batch.status == "failed"
    assert batch.file_errors[0] == "Riga 3: scritto da qualcun altro nel frattempo"
    assert counts() == before


def test_an_import_is_undone_while_its_records_are_unchanged(
    run_import: Any, ufficio: Any, ente: Any
) -> None:
    from django.core.exceptions import ValidationError

    from ponti.agreements.models import Agreement
    from ponti.agreements.services import update_agreement
    from ponti.core.importing import services

    before = counts()
    batch = run_import("agreements", GOOD, ufficio, ente)
    assert batch.status == "done" and counts() != before
    kassel = Agreement.objects.get(partners__name="Kassel")
    update_agreement(
        kassel, user=ufficio, data={"description": "Rivisto"}, expected_version=kassel.version
    )
    with pytest.raises(ValidationError) as refused:
        services.undo(batch, user=ufficio, background=False)
    assert "è stato modificato dopo l'importazione" in refused.value.messages[0]
    kassel.refresh_from_db()
    # Put back as imported? No: the office's change is kept; the batch can't be undone.
    other = run_import("agreements", b"partner;paese\nDresden;DE\n", ufficio, ente)
    undone = services.undo(other, user=ufficio, background=False)
    assert undone.status == "undone"
    assert not Agreement.objects.filter(partners__name="Dresden").exists()
    from ponti.partners.models import Organisation

    assert not Organisation.objects.filter(name="Dresden").exists()


def test_an_undo_is_recorded_in_the_change_log(run_import: Any, ufficio: Any, ente: Any) -> None:
    from ponti.core.importing import services
    from ponti.core.models import AuditEvent

    batch = run_import("agreements", b"partner;paese\nDresden;DE\n", ufficio, ente)
    services.undo(batch, user=ufficio, background=False)
    deleted = AuditEvent.objects.filter(action="delete", content_type__model="agreement")
    assert deleted.count() == 1 and deleted.get().actor == ufficio
    assert deleted.get().channel == "import"


# --- The API --------------------------------------------------------------------------------


def post(api: Any, data: bytes, **fields: Any) -> Any:
    return api.client.post("/api/v1/imports", {"file": SimpleUploadedFile("a.csv", data), **fields})


def test_the_api_checks_commits_and_undoes_in_the_background(
    api_as: Any, ente: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api = api_as("ufficio")
    with django_capture_on_commit_callbacks(execute=True):
        started = post(api, GOOD, kind="agreements")
    assert started.status_code == 202, started.content
    batch_id = started.json()["id"]
    status = api.get(f"/imports/{batch_id}").json()
    assert status["status"] == "checked" and status["counts"]["nuovo"] == 2
    rows = api.get(f"/imports/{batch_id}/rows?status=nuovo").json()
    assert [r["number"] for r in rows["items"]] == [2, 3]
    with django_capture_on_commit_callbacks(execute=True):
        committed = api.client.post(f"/api/v1/imports/{batch_id}/commit")
    assert committed.status_code == 202
    assert api.get(f"/imports/{batch_id}").json()["status"] == "done"
    with django_capture_on_commit_callbacks(execute=True):
        undone = api.client.post(f"/api/v1/imports/{batch_id}/undo")
    assert undone.status_code == 202
    assert api.get(f"/imports/{batch_id}").json()["status"] == "undone"
    kinds = {k["kind"] for k in api.get("/imports/kinds").json()}
    assert "agreements" in kinds and "budget" not in kinds  # the Ufficio has no budget role


def test_the_api_refuses_what_the_role_may_not_import(
    api_as: Any, personas: dict[str, Any]
) -> None:
    revisore = api_as("revisore")
    assert post(revisore, GOOD, kind="agreements").status_code == 403
    assert post(revisore, GOOD, kind="nessuno").status_code == 422


def test_a_batch_of_another_ente_is_not_found(
    api_as: Any, make_user: Any, other_ente: Any, run_import: Any
) -> None:
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    batch = run_import("agreements", GOOD, outsider, other_ente, write=False)
    api = api_as("ufficio")
    assert api.get(f"/imports/{batch.pk}").status_code == 404
    assert api.client.post(f"/api/v1/imports/{batch.pk}/commit").status_code == 404
    assert api.get("/imports").json()["count"] == 0


# --- The pages ------------------------------------------------------------------------------


def test_the_pages_upload_show_the_report_confirm_and_undo(
    client: Any, ufficio: Any, ente: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(ufficio)
    assert client.get("/importazioni/nuova/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/importazioni/nuova/",
            {"kind": "agreements", "ente": ente.pk, "file": SimpleUploadedFile("a.csv", GOOD)},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Verificata: pronta da confermare" in page and "Conferma: scrivi 2 righe" in page
    batch_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/importazioni/{batch_id}/conferma/")
    page = client.get(f"/importazioni/{batch_id}/").content.decode()
    assert "Importata" in page and "Annulla l'importazione" in page
    report = client.get(f"/importazioni/{batch_id}/?export=csv")
    assert b"Kassel" in b"".join(report.streaming_content)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/importazioni/{batch_id}/annulla/")
    assert "Annullata" in client.get(f"/importazioni/{batch_id}/").content.decode()


def test_a_form_error_keeps_the_choices_and_says_what_is_wrong(
    client: Any, ufficio: Any, ente: Any
) -> None:
    client.force_login(ufficio)
    response = client.post("/importazioni/nuova/", {"kind": "agreements", "ente": ente.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Questo campo è obbligatorio" in html
    assert 'value="agreements" selected' in html


def test_readers_may_not_open_the_import_pages(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["revisore"])
    assert client.get("/importazioni/").status_code == 403
    assert client.get("/importazioni/nuova/").status_code == 403


def test_a_batch_is_read_only_by_who_reads_as_much_as_its_author(
    api_as: Any, make_user: Any, ente: Any, run_import: Any
) -> None:
    from tests.api.helpers import token_client

    author = make_user("ufficio", username="autore", clearance="riservato")
    colleague = make_user("ufficio", username="collega", clearance="interno")
    batch = run_import("agreements", GOOD, author, ente, write=False)
    assert batch.confidentiality == "riservato"
    assert token_client(colleague).get(f"/imports/{batch.pk}").status_code == 404
    assert token_client(author).get(f"/imports/{batch.pk}").status_code == 200


# --- Rules across rows --------------------------------------------------------------------


@pytest.mark.parametrize(("whole_file", "chunks"), [(False, [2, 2, 1]), (True, [5])])
def test_check_together_sees_each_chunk_or_the_whole_file(
    monkeypatch: Any, whole_file: bool, chunks: list[int]
) -> None:
    from ponti.core.importing import engine
    from ponti.core.importing.kinds import Importer

    seen: list[int] = []

    class Pairs(Importer):
        def check(self, row: Any, cells: list[Any]) -> Any:
            row.status = "nuovo"
            return cells[0]

        def check_together(self, checked: list[tuple[Any, Any]]) -> None:
            seen.append(len(checked))
            for report, plan in checked:
                if plan == "b":  # refused with the other rows in view: its plan is dropped
                    report.error("", "b")

    Pairs.whole_file = whole_file
    monkeypatch.setattr(engine, "CHUNK", 2)
    meter = type("Meter", (), {"step": lambda self, done: None})()
    rows = iter([(n + 2, [value]) for n, value in enumerate("abcde")])
    out = [
        pair
        for chunk in engine._checked_rows(Pairs(ente=None, user=None), rows, ["x"], meter)  # type: ignore[arg-type]
        for pair in chunk
    ]
    assert seen == chunks
    assert [(r.status, plan) for r, plan in out] == [
        ("nuovo", "a"),
        ("errore", None),
        ("nuovo", "c"),
        ("nuovo", "d"),
        ("nuovo", "e"),
    ]
