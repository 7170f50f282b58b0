"""Single sign-on is there only when configured; the login page offers it next to the local
form; logging out ends the session at the provider too; a missing provider is no 500."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from ponti.accounts import oidc
from ponti.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parents[2] / "ponti" / "settings.py"
OIDC_VARIABLES = (
    "PONTI_OIDC_ISSUER",
    "PONTI_OIDC_CLIENT_ID",
    "PONTI_OIDC_CLIENT_SECRET",
    "PONTI_OIDC_CLIENT_SECRET_FILE",
    "PONTI_OIDC_AUTHORIZATION_ENDPOINT",
    "PONTI_OIDC_TOKEN_ENDPOINT",
    "PONTI_OIDC_USERINFO_ENDPOINT",
    "PONTI_OIDC_JWKS_ENDPOINT",
    "PONTI_OIDC_ROLES_MODE",
)


def _settings_with(monkeypatch: Any, **variables: str) -> dict[str, Any]:
    """Ponti's settings module as it reads these environment variables (and no other OIDC)."""
    for name in OIDC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_the_variables_nothing_changes(monkeypatch: Any, client: Any) -> None:
    configured = _settings_with(monkeypatch)
    assert configured["PONTI_OIDC_ENABLED"] is False
    assert configured["AUTHENTICATION_BACKENDS"] == [
        "ponti.accounts.lockout.LockoutBackend",
        "ponti.core.backends.PasswordBackend",
        "ponti.core.backends.RolePermissionBackend",
    ]
    page = client.get("/accounts/login/").content.decode()
    assert "/oidc/authenticate/" not in page and 'name="password"' in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_the_variables_turn_it_on_with_the_secret_from_a_file(
    monkeypatch: Any, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    configured = _settings_with(
        monkeypatch,
        PONTI_OIDC_ISSUER="https://id.example.org/realms/ente/",
        PONTI_OIDC_CLIENT_ID="ponti",
        PONTI_OIDC_CLIENT_SECRET_FILE=str(secret),
    )
    assert configured["PONTI_OIDC_ENABLED"] is True
    assert configured["PONTI_OIDC_ISSUER"] == "https://id.example.org/realms/ente"
    assert configured["OIDC_RP_CLIENT_SECRET"] == "s3cret"
    assert configured["AUTHENTICATION_BACKENDS"][-2:] == [
        "ponti.accounts.oidc.OIDCBackend",
        "ponti.core.backends.RolePermissionBackend",
    ]
    assert configured["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert configured["OIDC_USE_PKCE"] is True and configured["OIDC_USE_NONCE"] is True


@pytest.mark.parametrize(
    "variables",
    [
        {"PONTI_OIDC_ISSUER": "https://id.example.org"},
        {"PONTI_OIDC_CLIENT_ID": "ponti", "PONTI_OIDC_CLIENT_SECRET": "s"},
        {
            "PONTI_OIDC_CLIENT_ID": "ponti",
            "PONTI_OIDC_CLIENT_SECRET": "s",
            "PONTI_OIDC_TOKEN_ENDPOINT": "https://id.example.org/token",
        },
        {
            "PONTI_OIDC_ISSUER": "https://id.example.org",
            "PONTI_OIDC_CLIENT_ID": "ponti",
            "PONTI_OIDC_CLIENT_SECRET": "s",
            "PONTI_OIDC_ROLES_MODE": "sometimes",
        },
    ],
    ids=["issuer-alone", "client-alone", "some-endpoints", "unknown-roles-mode"],
)
def test_half_a_configuration_is_an_error_not_a_silent_off(
    monkeypatch: Any, variables: dict[str, str]
) -> None:
    with pytest.raises(ImproperlyConfigured):
        _settings_with(monkeypatch, **variables)


# --- the login page -------------------------------------------------------------------------


def test_the_login_page_offers_single_sign_on_next_to_the_local_form(
    client: Any, sso: Any, settings: Any
) -> None:
    page = client.get("/accounts/login/", {"next": "/partner/?q=a b"}).content.decode()
    assert "Accedi con l&#x27;identità dell&#x27;ente (SPID, CIE, account dell&#x27;ente)" in page
    assert 'href="/oidc/authenticate/?next=%2Fpartner%2F%3Fq%3Da%20b"' in page
    assert 'name="password"' in page and "Oppure con nome utente e password" in page
    settings.PONTI_OIDC_LOGIN_LABEL = "Accedi con Regione Toscana"
    assert "Accedi con Regione Toscana" in client.get("/accounts/login/").content.decode()
    # The local login stays.
    assert (
        client.post("/accounts/login/", {"username": "nobody", "password": "x"}).status_code == 200
    )


def test_a_provider_that_does_not_answer_brings_the_person_back_with_a_clear_message(
    client: Any, sso: Any, settings: Any
) -> None:
    settings.PONTI_OIDC_ISSUER = "http://127.0.0.1:9/nobody"
    settings.OIDC_TIMEOUT = 2
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "Il servizio di identità non risponde" in response.content.decode()


def test_a_password_form_posted_to_an_address_with_a_code_starts_no_exchange(
    sso: Any, make_user: Any
) -> None:
    """Only the callback, with the nonce and verifier from the session, logs in by code."""
    request = RequestFactory().post("/accounts/login/?code=stolen&state=whatever")
    assert oidc.OIDCBackend().authenticate(request, username="ufficio", password="x") is None
    assert oidc.OIDCBackend().authenticate(request, nonce="n") is None
    assert not hasattr(request, oidc.REFUSAL)


def test_a_deactivated_users_session_is_not_kept_by_the_backend(make_user: Any) -> None:
    user = make_user("ufficio")
    assert oidc.OIDCBackend().get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert oidc.OIDCBackend().get_user(user.pk) is None


def test_the_backend_grants_nothing_from_groups_or_per_user_permissions(make_user: Any) -> None:
    from django.contrib.auth.models import Permission

    user = make_user(None, username="nessuno")
    user.user_permissions.add(Permission.objects.get(codename="delete_organisation"))
    assert not oidc.OIDCBackend().has_perm(user, "partners.delete_organisation")


# --- logging out ------------------------------------------------------------------------------


def test_logging_out_ends_the_session_here_and_at_the_provider(
    client: Any, sso: Any, sso_login: Any
) -> None:
    sso.add_person("mrossi", claims={"preferred_username": "mrossi"})
    login = sso_login(client, "mrossi")
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    end_session = response["Location"]
    assert end_session.startswith(sso.issuer + "/end-session?id_token_hint=")
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2F" in end_session
    # The browser goes there: the provider ends its own session and sends it back to Ponti.
    at_provider = login.browser.get(end_session, allow_redirects=False, timeout=10)
    assert (
        at_provider.status_code == 302 and at_provider.headers["Location"] == "http://testserver/"
    )
    again = login.browser.get(login.authorize_url, allow_redirects=False, timeout=10)
    assert again.headers["Location"].startswith("/login/")  # to log in again at the provider


def test_logging_out_after_a_password_login_stays_in_ponti(
    client: Any, sso: Any, make_user: Any, settings: Any
) -> None:
    make_user("ufficio")
    client.post("/accounts/login/", {"username": "ufficio", "password": PASSWORD})
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_logging_out_at_the_provider_can_be_switched_off(
    client: Any, sso: Any, sso_login: Any, settings: Any
) -> None:
    settings.PONTI_OIDC_LOGOUT_AT_PROVIDER = False
    sso.add_person("mrossi", claims={"preferred_username": "mrossi"})
    sso_login(client, "mrossi")
    assert client.post("/accounts/logout/")["Location"] == "/"


def test_discovery_refuses_a_document_that_names_another_issuer(
    monkeypatch: Any, settings: Any
) -> None:
    class Answer:
        def raise_for_status(self) -> None:
            pass

        def json(self) -> dict[str, str]:
            return {"issuer": "https://evil.example", "authorization_endpoint": "x"}

    monkeypatch.setattr(requests, "get", lambda *a, **kw: Answer())
    settings.PONTI_OIDC_ISSUER = "https://id.example.org"
    with pytest.raises(oidc.ProviderUnavailable, match="another issuer"):
        oidc.provider()


def test_forms_may_be_redirected_to_the_provider_only_when_sso_is_on(
    client: Any, sso: Any, settings: Any
) -> None:
    """Logging out after single sign-on goes on to the provider: CSP form-action allows its
    origin then, and only then."""
    from urllib.parse import urlsplit

    issuer = urlsplit(sso.issuer)
    origin = f"{issuer.scheme}://{issuer.netloc}"
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(p for p in policy.split(";") if p.strip().startswith("form-action"))
    assert origin in form_action
    settings.PONTI_OIDC_ENABLED = False
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert origin not in policy
