"""An ente's Amministratore runs the office in the browser: invites a user, gives a role in a
child ente, creates that ente, deactivates a user; a user manages tokens and sessions; the
lockout and the forgotten-password pages. axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_an_amministratore_runs_the_office(
    page: Page, login: Any, assert_accessible: Any, ente: Any, personas: dict[str, Any]
) -> None:
    main = page.locator("main")
    login(page, "admin")
    page.get_by_role("link", name="Gestione dell'ente").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Gestione dell'ente")
    expect(main.get_by_role("link", name="revisore")).to_be_visible()
    assert_accessible(page, "office: users")

    # A child ente, with its card in the registry.
    main.get_by_role("link", name="Enti", exact=True).click()
    assert_accessible(page, "office: enti")
    main.get_by_role("link", name="Nuovo ente sotto uno dei tuoi").click()
    main.locator("#id_name").fill("Comune di Fiesole")
    main.get_by_label("Tipo di ente").select_option("comune")
    main.get_by_label("Città").fill("Fiesole")
    main.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Ente «Comune di Fiesole» creato.")).to_be_visible()
    expect(
        main.get_by_role("link", name="Comune di Fiesole", exact=True)
    ).to_be_visible()  # its card
    assert_accessible(page, "office: enti with a child")

    # A new user: a clearance above the role's is refused, and what was typed stays.
    main.get_by_role("link", name="Utenti", exact=True).click()
    main.get_by_role("link", name="Nuovo utente").click()
    main.get_by_label("Nome utente").fill("anna.verdi")
    main.get_by_role("textbox", name="E-mail").fill("anna.verdi@example.org")
    main.get_by_label("Ruolo").select_option("revisore")
    main.get_by_label("Livello di riservatezza").select_option("riservato")
    main.get_by_role("button", name="Salva").click()
    expect(main.get_by_text("legge al massimo il livello «Interno»")).to_be_visible()
    expect(main.get_by_label("Nome utente")).to_have_value("anna.verdi")
    assert_accessible(page, "office: new user with an error")
    main.get_by_label("Livello di riservatezza").select_option("")
    main.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Utente «anna.verdi» creato")).to_be_visible()
    assert_accessible(page, "office: user page")

    # A role in the child ente.
    main.locator("#id_ente").select_option(label="Comune di Fiesole")
    main.get_by_label("Ruolo").select_option("ufficio")
    main.get_by_role("button", name="Salva il ruolo").click()
    expect(page.get_by_text("Ruolo salvato.")).to_be_visible()
    places = main.locator("#places + .table-responsive table")
    expect(places).to_contain_text("Comune di Fiesole")
    expect(places).to_contain_text("Ufficio relazioni internazionali")

    # Deactivate, then reactivate.
    main.get_by_role("button", name="Disattiva").click()
    expect(page.get_by_text("Utente disattivato")).to_be_visible()
    expect(main.get_by_role("button", name="Riattiva")).to_be_visible()
    assert_accessible(page, "office: deactivated user")


def test_a_user_creates_and_revokes_a_token_and_sees_their_sessions(
    page: Page, login: Any, assert_accessible: Any
) -> None:
    main = page.locator("main")
    login(page, "ufficio")
    page.goto("/accounts/profilo/")
    main.get_by_label("Nome del token").fill("script notturno")
    main.get_by_role("button", name="Crea token").click()
    token = main.get_by_label("Il tuo nuovo token (mostrato una sola volta)")
    expect(token).to_have_value(re.compile(r"^ponti_"))
    expect(main.get_by_text("Sessioni aperte")).to_be_visible()
    assert_accessible(page, "profile with a new token")
    main.get_by_role("button", name="Revoca script notturno").click()
    expect(page.get_by_text("Token «script notturno» revocato.")).to_be_visible()
    expect(main.get_by_text("revocato dal titolare")).to_be_visible()


def test_the_lockout_and_the_forgotten_password(
    page: Page, assert_accessible: Any, personas: dict[str, Any], settings: Any
) -> None:
    settings.PONTI_LOCKOUT_FAILURES = 2
    main = page.locator("main")
    page.goto("/accounts/login/")
    for _ in range(2):
        page.get_by_label("Nome utente").fill("ufficio")
        page.get_by_label("Password").fill("sbagliata")
        main.get_by_role("button", name="Accedi").click()
    expect(main.get_by_role("alert")).to_contain_text("l'accesso è bloccato per altri 15 minuti")
    assert_accessible(page, "login locked")

    main.get_by_role("link", name="Password dimenticata?").click()
    assert_accessible(page, "forgotten password")
    main.get_by_label("Email").fill(personas["ufficio"].email)
    main.get_by_role("button", name="Invia il collegamento").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Controlla la posta")
    link = re.search(r"https://ponti\.example\.org(\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    assert_accessible(page, "choose a password")
    main.locator("#id_new_password1").fill("Una-Nuova-Password-2026")
    main.get_by_label("Conferma nuova password").fill("Una-Nuova-Password-2026")
    main.get_by_role("button", name="Salva la password").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Password salvata")
    # The reset cleared the lock: the new password works at once.
    main.get_by_role("link", name="Accedi").click()
    page.get_by_label("Nome utente").fill("ufficio")
    page.get_by_label("Password").fill("Una-Nuova-Password-2026")
    main.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("button", name="Esci")).to_be_visible()
