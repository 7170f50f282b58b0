"""The import pages: upload → row report (dry run) → «Conferma l'importazione»; who may use them."""

from __future__ import annotations

from decimal import Decimal
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

    assert reverse("planning:import_amounts") == AMOUNTS_URL
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


def test_the_responsabile_uploads_sees_the_report_and_confirms(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
    settings: Any,
    urls: None,
) -> None:
    client.force_login(personas["responsabile"])
    page = client.get(AMOUNTS_URL)
    assert page.status_code == 200
    assert "previsione_iniziale" in page.content.decode()

    response = upload(client, AMOUNTS_URL, GOOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-rows"' in html and "aggiornato" in html
    assert "supera la previsione" in html  # the warning is shown
    assert "Conferma l&#x27;importazione" in html or "Conferma l'importazione" in html
    assert fees_2024(seed_budget).initial == Decimal("22000.00")  # the dry run saved nothing
    (stashed,) = pending_files(settings)
    token = response.context["token"]
    assert token in stashed.name
    assert str(settings.MEDIA_ROOT) not in html  # the browser never sees a path

    response = client.post(AMOUNTS_URL, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == "/programmazione/capitoli/"
    assert fees_2024(seed_budget).initial == Decimal("23000.00")
    assert pending_files(settings) == []
    # The token is spent: confirming again does nothing.
    again = client.post(AMOUNTS_URL, {"token": token}, follow=True)
    assert "non è più disponibile" in again.content.decode()


def test_a_file_with_errors_offers_no_confirmation_and_says_what_to_fix(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
    settings: Any,
) -> None:
    client.force_login(personas["responsabile"])
    data = GOOD + b"1451;S;2023;abc;\r\n"
    response = upload(client, AMOUNTS_URL, data)
    html = response.content.decode()
    assert "token" not in response.context
    assert 'id="confirm-import"' not in html
    assert "«abc» non è un importo" in html
    assert 'id="fix-the-file"' in html
    assert pending_files(settings) == []


def test_the_confirmation_checks_the_file_again(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
) -> None:
    client.force_login(personas["responsabile"])
    response = upload(client, AMOUNTS_URL, GOOD)
    token = response.context["token"]
    # Meanwhile the objective's horizon is shortened: 2024 is no longer allowed.
    objective = seed_budget["operational"]
    objective.end_year = 2023
    objective.save()
    response = client.post(AMOUNTS_URL, {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="confirm-failed"' in html
    assert "fuori dall&#x27;orizzonte" in html or "fuori dall'orizzonte" in html
    assert fees_2024(seed_budget).initial == Decimal("22000.00")


def test_cancelling_discards_the_upload(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
    settings: Any,
) -> None:
    client.force_login(personas["responsabile"])
    token = upload(client, AMOUNTS_URL, GOOD).context["token"]
    response = client.post(AMOUNTS_URL, {"token": token, "action": "cancel"})
    assert response.status_code == 302
    assert pending_files(settings) == []
    assert fees_2024(seed_budget).initial == Decimal("22000.00")


def test_the_token_cannot_be_used_by_another_user(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
    settings: Any,
) -> None:
    from django.test import Client

    client.force_login(personas["responsabile"])
    token = upload(client, AMOUNTS_URL, GOOD).context["token"]
    intruder = Client()
    intruder.force_login(personas["amministratore"])
    response = intruder.post(AMOUNTS_URL, {"token": token}, follow=True)
    assert "non è più disponibile" in response.content.decode()
    assert fees_2024(seed_budget).initial == Decimal("22000.00")
    assert len(pending_files(settings)) == 1  # still the owner's to confirm
    assert client.post(AMOUNTS_URL, {"token": token}).status_code == 302
    assert fees_2024(seed_budget).initial == Decimal("23000.00")


def test_a_token_made_up_or_pointing_elsewhere_is_refused(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
) -> None:
    client.force_login(personas["responsabile"])
    for token in ("../../etc/passwd", "x" * 32, ""):
        response = client.post(AMOUNTS_URL, {"token": token}, follow=True)
        assert response.status_code == 200
    assert fees_2024(seed_budget).initial == Decimal("22000.00")


def test_a_classification_token_does_not_confirm_an_amounts_import(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
) -> None:
    client.force_login(personas["amministratore"])
    data = b"level,side,code,name,parent_code\nmissione,spesa,98,Nuova,\n"
    token = upload(client, CLASSIFICATION_IMPORT_URL, data, "c.csv").context["token"]
    response = client.post(AMOUNTS_URL, {"token": token}, follow=True)
    assert "non è più disponibile" in response.content.decode()


@pytest.mark.parametrize("role", ["revisore", "ufficio", "consigliere", "segreteria"])
def test_readers_get_403_on_the_amounts_import(
    client: Any, personas: dict[str, Any], seed_budget: dict[str, Any], role: str
) -> None:
    client.force_login(personas[role])
    assert client.get(AMOUNTS_URL).status_code == 403
    assert upload(client, AMOUNTS_URL, GOOD).status_code == 403
    assert fees_2024(seed_budget).initial == Decimal("22000.00")


def test_an_anonymous_visitor_is_sent_to_login(client: Any, db: Any) -> None:
    response = client.get(AMOUNTS_URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_user_of_several_enti_chooses_the_ente(
    client: Any,
    make_user: Any,
    ente: Any,
    other_ente: Any,
    seed_budget: dict[str, Any],
) -> None:
    user = make_user("responsabile", enti=[ente, other_ente])
    client.force_login(user)
    assert 'name="ente"' in client.get(AMOUNTS_URL).content.decode()
    response = upload(client, AMOUNTS_URL, GOOD, ente=other_ente.pk)
    # Line 1450 belongs to the other ente: for Prato it would be a new line, without a description.
    assert "token" not in response.context
    assert "descrizione" in response.content.decode()
    response = upload(client, AMOUNTS_URL, GOOD, ente=ente.pk)
    assert response.context["token"]


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


def test_an_upload_over_the_limit_is_refused_with_a_message(
    client: Any,
    personas: dict[str, Any],
    seed_budget: dict[str, Any],
    settings: Any,
) -> None:
    settings.PONTI_MAX_UPLOAD_MB = 1
    client.force_login(personas["responsabile"])
    response = upload(client, AMOUNTS_URL, GOOD + b"1450;S;2024;1;\r\n" * 80_000)
    assert response.status_code == 200
    assert "1 MB" in response.content.decode()
    assert pending_files(settings) == []
