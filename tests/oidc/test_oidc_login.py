"""Logging in through a real OpenID Connect provider (tests/oidc_idp): the authorization-code
flow with PKCE and a nonce, who gets in, who does not, and what a forged answer gets."""

from __future__ import annotations

from typing import Any

import pytest

from ponti.accounts.models import LoginThrottle, User, UserSession
from ponti.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MARIA = {
    "preferred_username": "mrossi",
    "given_name": "Maria",
    "family_name": "Rossi",
    "email": "maria.rossi@cittametropolitana.fi.it",
}


def _logged_in(client: Any) -> Any:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def _messages(client: Any, response: Any) -> str:
    """The page the browser lands on after a redirect, where the messages are shown."""
    assert response.status_code == 302, response
    return client.get(response["Location"]).content.decode()


def test_a_new_person_logs_in_with_pkce_and_gets_the_places_the_provider_gives(
    client: Any, sso: Any, sso_login: Any, ente: Any
) -> None:
    sso.add_person(
        "mrossi", sub="a1b2c3", claims=MARIA, id_token={"ponti_roles": ["cm-firenze:ufficio"]}
    )
    login = sso_login(client, "mrossi")

    # The request to the provider: code flow, PKCE with S256, a nonce, a state, the scopes.
    asked = {key: values[0] for key, values in login.authorize.items()}
    assert asked["response_type"] == "code"
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["nonce"]) >= 32 and len(asked["state"]) >= 32
    assert asked["scope"] == "openid email profile"
    assert asked["redirect_uri"] == "http://testserver/oidc/callback/"

    assert login.response.status_code == 302 and login.response["Location"] == "/"
    user = _logged_in(client)
    assert user == User.objects.get(oidc_subject="a1b2c3")
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "mrossi",
        "Maria",
        "Rossi",
        "maria.rossi@cittametropolitana.fi.it",
    )
    assert not user.has_usable_password() and not user.is_superuser and not user.is_staff
    assert [(m.ente.slug, m.role, m.clearance) for m in user.memberships.all()] == [
        ("cm-firenze", "ufficio", "riservato")
    ]
    # user_logged_in fired as for a password: the session is remembered, the user is in.
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()
    assert user.last_login is not None
    assert client.get("/partner/").status_code == 200
    # Created by the system, not by a person, and on the record.
    created = AuditEvent.objects.get(
        content_type__model="user", object_id=str(user.pk), action="create"
    )
    assert created.actor is None and created.actor_repr == ""
    assert AuditEvent.objects.filter(content_type__model="membership", action="create").exists()


def test_a_returning_person_is_the_same_user_updated_from_the_claims(
    client: Any, sso: Any, sso_login: Any, ente: Any, other_ente: Any
) -> None:
    sso.add_person(
        "mrossi", sub="a1b2c3", claims=MARIA, id_token={"ponti_roles": ["cm-firenze:ufficio"]}
    )
    sso_login(client, "mrossi")
    first = User.objects.get(oidc_subject="a1b2c3")
    client.logout()

    sso.add_person(
        "mrossi",
        sub="a1b2c3",
        claims={
            **MARIA,
            "preferred_username": "maria.bianchi",
            "family_name": "Bianchi",
            "email": "maria.bianchi@cittametropolitana.fi.it",
        },
        id_token={"ponti_roles": ["prato:revisore"]},
    )
    sso_login(client, "mrossi")
    again = _logged_in(client)
    assert again.pk == first.pk and User.objects.count() == 1
    assert (again.username, again.last_name, again.email) == (
        "maria.bianchi",
        "Bianchi",
        "maria.bianchi@cittametropolitana.fi.it",
    )
    assert again.version == first.version + 1  # an Amministratore's stale edit is then refused
    # Authoritative by default: the place the provider no longer gives is gone.
    assert [(m.ente.slug, m.role) for m in again.memberships.all()] == [("prato", "revisore")]


def test_a_returning_person_with_nothing_new_changes_nothing(
    client: Any, sso: Any, sso_login: Any, ente: Any
) -> None:
    sso.add_person("mrossi", claims=MARIA, id_token={"ponti_roles": ["cm-firenze:ufficio"]})
    sso_login(client, "mrossi")
    client.logout()
    people = AuditEvent.objects.filter(content_type__model__in=["user", "membership"])
    events = people.count()
    sso_login(client, "mrossi")
    assert _logged_in(client).username == "mrossi"
    assert people.count() == events  # no noise in the change log at each login


def test_a_person_without_a_place_gets_in_and_is_told_to_ask_the_amministratore(
    client: Any, sso: Any, sso_login: Any
) -> None:
    sso.add_person("nuovo", claims={"preferred_username": "nuovo", "email": "nuovo@example.org"})
    login = sso_login(client, "nuovo")
    assert _logged_in(client).username == "nuovo"
    assert "non hai ancora un ruolo in nessun ente" in _messages(client, login.response)
    profile = client.get("/accounts/profilo/").content.decode()
    assert "Non hai ancora un ruolo: chiedi all" in profile
    assert "in Ponti non hai una password" in profile and "Cambia password" not in profile
    assert client.get("/partner/").status_code == 403


