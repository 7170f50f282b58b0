"""The classification import page: upload → row report (dry run) → «Conferma l'importazione»; who may use it.

The amounts are imported through the import engine's pages (tests/imports); the old address redirects there."""

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


def upload(client: Any, url: str, data: bytes, name: str = "importi.csv", **extra: Any) -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra})


def pending_files(settings: Any) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT)
    return [p for p in folder.rglob("*.upload")] if folder.exists() else []


def fees_2024(seed_budget: dict[str, Any]) -> Any:
    from ponti.planning.models import BudgetAmount

    return BudgetAmount.objects.get(line=seed_budget["fees"], year=2024)


def test_the_classification_is_listed_to_every_role(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["revisore"])
    html = client.get(CLASSIFICATION_URL).content.decode()
    assert "Relazioni internazionali e Cooperazione allo sviluppo" in html
    assert "20105" in html
    assert CLASSIFICATION_IMPORT_URL not in html
    client.force_login(personas["amministratore"])
    assert CLASSIFICATION_IMPORT_URL in client.get(CLASSIFICATION_URL).content.decode()


def test_the_administrator_imports_the_classification(
    client: Any, personas: dict[str, Any]
) -> None:
    from ponti.planning.models import BudgetCode

    client.force_login(personas["amministratore"])
    assert "restano come sono" in client.get(CLASSIFICATION_IMPORT_URL).content.decode()
    data = b"level,side,code,name,parent_code\nprogramma,spesa,1901,Relazioni internazionali e cooperazione,19\n"
    response = upload(client, CLASSIFICATION_IMPORT_URL, data, "c.csv")
    assert "aggiornato" in response.content.decode()
    assert BudgetCode.objects.get(level="programma", code="1901").name.endswith(
        "Cooperazione allo sviluppo"
    )
    response = client.post(CLASSIFICATION_IMPORT_URL, {"token": response.context["token"]})
    assert response.status_code == 302
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


def test_the_old_amounts_import_address_leads_to_the_import_engine(
    client: Any, personas: dict[str, Any], urls: None
) -> None:
    client.force_login(personas["responsabile"])
    response = client.get(AMOUNTS_URL)
    assert response.status_code == 302
    assert response["Location"] == "/importazioni/nuova/?tipo=budget"
    client.force_login(personas["revisore"])
    assert client.get(AMOUNTS_URL).status_code == 403
