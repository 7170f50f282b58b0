"""One twin per country, anniversaries, dormancy, commitments, end dates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from ponti.agreements import services
from ponti.agreements.models import Agreement, Commitment
from ponti.core.activity import report_activity


def test_a_second_twinning_in_the_same_country_is_warned(
    client, personas, ente, make_org, make_agreement
):
    ente.one_twin_per_country = True
    ente.save()
    kassel, dresden = make_org(name="Kassel", country="DE"), make_org(name="Dresden", country="DE")
    make_agreement(partner=kassel, kind="gemellaggio", status="attivo")
    client.force_login(personas["ufficio"])
    data = {
        "kind": "gemellaggio",
        "title": "Gemellaggio con Dresda",
        "partners": f"{dresden.pk} Dresden",
        "confidentiality": "interno",
    }
    page = client.post("/accordi/nuovo/", data).content.decode()
    assert "twin-warning" in page and "Patto di amicizia" in page
    assert Agreement.objects.count() == 1
    assert client.post("/accordi/nuovo/", {**data, "confirm_twin": "1"}).status_code == 302


def test_without_the_rule_no_warning(personas, ente, make_org, make_agreement):
    kassel, dresden = make_org(name="Kassel", country="DE"), make_org(name="Dresden", country="DE")
    make_agreement(partner=kassel, kind="gemellaggio")
    assert services.twin_conflicts(ente=ente, kind="gemellaggio", partners=[dresden]) == []


def test_anniversaries_from_a_full_date(make_agreement):
    kyoto = make_agreement(signed_on=datetime.date(1965, 11, 6), status="attivo")
    found = kyoto.anniversaries(within_days=183, today=datetime.date(2025, 6, 1))
    assert found == [(60, datetime.date(2025, 11, 6), 2025)]
    assert kyoto.anniversaries(within_days=183, today=datetime.date(2025, 12, 1)) == []


def test_anniversaries_from_a_year_only_never_invent_a_day(make_agreement):
    kassel = make_agreement(
        signed_on=datetime.date(1958, 1, 1), signed_precision="year", status="attivo"
    )
    assert kassel.anniversaries(today=datetime.date(2028, 3, 1)) == [(70, None, 2028)]


def test_anniversaries_from_a_month_only_never_invent_a_day(make_agreement):
    kassel = make_agreement(
        signed_on=datetime.date(1958, 7, 1), signed_precision="month", status="attivo"
    )
    assert kassel.anniversaries(today=datetime.date(2028, 3, 1)) == [(70, None, 2028)]


def test_dormancy_after_n_months_and_revived_by_activity(ente, make_agreement):
    agreement = make_agreement(status="attivo", last_activity_on=datetime.date(2023, 1, 1))
    today = datetime.date(2026, 11, 25)
    assert list(Agreement.objects.dormant(today)) == [agreement]
    ente.dormancy_months = 60
    ente.save()
    assert list(Agreement.objects.dormant(today)) == []
    ente.dormancy_months = 24
    ente.save()
    report_activity(
        ente_id=ente.pk,
        organisation_ids=[agreement.partners.get().pk],
        day=datetime.date(2026, 10, 1),
        source="meetings",
    )
    assert list(Agreement.objects.dormant(today)) == []


def test_activity_of_another_ente_does_not_revive(ente, other_ente, make_agreement):
    agreement = make_agreement(status="attivo", last_activity_on=datetime.date(2020, 1, 1))
    report_activity(
        ente_id=other_ente.pk,
        organisation_ids=[agreement.partners.get().pk],
        day=datetime.date(2026, 10, 1),
    )
    agreement.refresh_from_db()
    assert agreement.last_activity_on == datetime.date(2020, 1, 1)


def test_end_before_start_is_refused(personas, ente, make_org):
    with pytest.raises(ValidationError) as info:
        services.create_agreement(
            user=personas["ufficio"],
            ente=ente,
            data={
                "kind": "mou",
                "title": "MoU",
                "partners": [make_org()],
                "confidentiality": "interno",
                "start_date": datetime.date(2026, 5, 1),
                "end_date": datetime.date(2026, 4, 1),
            },
        )
    assert "end_date" in info.value.message_dict or "__all__" in info.value.message_dict
    assert not Agreement.objects.exists()


def test_a_commitment_owned_by_a_user_of_another_ente_is_refused(
    personas, make_user, other_ente, make_agreement
):
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    agreement = make_agreement()
    with pytest.raises(ValidationError) as info:
        services.save_commitment(
            Commitment(agreement=agreement, description="Mostra", owner=outsider),
            user=personas["ufficio"],
        )
    assert "owner" in info.value.message_dict
    assert not Commitment.objects.exists()


def test_the_commitment_page_refuses_an_owner_of_another_ente(
    client, personas, make_user, other_ente, make_agreement
):
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    agreement = make_agreement()
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/accordi/{agreement.pk}/impegni/nuovo/",
        {"description": "Mostra", "owner": outsider.pk, "status": "aperto"},
    )
    assert "utente dell&#x27;ente" in response.content.decode()
    assert 'value="Mostra"' in response.content.decode()


def test_a_user_of_two_enti_chooses_the_ente_of_a_new_agreement(
    client, make_user, ente, other_ente, make_org
):
    user = make_user("ufficio", username="due", enti=[ente, other_ente])
    client.force_login(user)
    page = client.get("/accordi/nuovo/")
    assert page.status_code == 200 and "Comune di Prato" in page.content.decode()
    reims = make_org(name="Reims")
    response = client.post(
        "/accordi/nuovo/",
        {
            "ente": other_ente.pk,
            "kind": "mou",
            "title": "MoU Prato–Reims",
            "partners": f"{reims.pk} Reims",
            "confidentiality": "interno",
        },
    )
    assert response.status_code == 302
    assert Agreement.objects.get().ente == other_ente