def test_a_deactivated_user_is_refused_whatever_the_provider_says(
    client: Any, sso: Any, sso_login: Any, make_user: Any
) -> None:
    user = make_user("ufficio", username="spento")
    User.objects.filter(pk=user.pk).update(oidc_subject="sub-spento", is_active=False)
    sso.add_person("spento", claims={**MARIA, "given_name": "Nuovo nome"})
    login = sso_login(client, "spento")
    assert _logged_in(client) is None
    assert "Il tuo account in Ponti è disattivato" in _messages(client, login.response)
    user.refresh_from_db()
    assert user.first_name == ""  # refused before anything was changed


def test_a_superuser_never_logs_in_through_the_provider(
    client: Any, sso: Any, sso_login: Any, db: Any
) -> None:
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    User.objects.filter(pk=root.pk).update(oidc_subject="sub-root")
    sso.add_person("root", claims={"email": "root@example.org"})
    login = sso_login(client, "root")
    assert _logged_in(client) is None
    assert "accede con nome utente e password" in _messages(client, login.response)


def test_a_local_user_with_the_same_e_mail_and_name_is_not_taken_over(
    client: Any, sso: Any, sso_login: Any, make_user: Any, ente: Any
) -> None:
    local = make_user("amministratore", username="mrossi")
    User.objects.filter(pk=local.pk).update(email=MARIA["email"])
    sso.add_person("mrossi", sub="stranger", claims=MARIA)
    sso_login(client, "mrossi")

    newcomer = _logged_in(client)
    assert newcomer.pk != local.pk and newcomer.username == "mrossi-2"
    assert newcomer.oidc_subject == "stranger" and not newcomer.memberships.exists()
    local.refresh_from_db()
    assert local.oidc_subject is None and local.check_password(PASSWORD)
    assert [m.role for m in local.memberships.all()] == ["amministratore"]


def test_a_locked_account_gets_in_through_the_provider_and_its_count_is_cleared(
    client: Any, sso: Any, sso_login: Any, make_user: Any, settings: Any
) -> None:
    """The lockout guards the local password; the provider did its own checks."""
    settings.PONTI_LOCKOUT_FAILURES = 2
    user = make_user("ufficio", username="mrossi")
    User.objects.filter(pk=user.pk).update(oidc_subject="sub-mrossi")
    for _attempt in range(2):
        client.post("/accounts/login/", {"username": "mrossi", "password": "wrong"})
    assert LoginThrottle.objects.get(username="mrossi").locked_until is not None
    sso.add_person("mrossi", claims=MARIA)
    sso_login(client, "mrossi")
    assert _logged_in(client).pk == user.pk
    assert not LoginThrottle.objects.filter(username="mrossi").exists()


def test_a_safe_next_address_is_followed_and_another_site_is_not(
    client: Any, sso: Any, sso_login: Any, ente: Any
) -> None:
    sso.add_person("mrossi", claims=MARIA, id_token={"ponti_roles": ["cm-firenze:ufficio"]})
    assert sso_login(client, "mrossi", next_url="/partner/").response["Location"] == "/partner/"
    client.logout()
    login = sso_login(client, "mrossi", next_url="https://evil.example/")
    assert login.response["Location"] == "/"


# --- forged or broken answers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        {"signature": True},
        {"aud": "another-client"},
        {"iss": "https://not-the-provider.example"},
        {"nonce": "a-nonce-this-browser-never-sent"},
        {"exp": -3600},
        {"userinfo_sub": "someone-else"},
    ],
    ids=[
        "bad-signature",
        "wrong-audience",
        "wrong-issuer",
        "wrong-nonce",
        "expired",
        "userinfo-of-another",
    ],
)
def test_a_forged_or_broken_answer_of_the_provider_is_refused(
    client: Any, sso: Any, sso_login: Any, tamper: dict[str, Any]
) -> None:
    sso.add_person("mrossi", claims=MARIA, tamper=tamper)
    login = sso_login(client, "mrossi")
    assert _logged_in(client) is None
    assert not User.objects.filter(username="mrossi").exists()
    assert "Accesso con l&#x27;identità dell&#x27;ente non riuscito" in _messages(
        client, login.response
    )


def _replace(url: str, key: str, value: str) -> str:
    from urllib.parse import parse_qs, urlencode, urlsplit

    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query[key] = value
    return parts._replace(query=urlencode(query)).geturl()


@pytest.mark.parametrize("key", ["state", "code"])
def test_a_callback_with_a_changed_state_or_code_is_refused(
    client: Any, sso: Any, sso_login: Any, key: str
) -> None:
    sso.add_person("mrossi", claims=MARIA)
    login = sso_login(client, "mrossi", tamper_callback=lambda url: _replace(url, key, "x" * 32))
    assert _logged_in(client) is None
    assert "non riuscito" in _messages(client, login.response)


def test_a_callback_cannot_be_replayed_nor_used_by_another_browser(
    client: Any, sso: Any, sso_login: Any, django_user_model: Any
) -> None:
    from django.test import Client

    sso.add_person("mrossi", claims=MARIA)
    login = sso_login(client, "mrossi")
    assert _logged_in(client) is not None
    path = login.callback[len("http://testserver") :]
    # Another browser (an attacker who got the link) has no state for it.
    stranger = Client()
    assert stranger.get(path).status_code == 302 and _logged_in(stranger) is None
    # The same browser, after logging out: the state was used up.
    client.logout()
    client.get(path)
    assert _logged_in(client) is None


def test_the_provider_refusing_the_login_brings_the_person_back_to_the_login_page(
    client: Any, sso: Any
) -> None:
    start = client.get("/oidc/authenticate/")
    from urllib.parse import parse_qs, urlsplit

    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": state})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert _logged_in(client) is None
