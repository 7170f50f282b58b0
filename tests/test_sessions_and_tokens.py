"""A password change or a deactivation ends the user's sessions and tokens; tokens have a
name, an expiry and a last use; passwords are at least 12 characters and not common."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ponti.accounts.models import ApiToken, UserSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Una-Password-Nuova-2026"


def _login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _logged_in(client: Client) -> bool:
    return client.get("/accounts/profilo/").status_code == 200


def test_a_login_is_remembered_as_a_session(personas):
    client = _login("ufficio")
    assert UserSession.objects.filter(user=personas["ufficio"]).count() == 1
    assert _logged_in(client)


def test_a_password_change_ends_the_other_sessions_and_every_token(personas):
    laptop, phone = _login("ufficio"), _login("ufficio")
    _token, raw = ApiToken.issue(personas["ufficio"], "script")
    response = laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _logged_in(laptop)  # the browser that changed it stays in
    assert not _logged_in(phone)
    assert ApiToken.authenticate(raw) is None
    token = ApiToken.objects.get()
    assert token.state == "revoked" and token.revoked_reason == "password cambiata"
    assert UserSession.objects.filter(user=personas["ufficio"]).count() == 1


def test_deactivating_a_user_ends_their_sessions_and_tokens(personas):
    browser = _login("revisore")
    _token, raw = ApiToken.issue(personas["revisore"], "script")
    admin = Client()
    admin.force_login(personas["amministratore"])
    target = personas["revisore"]
    response = admin.post(f"/gestione/utenti/{target.pk}/attivo/", {"active": "0"})
    assert response.status_code == 302
    assert not _logged_in(browser)
    assert ApiToken.authenticate(raw) is None
    assert not UserSession.objects.filter(user=target).exists()


def test_log_out_everywhere_else(personas):
    here, there = _login("ufficio"), _login("ufficio")
    here.post("/accounts/profilo/sessioni/chiudi/")
    assert _logged_in(here) and not _logged_in(there)


def test_an_expired_token_no_longer_authenticates(personas):
    token, raw = ApiToken.issue(personas["ufficio"], "script")
    assert ApiToken.authenticate(raw) == personas["ufficio"]
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert ApiToken.authenticate(raw) is None
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/organisations").status_code == 401


def test_a_new_token_expires_in_90_days_by_default(personas):
    token, _raw = ApiToken.issue(personas["ufficio"], "script")
    days = (token.expires_at - timezone.now()).days
    assert 89 <= days <= 90


def test_the_profile_form_takes_an_expiry_of_at_most_a_year(client, personas):
    client.force_login(personas["ufficio"])
    too_late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    page = client.post("/accounts/profilo/", {"name": "script", "expires_on": too_late})
    assert "al massimo 365 giorni" in page.content.decode()
    assert not ApiToken.objects.exists()
    soon = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    client.post("/accounts/profilo/", {"name": "script", "expires_on": soon})
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date().isoformat() == soon


def test_the_last_use_of_a_token_is_recorded(personas):
    token, raw = ApiToken.issue(personas["ufficio"], "script")
    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/organisations")
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Corta-2026!", "almeno 12 caratteri"),
        ("password1234", "troppo comune"),
    ],
)
def test_weak_passwords_are_refused(client, personas, password, message):
    client.force_login(personas["ufficio"])
    page = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    ).content.decode()
    assert message in page
    personas["ufficio"].refresh_from_db()
    assert personas["ufficio"].check_password(PASSWORD)


def test_a_forgotten_password_link_uses_the_site_address_not_the_host_header(client, personas):
    response = client.post(
        "/accounts/password/dimenticata/",
        {"email": personas["ufficio"].email},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "https://ponti.example.org/accounts/password/nuova/" in message.body
    link = next(w for w in message.body.split() if "/password/nuova/" in w)
    path = link.replace("https://ponti.example.org", "")
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    personas["ufficio"].refresh_from_db()
    assert personas["ufficio"].check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, personas):
    response = client.post("/accounts/password/dimenticata/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and not mail.outbox
