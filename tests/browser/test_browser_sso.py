"""Single sign-on in a real browser: the login page with its button passes axe-core, a person
logs in at the real test provider (tests/oidc_idp) and comes back logged in, then logs out of
both."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.oidc_idp.harness import PROVIDER_PASSWORD

LABEL = "Accedi con l'identità dell'ente (SPID, CIE, account dell'ente)"


def test_a_person_logs_in_with_the_entes_identity_and_out_again(
    page: Any, live_server: Any, sso: Any, assert_accessible: Any
) -> None:
    sso.allow_site(live_server.url)
    sso.add_person(
        "mrossi",
        claims={"preferred_username": "mrossi", "given_name": "Maria", "family_name": "Rossi"},
        id_token={"ponti_roles": ["cm-firenze:ufficio"]},
    )
    page.goto("/accounts/login/?next=/partner/")
    assert_accessible(page, "login with single sign-on")
    page.get_by_role("link", name=LABEL).click()

    # At the provider (its own page, not Ponti's).
    page.get_by_label("Utente").fill("mrossi")
    page.get_by_label("Parola chiave").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Entra").click()

    # Back in Ponti, logged in, where the person was going.
    expect(page.get_by_role("button", name="Esci")).to_be_visible()
    expect(page.get_by_role("link", name="Maria Rossi")).to_be_visible()
    assert page.url == f"{live_server.url}/partner/"

    page.get_by_role("button", name="Esci").click()
    expect(page.locator("header").get_by_role("link", name="Accedi")).to_be_visible()
    assert page.url == f"{live_server.url}/"
    # The provider's session ended too: the button leads to its login form again.
    page.goto("/accounts/login/")
    page.get_by_role("link", name=LABEL).click()
    expect(page.get_by_label("Parola chiave")).to_be_visible()
