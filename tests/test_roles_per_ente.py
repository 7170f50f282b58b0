"""A user holds a role and a clearance in each ente: what they may do and read in one ente
says nothing about another."""

from __future__ import annotations

import pytest
from django.test import Client

from ponti.agreements.models import Agreement
from ponti.core.confidentiality import can_see
from ponti.core.permissions import can
from ponti.meetings.models import Meeting
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(make_user, ente, other_ente):
    """Ufficio (riservato) in Florence, Revisore (interno) in Prato."""
    from ponti.accounts.services import place_in_ente

    user = make_user("ufficio", username="due-cappelli", enti=[ente])
    place_in_ente(user, other_ente, "revisore")
    return type(user).objects.get(pk=user.pk)


def _agreement(ente, make_org, level="interno", title="Patto"):
    agreement = Agreement.objects.create(
        ente=ente, kind="amicizia", title=title, confidentiality=level
    )
    agreement.partners.add(make_org(name=f"Partner di {title}"))
    return agreement


def test_the_role_in_the_records_ente_decides(two_hats, ente, other_ente, make_org):
    mine = _agreement(ente, make_org, title="Firenze")
    theirs = _agreement(other_ente, make_org, title="Prato")
    assert can(two_hats, "change", Agreement, mine)
    assert not can(two_hats, "change", Agreement, theirs)
    client = Client()
    client.force_login(two_hats)
    assert client.get(f"/accordi/{theirs.pk}/").status_code == 200  # a Revisore reads
    assert client.get(f"/accordi/{theirs.pk}/modifica/").status_code == 403
    assert client.get(f"/accordi/{mine.pk}/modifica/").status_code == 200


def test_the_clearance_in_the_records_ente_decides(two_hats, ente, other_ente, make_org):
    florence_secret = _agreement(ente, make_org, "riservato", "Firenze riservato")
    prato_secret = _agreement(other_ente, make_org, "riservato", "Prato riservato")
    prato_internal = _agreement(other_ente, make_org, "interno", "Prato interno")
    visible = set(Agreement.objects.for_user(two_hats))
    assert visible == {florence_secret, prato_internal}
    assert can_see(two_hats, florence_secret) and not can_see(two_hats, prato_secret)
    api = token_client(two_hats)
    assert api.get(f"/agreements/{prato_secret.pk}").status_code == 404
    assert api.get(f"/agreements/{florence_secret.pk}").status_code == 200


def test_new_records_go_only_to_an_ente_where_the_role_may_add_them(two_hats, other_ente):
    api = token_client(two_hats)
    response = api.post(
        "/meetings",
        {
            "title": "A Prato",
            "ente_id": other_ente.pk,
            "date": "2026-01-01",
            "date_precision": "year",
        },
    )
    assert response.status_code == 422 and "ente_id" in response.json()["errors"]
    assert not Meeting.objects.filter(ente=other_ente).exists()
    # With one ente where the role may add, that ente is chosen without naming it.
    response = api.post(
        "/meetings", {"title": "A Firenze", "date": "2026-01-01", "date_precision": "year"}
    )
    assert response.status_code == 201, response.json()


def test_the_api_lists_only_what_each_entes_clearance_allows(two_hats, ente, other_ente):
    Meeting.objects.create(ente=ente, title="Firenze riservato", confidentiality="riservato")
    Meeting.objects.create(ente=other_ente, title="Prato riservato", confidentiality="riservato")
    Meeting.objects.create(ente=other_ente, title="Prato interno", confidentiality="interno")
    titles = {m["title"] for m in token_client(two_hats).get("/meetings").json()["items"]}
    assert titles == {"Firenze riservato", "Prato interno"}


def test_groups_and_per_user_permissions_grant_nothing(make_user):
    from django.contrib.auth.models import Group, Permission

    user = make_user(None, username="gruppi")
    group = Group.objects.create(name="furbi")
    group.permissions.add(Permission.objects.get(codename="change_agreement"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("agreements.change_agreement")
    assert not user.has_perm("meetings.view_meeting")


def test_a_deactivated_user_has_no_permission(personas):
    user = personas["ufficio"]
    user.is_active = False
    user.save()
    assert not user.has_perm("partners.view_organisation")
