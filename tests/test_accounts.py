"""Login, lockout, password change and personal API tokens."""

from __future__ import annotations

from django.test import override_settings

from ponti.accounts.models import ApiToken, hash_token
from tests.conftest import PASSWORD


def test_login_page_logs_a_user_in(client, personas):
    response = client.post("/accounts/login/", {"username": "ufficio", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/partner/").status_code == 200


@override_settings(PONTI_LOCKOUT_FAILURES=3)
def test_repeated_failed_logins_lock_the_account(client, personas):
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "ufficio", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "ufficio", "password": PASSWORD})
    assert response.status_code == 429
    assert "bloccato" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_production():
    from django.conf import settings

    from ponti import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.PASSWORD_HASHERS  # tests use a fast hasher


def test_password_change(client, personas):
    client.force_login(personas["revisore"])
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nuova-Password-2026!",
            "new_password2": "Nuova-Password-2026!",
        },
    )
    assert response.status_code == 302
    personas["revisore"].refresh_from_db()
    assert personas["revisore"].check_password("Nuova-Password-2026!")


def test_a_token_created_on_the_profile_is_shown_once_and_stored_as_a_hash(client, personas):
    client.force_login(personas["ufficio"])
    page = client.post("/accounts/profilo/", {"name": "script"}).content.decode()
    token = ApiToken.objects.get()
    raw = page.split('id="new-token" class="form-control font-monospace" readonly value="')[
        1
    ].split('"')[0]
    assert raw.startswith("ponti_") and token.token_hash == hash_token(raw)
    assert raw not in client.get("/accounts/profilo/").content.decode()
    assert ApiToken.authenticate(raw) == personas["ufficio"]


def test_a_revoked_token_no_longer_authenticates(client, personas):
    token, raw = ApiToken.issue(personas["ufficio"], "script")
    client.force_login(personas["ufficio"])
    client.post(f"/accounts/profilo/token/{token.pk}/revoca/")
    assert ApiToken.authenticate(raw) is None


def test_a_user_cannot_revoke_someone_elses_token(client, personas):
    token, raw = ApiToken.issue(personas["ufficio"], "script")
    client.force_login(personas["revisore"])
    assert client.post(f"/accounts/profilo/token/{token.pk}/revoca/").status_code == 404
    assert ApiToken.authenticate(raw) == personas["ufficio"]


def test_the_token_command_prints_a_working_token(personas):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "consigliere", stdout=out)
    assert ApiToken.authenticate(out.getvalue().strip()) == personas["consigliere"]
