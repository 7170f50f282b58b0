"""History as it is known: an agreement registered in the state it has reached (a twinning in
force since 1958, known only by its year), its act completed later, low confidence flagged."""

from __future__ import annotations

import datetime

import pytest

from ponti.agreements import services, states
from ponti.agreements.models import Agreement
from ponti.core.models import AuditEvent
from tests.api.helpers import token_client

Y1958 = datetime.date(1958, 1, 1)


def _historic(personas, ente, make_org, **extra):
    kassel = make_org(name="Kassel", country="DE")
    data = {
        "kind": "gemellaggio",
        "title": "Gemellaggio con Kassel",
        "status": "attivo",
        "signed_on": Y1958,
        "signed_precision": "year",
        "confidence": "low",
        "source": "https://it.wikipedia.org/wiki/Firenze#Gemellaggi",
        "partners": [kassel],
        **extra,
    }
    return services.create_agreement(user=personas["ufficio"], ente=ente, data=data)


def test_the_service_registers_a_twinning_in_force_known_only_by_its_year(personas, ente, make_org):
    agreement = _historic(personas, ente, make_org)
    agreement.refresh_from_db()
    assert agreement.status == "attivo"
    assert (agreement.signed_on, agreement.signed_precision) == (Y1958, "year")
    assert str(agreement.signed) in {"1958"}
    assert agreement.approval_body == "" and agreement.approval_date is None
    assert agreement.low_confidence and agreement.source.startswith("https://")
    created = AuditEvent.objects.for_object(agreement).filter(action="create")
    assert created.exists() and created.first().actor == personas["ufficio"]


def test_a_day_inside_a_year_is_kept_as_the_year(personas, ente, make_org):
    agreement = _historic(personas, ente, make_org, signed_on=datetime.date(1958, 7, 3))
    agreement.refresh_from_db()
    assert agreement.signed_on == Y1958


@pytest.mark.parametrize("status", sorted(states.IN_FORCE))
def test_a_councillor_may_not_register_an_agreement_in_force(personas, ente, make_org, status):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_agreement(
            user=personas["consigliere"],
            ente=ente,
            data={"kind": "amicizia", "title": "x", "status": status, "partners": [make_org()]},
        )


def test_who_may_register_in_each_state_is_who_may_bring_one_there():
    assert states.may_create_in("proposta", "consigliere")
    assert states.may_create_in("negoziazione", "consigliere")
    assert not states.may_create_in("attivo", "consigliere")
    assert states.may_create_in("attivo", "ufficio")
    assert states.may_create_in("attivo", "amministratore")
    assert not states.may_create_in("attivo", "segreteria")
    assert states.may_create_in("attivo", None, superuser=True)


