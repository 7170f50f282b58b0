"""The classification page and the old import addresses: both imports (amounts and classification)
run through the import engine's pages (tests/imports), to which the old addresses redirect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

AMOUNTS_URL = "/programmazione/capitoli/importa/"
CLASSIFICATION_URL = "/programmazione/classificazione/"
CLASSIFICATION_IMPORT_URL = "/programmazione/classificazione/importa/"
GOOD = b"capitolo;tipo;anno;previsione_iniziale;impegnato_accertato\r\n1450;S;2024;23.000,00;25.000,00\r\n"


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def urls() -> None:
    from django.urls import reverse

    assert reverse("planning:classification_list") == CLASSIFICATION_URL
    assert reverse("planning:import_classification") == CLASSIFICATION_IMPORT_URL


def test_the_classification_is_listed_to_every_role(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["revisore"])
    html = client.get(CLASSIFICATION_URL).content.decode()
    assert "Relazioni internazionali e Cooperazione allo sviluppo" in html
    assert "20105" in html
    assert "tipo=budget-codes" not in html
    client.force_login(personas["amministratore"])
    assert (
        "/importazioni/nuova/?tipo=budget-codes" in client.get(CLASSIFICATION_URL).content.decode()
    )


def test_the_administrator_imports_the_classification_through_the_engine_pages(
    client: Any, personas: dict[str, Any], ente: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from ponti.planning.models import BudgetCode

    client.force_login(personas["amministratore"])
    response = client.get(CLASSIFICATION_IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"] == "/importazioni/nuova/?tipo=budget-codes"
    html = client.get(response["Location"]).content.decode()
    assert 'value="budget-codes" selected' in html and "tutti gli enti" in html
    data = b"level,side,code,name,parent_code\nprogramma,spesa,1901,Relazioni internazionali e cooperazione,19\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/importazioni/nuova/",
            {"kind": "budget-codes", "ente": ente.pk, "file": SimpleUploadedFile("c.csv", data)},
        )
    assert response.status_code == 302
    # Nothing ran inside the request: the check ran in the worker (here, after the commit).
    page = client.get(response["Location"]).content.decode()
    assert "Verificata: pronta da confermare" in page and "aggiornato" in page.lower()
    assert BudgetCode.objects.get(level="programma", code="1901").name.endswith(
        "Cooperazione allo sviluppo"
    )
    batch_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/importazioni/{batch_id}/conferma/")
    assert (
        BudgetCode.objects.get(level="programma", code="1901").name
        == "Relazioni internazionali e cooperazione"
    )


@pytest.mark.parametrize("role", ["responsabile", "revisore", "ufficio"])
def test_only_administrators_may_open_the_classification_import(
    client: Any, personas: dict[str, Any], role: str
) -> None:
    client.force_login(personas[role])
    assert client.get(CLASSIFICATION_IMPORT_URL).status_code == 403
    if role != "revisore":  # the others import other kinds, never this one
        html = client.get("/importazioni/nuova/?tipo=budget-codes").content.decode()
        assert 'value="budget-codes"' not in html


def test_the_old_amounts_import_address_leads_to_the_import_engine(
    client: Any, personas: dict[str, Any], urls: None
) -> None:
    client.force_login(personas["responsabile"])
    response = client.get(AMOUNTS_URL)
    assert response.status_code == 302
    assert response["Location"] == "/importazioni/nuova/?tipo=budget"
    client.force_login(personas["revisore"])
    assert client.get(AMOUNTS_URL).status_code == 403
