"""An agreement entered by mistake is deleted by the Amministratore of its ente (page with
confirmation, and DELETE /api/v1/agreements/{id}), recorded in the change log; others get 403
(or 404 when they may not see it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from ponti.agreements import services
from ponti.agreements.models import Agreement
from ponti.core.models import AuditEvent
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db


def _deletion(agreement_id: int) -> AuditEvent:
    return AuditEvent.objects.get(
        content_type__model="agreement", object_id=str(agreement_id), action="delete"
    )


def test_the_amministratore_deletes_an_agreement_after_confirming(
    personas: dict[str, Any], make_agreement: Any
) -> None:
    agreement = make_agreement(title="Patto inserito per errore")
    client = Client()
    client.force_login(personas["amministratore"])
    detail = client.get(f"/accordi/{agreement.pk}/").content.decode()
    assert f'href="/accordi/{agreement.pk}/elimina/"' in detail
    confirm = client.get(f"/accordi/{agreement.pk}/elimina/")
    assert confirm.status_code == 200 and "Patto inserito per errore" in confirm.content.decode()
    assert Agreement.objects.filter(pk=agreement.pk).exists()  # nothing until confirmed
    response = client.post(f"/accordi/{agreement.pk}/elimina/")
    assert response.status_code == 302 and response["Location"] == "/accordi/"
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    event = _deletion(agreement.pk)
    assert event.actor == personas["amministratore"] and event.channel == "web"
    assert event.object_repr == "Patto inserito per errore"


def test_the_api_deletes_for_the_amministratore_and_records_it(
    personas: dict[str, Any], make_agreement: Any
) -> None:
    agreement = make_agreement()
    response = token_client(personas["amministratore"]).delete(f"/agreements/{agreement.pk}")
    assert response.status_code == 204
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
    assert _deletion(agreement.pk).channel == "api"


@pytest.mark.parametrize("role", ["ufficio", "consigliere", "segreteria", "revisore"])
def test_it_refuses_every_other_role(
    role: str, personas: dict[str, Any], make_agreement: Any
) -> None:
    agreement = make_agreement()
    client = Client()
    client.force_login(personas[role])
    assert (
        f"/accordi/{agreement.pk}/elimina/"
        not in client.get(f"/accordi/{agreement.pk}/").content.decode()
    )
    assert client.get(f"/accordi/{agreement.pk}/elimina/").status_code == 403
    assert client.post(f"/accordi/{agreement.pk}/elimina/").status_code == 403
    assert token_client(personas[role]).delete(f"/agreements/{agreement.pk}").status_code == 403
    with pytest.raises(PermissionDenied):
        services.delete_agreement(agreement, user=personas[role])
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert not AuditEvent.objects.filter(action="delete", content_type__model="agreement")


def test_the_amministratore_of_another_ente_cannot_find_it(
    make_user: Any, other_ente: Any, make_agreement: Any
) -> None:
    agreement = make_agreement()
    stranger = make_user("amministratore", username="admin-prato", enti=[other_ente])
    client = Client()
    client.force_login(stranger)
    assert client.post(f"/accordi/{agreement.pk}/elimina/").status_code == 404
    assert token_client(stranger).delete(f"/agreements/{agreement.pk}").status_code == 404
    assert Agreement.objects.filter(pk=agreement.pk).exists()
