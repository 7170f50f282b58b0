"""Who is calling: a personal Bearer token, or the browser's session with its CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from ponti.accounts.models import ApiToken
from tests.api.helpers import BASE, Api, org_payload


@pytest.fixture
def org(make_org):
    return make_org(name="Kyoto")


def test_a_personal_token_authenticates(personas, org):
    _token, raw = ApiToken.issue(personas["revisore"], "script")
    response = Client().get(
        f"{BASE}/organisations/{org.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200


def test_a_token_records_its_use(personas, org):
    token, raw = ApiToken.issue(personas["revisore"], "script")
    Client().get(f"{BASE}/organisations", headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_changes_made_with_a_token_are_audited_as_its_owner(personas, org):
    from ponti.core.models import AuditEvent

    _token, raw = ApiToken.issue(personas["consigliere"], "script")
    api = Api(Client(headers={"Authorization": f"Bearer {raw}"}))
    assert api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Kyōto"}).status_code == 200
    assert AuditEvent.objects.for_object(org).first().actor == personas["consigliere"]


def test_a_revoked_token_is_401(personas, org):
    token, raw = ApiToken.issue(personas["ufficio"], "script")
    token.revoke()
    api = Api(Client(headers={"Authorization": f"Bearer {raw}"}))
    response = api.get(f"/organisations/{org.pk}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Autenticazione richiesta."}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # a write with a revoked token is a 401 too, not a CSRF 403
    assert api.post("/organisations", org_payload()).status_code == 401


def test_a_token_of_a_deactivated_user_is_401(personas, org):
    user = personas["ufficio"]
    _token, raw = ApiToken.issue(user, "script")
    user.is_active = False
    user.save()
    response = Client().get(f"{BASE}/organisations", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer ponti_not-a-token", "Bearer", "Basic dWZmaWNpbzpwYXNzd29yZA==", "ponti_x"]
)
def test_a_wrong_authorization_header_is_401(db, header):
    response = Client().get(f"{BASE}/organisations", headers={"Authorization": header})
    assert response.status_code == 401


def test_no_credentials_is_401_for_reads_and_writes(db, org):
    client = Api(Client())
    assert client.get("/organisations").status_code == 401
    assert client.get(f"/organisations/{org.pk}").status_code == 401
    assert client.post("/organisations", org_payload()).status_code == 401
    assert client.delete(f"/organisations/{org.pk}").status_code == 401


def test_the_session_authenticates_reads_without_csrf(personas, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["revisore"])
    assert client.get(f"{BASE}/organisations/{org.pk}").status_code == 200


def test_a_session_write_needs_the_csrf_token(personas, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["ufficio"])
    api = Api(client)
    refused = api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Kyōto"})
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    org.refresh_from_db()
    assert org.version == 1

    # the token a page would embed: read it from any page that sets the cookie
    client.get(f"{BASE}/docs")
    csrf = client.cookies["csrftoken"].value
    accepted = client.patch(
        f"{BASE}/organisations/{org.pk}",
        {"version": 1, "city": "Kyōto"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["city"] == "Kyōto"


def test_a_session_of_a_revisore_is_still_refused_writes(personas, org):
    client = Client()
    client.force_login(personas["revisore"])
    response = Api(client).patch(f"/organisations/{org.pk}", {"version": 1, "city": "x"})
    assert response.status_code == 403


def test_a_logged_out_session_is_401(personas, org):
    client = Client()
    client.force_login(personas["ufficio"])
    client.logout()
    assert client.get(f"{BASE}/organisations").status_code == 401
