"""Roles over time: as precise as the source, never ending before they begin, in order."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ponti.networks import services
from ponti.networks.models import MembershipRole


def role(membership, **kwargs):
    return MembershipRole(
        membership=membership, kind=kwargs.pop("kind", "vicepresidenza"), **kwargs
    )


def test_a_role_ending_before_it_begins_is_refused(personas, membership):
    with pytest.raises(ValidationError) as info:
        services.save_role(
            role(
                membership,
                start_date=datetime.date(2018, 11, 30),
                end_date=datetime.date(2018, 1, 1),
            ),
            user=personas["ufficio"],
        )
    assert "end_date" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.save_role(
            role(membership, start_year=2015, end_date=datetime.date(2014, 6, 1)),
            user=personas["ufficio"],
        )
    assert "end_date" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.save_role(
            role(membership, start_year=2015, end_year=2012), user=personas["ufficio"]
        )
    assert "end_year" in info.value.message_dict
    assert not MembershipRole.objects.exists()


def test_the_database_refuses_it_too(membership):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRole.objects.create(
            membership=membership,
            kind="altro",
            start_date=datetime.date(2020, 1, 2),
            end_date=datetime.date(2020, 1, 1),
        )


def test_a_date_or_a_year_not_both(personas, membership):
    with pytest.raises(ValidationError) as info:
        services.save_role(
            role(membership, start_date=datetime.date(2018, 11, 30), start_year=2018),
            user=personas["ufficio"],
        )
    assert "start_year" in info.value.message_dict


def test_the_form_refuses_an_end_before_the_start(client, personas, membership):
    client.force_login(personas["consigliere"])
    data = {"kind": "comitato_esecutivo", "start_date": "2019-05-01", "end_date": "2019-04-01"}
    html = client.post(f"/reti/{membership.pk}/ruoli/nuovo/", data).content.decode()
    assert "La fine del ruolo non può precedere l&#x27;inizio." in html
    assert not membership.roles.exists()


def test_the_api_refuses_it_with_422(api, membership):
    body = {"kind": "vicepresidenza", "start_date": "2018-11-30", "end_date": "2017-01-01"}
    response = api.post(f"/memberships/{membership.pk}/roles", body)
    assert response.status_code == 422 and "end_date" in response.json()["errors"]
    created = api.post(
        f"/memberships/{membership.pk}/roles",
        {"kind": "vicepresidenza", "start_date": "2018-11-30"},
    ).json()
    response = api.patch(f"/membership-roles/{created['id']}", {"version": 1, "end_year": 2017})
    assert response.status_code == 422 and "end_year" in response.json()["errors"]


def test_the_timeline_is_in_order_and_knows_what_is_current(client, personas, membership):
    today = datetime.date.today()
    MembershipRole.objects.create(
        membership=membership,
        kind="vicepresidenza",
        start_date=datetime.date(2018, 11, 30),
        end_date=datetime.date(2020, 11, 30),
    )
    MembershipRole.objects.create(membership=membership, kind="comitato_esecutivo", start_year=2015)
    MembershipRole.objects.create(
        membership=membership,
        kind="presidenza_gruppo",
        detail="Culture Forum",
        start_year=today.year + 1,
    )
    assert [r.kind for r in membership.timeline()] == [
        "comitato_esecutivo",
        "vicepresidenza",
        "presidenza_gruppo",
    ]
    assert [r.kind for r in membership.current_roles()] == ["comitato_esecutivo"]
    client.force_login(personas["ufficio"])
    html = client.get(f"/reti/{membership.pk}/").content.decode()
    assert (
        html.index("Comitato esecutivo")
        < html.index("Vicepresidenza")
        < html.index("Culture Forum")
    )
    assert "30 novembre 2018" in html and "2015" in html
    assert "Comitato esecutivo" in client.get("/reti/").content.decode()


def test_a_role_is_edited_and_deleted_from_its_page(client, personas, membership):
    r = MembershipRole.objects.create(membership=membership, kind="vicepresidenza", start_year=2018)
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/reti/{membership.pk}/ruoli/{r.pk}/",
        {"kind": "vicepresidenza", "start_year": "2018", "end_year": "2020"},
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.end_year == 2020
    assert client.post(f"/reti/{membership.pk}/ruoli/{r.pk}/elimina/").status_code == 302
    assert not MembershipRole.objects.exists()
