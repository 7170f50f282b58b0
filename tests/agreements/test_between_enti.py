"""Each ente's public face is an organisation of the registry: an agreement never joins an
ente to itself, and a bond between two enti that both use Ponti is one record, read by both."""

from __future__ import annotations

import pytest
from django.test import Client

from ponti.accounts.services import ensure_organisation
from ponti.agreements.models import Agreement
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def faces(ente, other_ente):
    return ensure_organisation(ente), ensure_organisation(other_ente)


@pytest.fixture
def prato_user(make_user, other_ente):
    return make_user("ufficio", username="ufficio-prato", enti=[other_ente])


def test_an_ente_cannot_twin_with_itself(personas, faces, ente):
    florence_face, _ = faces
    api = token_client(personas["ufficio"])
    response = api.post(
        "/agreements",
        {"kind": "gemellaggio", "title": "Con sé stessa", "partner_ids": [florence_face.pk]},
    )
    assert response.status_code == 422
    assert "a sé stesso" in " ".join(response.json()["errors"]["partners"])
    assert not Agreement.objects.exists()


def test_the_form_refuses_it_too_and_keeps_the_title(client, personas, faces):
    florence_face, _ = faces
    client.force_login(personas["ufficio"])
    page = client.post(
        "/accordi/nuovo/",
        {
            "kind": "amicizia",
            "title": "Patto con me stessa",
            "partners": str(florence_face.pk),
            "status": "proposta",
            "confidentiality": "interno",
            "confidence": "high",
        },
    ).content.decode()
    assert "a sé stesso" in page and "Patto con me stessa" in page
    assert not Agreement.objects.exists()


def test_a_bond_between_two_enti_is_one_record_seen_from_both_sides(
    client, personas, faces, prato_user, ente
):
    _, prato_face = faces
    agreement = Agreement.objects.create(
        ente=ente, kind="amicizia", title="Patto Firenze–Prato", confidentiality="interno"
    )
    agreement.partners.add(prato_face)
    client.force_login(prato_user)
    assert "Patto Firenze–Prato" in client.get("/accordi/").content.decode()
    page = client.get(f"/accordi/{agreement.pk}/").content.decode()
    assert "Registrato da" in page and ente.name in page
    # Read-only from the other side: the owner's role decides changes.
    assert client.get(f"/accordi/{agreement.pk}/modifica/").status_code == 403
    api = token_client(prato_user)
    assert api.get(f"/agreements/{agreement.pk}").json()["allowed_transitions"] == []
    assert Agreement.objects.count() == 1


def test_a_riservato_bond_is_read_only_with_clearance_in_ones_own_ente(
    make_user, faces, ente, other_ente
):
    _, prato_face = faces
    agreement = Agreement.objects.create(
        ente=ente, kind="amicizia", title="Trattativa", confidentiality="riservato"
    )
    agreement.partners.add(prato_face)
    reader = make_user("revisore", username="revisore-prato", enti=[other_ente])
    office = make_user("ufficio", username="ufficio-prato", enti=[other_ente])
    assert not Agreement.objects.for_user(reader).exists()
    assert list(Agreement.objects.for_user(office)) == [agreement]


def test_a_third_ente_sees_nothing(make_user, faces, ente, make_org):
    from ponti.core.models import Ente

    _, prato_face = faces
    agreement = Agreement.objects.create(
        ente=ente, kind="amicizia", title="X", confidentiality="pubblico"
    )
    agreement.partners.add(prato_face)
    pisa = Ente.objects.create(name="Comune di Pisa", slug="pisa")
    stranger = make_user("ufficio", username="pisa", enti=[pisa])
    assert not Agreement.objects.for_user(stranger).exists()
    client = Client()
    client.force_login(stranger)
    assert client.get(f"/accordi/{agreement.pk}/").status_code == 404