def test_the_page_registers_an_active_twinning_without_act_or_day(client, personas, ente, make_org):
    kassel = make_org(name="Kassel", country="DE")
    client.force_login(personas["ufficio"])
    response = client.post(
        "/accordi/nuovo/",
        {
            "kind": "gemellaggio",
            "title": "Gemellaggio con Kassel",
            "partners": f"{kassel.pk} Kassel",
            "status": "attivo",
            "signed_on": "1958",
            "confidence": "low",
            "source": "Archivio storico, fald. 12",
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    agreement = Agreement.objects.get(title="Gemellaggio con Kassel")
    assert agreement.status == "attivo" and agreement.signed == agreement.signed.parse("1958")
    assert agreement.confidence == "low" and agreement.approval_date is None
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "1958" in page and "da verificare" in page


def test_the_page_explains_a_date_it_cannot_read(client, personas, make_org):
    client.force_login(personas["ufficio"])
    page = client.post(
        "/accordi/nuovo/",
        {
            "kind": "amicizia",
            "title": "Patto",
            "partners": f"{make_org().pk} Reims",
            "signed_on": "estate 58",
            "confidentiality": "interno",
        },
    ).content.decode()
    assert "«estate 58» non è una data" in page


def test_the_page_offers_a_councillor_no_state_in_force(client, personas):
    client.force_login(personas["consigliere"])
    page = client.get("/accordi/nuovo/").content.decode()
    assert 'value="proposta"' in page and 'value="negoziazione"' in page
    assert 'value="attivo"' not in page


def test_the_api_registers_a_twinning_in_force_since_1958(personas, make_org):
    api = token_client(personas["ufficio"])
    kassel = make_org(name="Kassel", country="DE")
    response = api.post(
        "/agreements",
        {
            "kind": "gemellaggio",
            "title": "Gemellaggio con Kassel",
            "status": "attivo",
            "partner_ids": [kassel.pk],
            "signed_on": "1958-01-01",
            "signed_precision": "year",
            "confidence": "low",
            "source": "https://example.org/gemellaggi",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "attivo" and body["signed_precision"] == "year"
    assert body["signed_on"] == "1958-01-01" and body["approval_date"] is None
    assert body["confidence"] == "low" and body["source"] == "https://example.org/gemellaggi"
    assert body["start_precision"] == "unknown"


def test_the_api_refuses_a_councillor_an_agreement_in_force(personas, make_org):
    api = token_client(personas["consigliere"])
    response = api.post(
        "/agreements",
        {"kind": "amicizia", "title": "x", "status": "attivo", "partner_ids": [make_org().pk]},
    )
    assert response.status_code == 403


def test_the_api_refuses_a_precision_without_a_date(personas, make_org):
    api = token_client(personas["ufficio"])
    response = api.post(
        "/agreements",
        {
            "kind": "amicizia",
            "title": "x",
            "partner_ids": [make_org().pk],
            "signed_precision": "year",
        },
    )
    assert response.status_code == 422 and "signed_on" in response.json()["errors"]


def test_the_act_is_completed_later_through_the_api_and_the_state_machine_still_rules(
    personas, ente, make_org
):
    agreement = _historic(personas, ente, make_org)
    api = token_client(personas["ufficio"])
    response = api.patch(
        f"/agreements/{agreement.pk}",
        {
            "version": agreement.version,
            "approval_body": "consiglio",
            "approval_number": "112",
            "approval_date": "1957-11-20",
            "signed_on": "1958-05-01",
            "signed_precision": "month",
            "signed_place": "Kassel",
            "confidence": "medium",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["approval_number"] == "112" and body["signed_precision"] == "month"
    assert body["status"] == "attivo" and body["confidence"] == "medium"
    assert set(body["allowed_transitions"]) == {"rinnovato", "sospeso", "concluso"}
    illegal = api.post(f"/agreements/{agreement.pk}/transitions", {"target": "firmato"})
    assert illegal.status_code == 422 and "status" in illegal.json()["errors"]
    legal = api.post(f"/agreements/{agreement.pk}/transitions", {"target": "sospeso"})
    assert legal.status_code == 200 and legal.json()["status"] == "sospeso"


def test_the_api_refuses_a_signing_before_the_act(personas, ente, make_org):
    agreement = _historic(personas, ente, make_org)
    api = token_client(personas["ufficio"])
    response = api.patch(
        f"/agreements/{agreement.pk}",
        {"version": agreement.version, "approval_date": "1959-03-01", "approval_body": "giunta"},
    )
    assert response.status_code == 422 and "signed_on" in response.json()["errors"]


def test_the_act_and_signatories_are_completed_later_on_the_edit_page(
    client, personas, ente, make_org
):
    agreement = _historic(personas, ente, make_org)
    client.force_login(personas["ufficio"])
    form = client.get(f"/accordi/{agreement.pk}/modifica/").content.decode()
    assert 'name="status"' not in form and 'value="1958"' in form
    response = client.post(
        f"/accordi/{agreement.pk}/modifica/",
        {
            "version": agreement.version,
            "kind": "gemellaggio",
            "title": agreement.title,
            "partners": ",".join(str(p.pk) for p in agreement.partners.all()),
            "approval_body": "consiglio",
            "approval_number": "112",
            "approval_date": "1957-11-20",
            "signed_on": "3 luglio 1958",
            "signed_place": "Firenze",
            "confidence": "high",
            "source": agreement.source,
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    agreement.refresh_from_db()
    assert agreement.approval_number == "112" and agreement.status == "attivo"
    assert (agreement.signed_on, agreement.signed_precision) == (datetime.date(1958, 7, 3), "day")
    response = client.post(
        f"/accordi/{agreement.pk}/firmatari/",
        {"side": "ente", "name": "Piero Bargellini", "role": "Sindaco"},
    )
    assert agreement.signatories.filter(name="Piero Bargellini").exists()
    response = client.post(f"/accordi/{agreement.pk}/stato/", {"target": "firmato"})
    agreement.refresh_from_db()
    assert agreement.status == "attivo"  # attivo → firmato is no step of the lifecycle


def test_low_confidence_is_flagged_in_words_on_list_detail_and_partner_page(
    client, personas, ente, make_org
):
    agreement = _historic(personas, ente, make_org)
    client.force_login(personas["ufficio"])
    partner = agreement.partners.get()
    for url in ("/accordi/", agreement.get_absolute_url(), partner.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "ponti-badge-verify" in page and "da verificare" in page, url
