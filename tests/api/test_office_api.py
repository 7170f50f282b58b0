"""The office through the API: users, roles per ente, tokens, enti (same rules as the pages)."""

from __future__ import annotations

import pytest
from django.core import mail

from ponti.accounts.models import ApiToken, Membership, User
from ponti.core.models import Ente
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(personas):
    return token_client(personas["amministratore"])


def test_users_lists_the_users_of_my_enti(api, make_user, other_ente):
    make_user("ufficio", username="ufficio-prato", enti=[other_ente])
    body = api.get("/users").json()
    names = {u["username"] for u in body["items"]}
    assert "revisore" in names and "ufficio-prato" not in names
    revisore = next(u for u in body["items"] if u["username"] == "revisore")
    assert revisore["places"] == [
        {
            "ente_id": revisore["places"][0]["ente_id"],
            "ente": "Città Metropolitana di Firenze",
            "role": "revisore",
            "role_label": "Revisore (sola lettura)",
            "clearance": "interno",
        }
    ]
    assert "last_login" in revisore and revisore["active_tokens"] == 0


@pytest.mark.parametrize("role", ["ufficio", "revisore", "responsabile"])
def test_other_roles_get_403(personas, role):
    assert token_client(personas[role]).get("/users").status_code == 403
    assert token_client(personas[role]).get("/enti").status_code == 403


def test_create_user_invites_by_email(api, ente, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/users",
            {
                "username": "nuovo",
                "email": "nuovo@example.org",
                "ente_id": ente.pk,
                "role": "ufficio",
            },
        )
    assert response.status_code == 201, response.json()
    assert response.json()["has_password"] is False
    assert len(mail.outbox) == 1 and "https://ponti.example.org/" in mail.outbox[0].body


def test_create_user_errors_name_the_fields(api, ente, other_ente):
    body = api.post(
        "/users",
        {"username": "x", "ente_id": other_ente.pk, "role": "revisore", "clearance": "riservato"},
    ).json()
    assert "ente_id" in body["errors"]
    body = api.post(
        "/users",
        {"username": "x", "ente_id": ente.pk, "role": "revisore", "clearance": "riservato"},
    ).json()
    assert "clearance" in body["errors"] or "email" in body["errors"]
    assert not User.objects.filter(username="x").exists()


def test_set_place_gives_a_role_per_ente(api, personas, ente):
    child = Ente.objects.create(name="Comune di Fiesole", slug="fiesole", parent=ente)
    target = personas["revisore"]
    response = api.put(f"/users/{target.pk}/places/{child.pk}", {"role": "consigliere"})
    assert response.status_code == 200
    place = Membership.objects.get(user=target, ente=child)
    assert (place.role, place.clearance) == ("consigliere", "riservato")
    assert api.delete(f"/users/{target.pk}/places/{child.pk}").status_code == 204
    assert not Membership.objects.filter(user=target, ente=child).exists()


def test_patch_deactivates_and_is_versioned(api, personas):
    target = personas["revisore"]
    _t, raw = ApiToken.issue(target, "script")
    stale = target.version
    assert (
        api.patch(
            f"/users/{target.pk}", {"version": stale, "email": "lucia@example.org"}
        ).status_code
        == 200
    )
    assert (
        api.patch(f"/users/{target.pk}", {"version": stale, "is_active": False}).status_code == 409
    )
    fresh = api.get(f"/users/{target.pk}").json()["version"]
    assert (
        api.patch(f"/users/{target.pk}", {"version": fresh, "is_active": False}).status_code == 200
    )
    assert ApiToken.authenticate(raw) is None


def test_tokens_of_a_user_are_listed_and_revoked_by_the_amministratore(api, personas):
    token, raw = ApiToken.issue(personas["ufficio"], "script")
    listed = api.get(f"/users/{personas['ufficio'].pk}/tokens").json()
    assert [t["name"] for t in listed] == ["script"] and listed[0]["state"] == "active"
    assert api.delete(f"/tokens/{token.pk}").status_code == 204
    assert ApiToken.authenticate(raw) is None


def test_a_user_lists_and_revokes_their_own_tokens(personas):
    mine = token_client(personas["ufficio"])
    token, _raw = ApiToken.issue(personas["ufficio"], "altro")
    assert len(mine.get(f"/users/{personas['ufficio'].pk}/tokens").json()) == 2
    assert mine.delete(f"/tokens/{token.pk}").status_code == 204
    other, _ = ApiToken.issue(personas["revisore"], "suo")
    assert mine.get(f"/users/{personas['revisore'].pk}/tokens").status_code == 404
    assert mine.delete(f"/tokens/{other.pk}").status_code == 404


def test_enti_create_a_child_and_refuse_a_top_level(api, ente):
    response = api.post(
        "/enti", {"name": "Comune di Vinci", "kind": "comune", "parent_id": ente.pk}
    )
    assert response.status_code == 201
    assert response.json()["organisation_id"] is not None
    refused = api.post("/enti", {"name": "Regione Toscana", "kind": "regione"})
    assert refused.status_code == 422 and "parent_id" in refused.json()["errors"]


def test_another_entes_admin_cannot_reach_florence(make_user, other_ente, ente, personas):
    prato = token_client(make_user("amministratore", username="admin-prato", enti=[other_ente]))
    assert prato.get(f"/enti/{ente.pk}").status_code == 404
    assert prato.get(f"/users/{personas['ufficio'].pk}").status_code == 404
    assert (
        prato.put(
            f"/users/{personas['ufficio'].pk}/places/{other_ente.pk}", {"role": "ufficio"}
        ).status_code
        == 404
    )
    assert (
        prato.post("/enti", {"name": "X", "kind": "comune", "parent_id": ente.pk}).status_code
        == 422
    )
