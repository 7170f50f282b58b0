"""The office of an ente's Amministratore (/gestione/): users, roles, enti, in pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from ponti.accounts.models import Membership, User
from ponti.core.models import AuditEvent, Ente
from ponti.partners.models import Organisation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def prato_admin(make_user, other_ente):
    return make_user("amministratore", username="admin-prato", enti=[other_ente])


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas["amministratore"])
    return client


@pytest.mark.parametrize(
    "role", ["ufficio", "consigliere", "segreteria", "responsabile", "revisore"]
)
def test_only_an_amministratore_opens_the_office(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/gestione/utenti/").status_code == 403
    assert client.get("/gestione/enti/").status_code == 403


def test_the_list_shows_the_users_of_my_enti_only(admin_client, personas, make_user, other_ente):
    make_user("ufficio", username="ufficio-prato", enti=[other_ente])
    page = admin_client.get("/gestione/utenti/").content.decode()
    assert "revisore" in page and "ufficio-prato" not in page


def test_another_entes_user_is_a_404(admin_client, make_user, other_ente):
    stranger = make_user("ufficio", username="ufficio-prato", enti=[other_ente])
    assert admin_client.get(f"/gestione/utenti/{stranger.pk}/").status_code == 404
    response = admin_client.post(f"/gestione/utenti/{stranger.pk}/attivo/", {"active": "0"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_an_invited_user_chooses_a_password_and_logs_in(
    admin_client, ente, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/gestione/utenti/nuovo/",
            {
                "username": "nuova",
                "first_name": "Anna",
                "last_name": "Verdi",
                "email": "anna.verdi@example.org",
                "ente": ente.pk,
                "role": "segreteria",
                "clearance": "",
                "invite": "on",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(username="nuova")
    assert not user.has_usable_password()
    place = Membership.objects.get(user=user)
    assert (place.ente, place.role, place.clearance) == (ente, "segreteria", "riservato")
    (message,) = mail.outbox
    link = re.search(r"https://ponti\.example\.org(/\S+)", message.body).group(1)
    browser = Client()
    form = browser.get(link, follow=True)
    browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Anna-Sceglie-2026", "new_password2": "Anna-Sceglie-2026"},
    )
    assert browser.login(username="nuova", password="Anna-Sceglie-2026")


def test_a_clearance_above_the_role_is_refused_and_the_form_keeps_what_was_typed(
    admin_client, ente
):
    page = admin_client.post(
        "/gestione/utenti/nuovo/",
        {
            "username": "revisore2",
            "email": "r2@example.org",
            "ente": ente.pk,
            "role": "revisore",
            "clearance": "riservato",
        },
    ).content.decode()
    assert "legge al massimo il livello «Interno»" in page
    assert 'value="revisore2"' in page and 'value="r2@example.org"' in page
    assert not User.objects.filter(username="revisore2").exists()


def test_a_role_and_clearance_are_given_per_ente(admin_client, personas, ente):
    child = Ente.objects.create(name="Comune di Fiesole", slug="fiesole", parent=ente)
    target = personas["revisore"]
    response = admin_client.post(
        f"/gestione/utenti/{target.pk}/ruoli/",
        {"ente": child.pk, "role": "ufficio", "clearance": "interno"},
    )
    assert response.status_code == 302
    places = dict(target.memberships.values_list("ente__slug", "role"))
    assert places == {"cm-firenze": "revisore", "fiesole": "ufficio"}
    event = AuditEvent.objects.filter(content_type__model="membership").latest("at")
    assert event.actor == personas["amministratore"]


def test_a_role_in_an_ente_not_administered_is_refused(admin_client, personas, other_ente):
    target = personas["revisore"]
    response = admin_client.post(
        f"/gestione/utenti/{target.pk}/ruoli/", {"ente": other_ente.pk, "role": "ufficio"}
    )
    assert response.status_code == 422
    assert not target.memberships.filter(ente=other_ente).exists()


def test_an_amministratore_cannot_deactivate_themselves(admin_client, personas):
    me = personas["amministratore"]
    admin_client.post(f"/gestione/utenti/{me.pk}/attivo/", {"active": "0"}, follow=True)
    me.refresh_from_db()
    assert me.is_active


def test_the_last_amministratore_of_a_top_ente_stays(admin_client, personas, ente):
    me = personas["amministratore"]
    page = admin_client.post(
        f"/gestione/utenti/{me.pk}/ruoli/{ente.pk}/togli/", follow=True
    ).content.decode()
    assert "resterebbe senza Amministratore" in page
    assert me.memberships.filter(ente=ente, role="amministratore").exists()


def test_a_user_of_other_enti_too_is_not_deactivated_by_one_ente(
    admin_client, make_user, ente, other_ente
):
    shared = make_user("ufficio", username="condiviso", enti=[ente, other_ente])
    page = admin_client.get(f"/gestione/utenti/{shared.pk}/").content.decode()
    assert "Disattiva" not in page
    admin_client.post(f"/gestione/utenti/{shared.pk}/attivo/", {"active": "0"})
    shared.refresh_from_db()
    assert shared.is_active
    # Removing them from Florence is allowed, and leaves Prato alone.
    admin_client.post(f"/gestione/utenti/{shared.pk}/ruoli/{ente.pk}/togli/")
    assert list(shared.memberships.values_list("ente__slug", flat=True)) == ["prato"]


def test_the_reset_link_goes_to_the_user_and_clears_a_lockout(admin_client, personas):
    from ponti.accounts.models import LoginThrottle

    target = personas["revisore"]
    LoginThrottle.objects.create(username="revisore", failures=9)
    admin_client.post(f"/gestione/utenti/{target.pk}/password/")
    (message,) = mail.outbox
    assert message.to == [target.email]
    assert "/accounts/password/nuova/" in message.body
    assert not LoginThrottle.objects.exists()


def test_the_user_page_shows_last_login_and_tokens(admin_client, personas):
    from ponti.accounts.models import ApiToken

    target = personas["ufficio"]
    Client().login(username="ufficio", password=PASSWORD)
    ApiToken.issue(target, "import notturno")
    page = admin_client.get(f"/gestione/utenti/{target.pk}/").content.decode()
    assert (
        "import notturno" in page
        and "Ultimo accesso" in page
        and "mai" not in page.split("Ultimo accesso")[1][:80]
    )


def test_an_amministratore_revokes_a_users_token(admin_client, personas):
    from ponti.accounts.models import ApiToken

    token, raw = ApiToken.issue(personas["ufficio"], "script")
    admin_client.post(f"/gestione/token/{token.pk}/revoca/")
    assert ApiToken.authenticate(raw) is None
    token.refresh_from_db()
    assert token.revoked_reason == "revocato da admin"


# --- enti -----------------------------------------------------------------------------------


def test_an_amministratore_creates_a_child_ente_with_its_registry_card(admin_client, ente):
    response = admin_client.post(
        "/gestione/enti/nuovo/",
        {
            "name": "Comune di Fiesole",
            "kind": "comune",
            "parent": ente.pk,
            "city": "Fiesole",
            "country": "IT",
        },
    )
    assert response.status_code == 302
    child = Ente.objects.get(name="Comune di Fiesole")
    assert child.parent == ente
    org = Organisation.objects.get(represents=child)
    assert (org.name, org.kind, org.country, org.confidentiality) == (
        "Comune di Fiesole",
        "city",
        "IT",
        "pubblico",
    )
    assert "Comune di Fiesole" in admin_client.get("/gestione/enti/").content.decode()


def test_only_a_superuser_creates_a_top_level_ente(admin_client, db):
    page = admin_client.post(
        "/gestione/enti/nuovo/", {"name": "Regione Toscana", "kind": "regione", "country": "IT"}
    ).content.decode()
    assert "Questo campo è obbligatorio" in page
    assert not Ente.objects.filter(name="Regione Toscana").exists()
    root = User.objects.create_superuser("root", "root@example.org", "Root-Password-2026")
    operator = Client()
    operator.force_login(root)
    operator.post(
        "/gestione/enti/nuovo/", {"name": "Regione Toscana", "kind": "regione", "country": "IT"}
    )
    assert Ente.objects.get(name="Regione Toscana").parent is None


def test_an_existing_registry_organisation_becomes_the_entes_card(admin_client, ente, make_org):
    org = make_org(name="Comune di Sesto Fiorentino", country="IT", city="Sesto Fiorentino")
    admin_client.post(
        "/gestione/enti/nuovo/",
        {
            "name": "Comune di Sesto Fiorentino",
            "kind": "comune",
            "parent": ente.pk,
            "country": "IT",
            "organisation": org.pk,
        },
    )
    org.refresh_from_db()
    assert org.represents.name == "Comune di Sesto Fiorentino"
    assert Organisation.objects.filter(name="Comune di Sesto Fiorentino").count() == 1


def test_an_ente_cannot_be_put_under_its_own_child(admin_client, ente, personas):
    child = Ente.objects.create(name="Comune di Fiesole", slug="fiesole", parent=ente)
    from ponti.accounts.services import create_ente

    grandchild = create_ente(
        by=personas["amministratore"], data={"name": "Frazione", "kind": "altro"}, parent=child
    )
    page = admin_client.post(
        f"/gestione/enti/{child.pk}/modifica/",
        {
            "name": child.name,
            "kind": "comune",
            "parent": grandchild.pk,
            "country": "IT",
            "version": child.version,
        },
    ).content.decode()
    assert "Correggi i campi segnalati" in page
    child.refresh_from_db()
    assert child.parent == ente


def test_another_entes_admin_does_not_see_nor_edit_florence(client, prato_admin, ente):
    client.force_login(prato_admin)
    assert (
        f"/gestione/enti/{ente.pk}/modifica/" not in client.get("/gestione/enti/").content.decode()
    )
    assert client.get(f"/gestione/enti/{ente.pk}/modifica/").status_code == 404
    page = client.post(
        "/gestione/enti/nuovo/",
        {"name": "Intrusa", "kind": "comune", "parent": ente.pk, "country": "IT"},
    ).content.decode()
    assert "Intrusa" in page  # kept, refused
    assert not Ente.objects.filter(name="Intrusa").exists()


def test_a_renamed_ente_renames_its_registry_card(admin_client, personas, ente):
    from ponti.accounts.services import create_ente

    child = create_ente(
        by=personas["amministratore"],
        data={"name": "Comune di Fiesol", "kind": "comune"},
        parent=ente,
    )
    admin_client.post(
        f"/gestione/enti/{child.pk}/modifica/",
        {
            "name": "Comune di Fiesole",
            "kind": "comune",
            "parent": ente.pk,
            "country": "IT",
            "version": child.version,
        },
    )
    assert Organisation.objects.get(represents=child).name == "Comune di Fiesole"


def test_a_stale_ente_edit_is_refused_and_shows_what_changed(admin_client, personas, ente):
    from ponti.accounts.services import create_ente, update_ente

    child = create_ente(
        by=personas["amministratore"],
        data={"name": "Comune di Vinci", "kind": "comune"},
        parent=ente,
    )
    update_ente(
        child,
        by=personas["amministratore"],
        data={"city": "Vinci"},
        parent=ente,
        expected_version=1,
    )
    page = admin_client.post(
        f"/gestione/enti/{child.pk}/modifica/",
        {
            "name": "Comune di Vinci (FI)",
            "kind": "comune",
            "parent": ente.pk,
            "country": "IT",
            "version": 1,
        },
    ).content.decode()
    assert "qualcun altro ha modificato" in page and "Comune di Vinci (FI)" in page
    child.refresh_from_db()
    assert child.name == "Comune di Vinci"
