"""A delegation's visit in the browser: a twin city's request entered and accepted, the
meeting's participants, the outcome with two follow-ups for the consigliere, who finds them
under «Le mie azioni»; the agenda's week, month and list views. Every page is checked by
axe-core."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import label

pytestmark = pytest.mark.browser


def test_a_twin_city_delegation_from_request_to_follow_ups(
    page: Page, login: Any, assert_accessible: Any, make_org: Any, make_person: Any, personas: Any
) -> None:
    from ponti.partners.models import Position

    day = datetime.date.today() + datetime.timedelta(days=14)
    reims = make_org(name="Reims", kind="city", country="FR", city="Reims")
    former = make_person(first_name="Adeline", last_name="Hazan")
    Position.objects.create(
        person=former,
        organisation=reims,
        role="Sindaca",
        start_date=datetime.date(2008, 3, 1),
        end_date=datetime.date(2014, 4, 1),
    )
    consigliere = personas["consigliere"]
    consigliere.first_name, consigliere.last_name = "Carla", "Bianchi"
    consigliere.save()
    main = page.locator("main")

    login(page, "ufficio")
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Incontri"
    ).click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Incontri, delegazioni e missioni")
    assert_accessible(page, "meeting list")
    main.get_by_role("link", name="Richieste di visita").click()
    assert_accessible(page, "visit request list")
    main.get_by_role("link", name="Nuova richiesta").click()
    assert_accessible(page, "visit request form")
    main.get_by_label(label("Chi chiede (organizzazione)")).fill(f"{reims.pk} Reims")
    main.get_by_label(label("Scopo")).fill("Visita per il 70° anniversario del gemellaggio")
    main.get_by_label(label("Dal")).fill(day.isoformat())
    main.get_by_label(label("Al")).fill((day + datetime.timedelta(days=1)).isoformat())
    main.get_by_label(label("Delegazione")).fill(
        "Arnaud Robinet, Sindaco\nCatherine Vautrin, Presidente"
    )
    main.get_by_label(label("Lingue")).fill("francese")
    main.get_by_role("button", name="Registra la richiesta").click()
    expect(main.locator("#visit-decision")).to_have_text("Da decidere")
    assert_accessible(page, "visit request detail")
    main.get_by_label("Accetta", exact=True).check()
    main.get_by_role("button", name="Registra la decisione").click()
    expect(main.get_by_role("heading", level=1)).to_have_text("Delegazione: Reims")
    expect(main.locator("#meeting-status")).to_have_text("Confermato")
    expect(main).to_contain_text("Arnaud Robinet, Sindaco")
    assert_accessible(page, "meeting detail, from the request")

    # Participants: the consigliere for us; the former mayor (a warning, not a block).
    main.get_by_label(label("Parte")).select_option("nostro")
    main.get_by_label(label("Utente dell'ente")).select_option(str(consigliere.pk))
    main.get_by_label(label("Ruolo quel giorno")).fill("Consigliere diplomatico")
    main.get_by_role("button", name="Aggiungi partecipante").click()
    expect(main).to_contain_text("Carla Bianchi, Consigliere diplomatico")
    main.get_by_label(label("Parte")).select_option("controparte")
    main.get_by_label(label("Persona del registro")).fill(f"{former.pk} Adeline Hazan")
    main.get_by_role("button", name="Aggiungi partecipante").click()
    expect(page.get_by_role("alert")).to_contain_text("Nessun incarico di Adeline Hazan")
    expect(main.get_by_role("link", name="Adeline Hazan")).to_be_visible()
    assert_accessible(page, "meeting detail, participants and warning")

    # The outcome, then the meeting is held.
    main.get_by_role("link", name="Modifica").click()
    assert_accessible(page, "meeting edit form")
    main.get_by_label(label("Esito")).fill(
        "<p>Intesa su <strong>scambi scolastici</strong></p><script>alert(1)</script>"
    )
    main.get_by_role("button", name="Salva").click()
    expect(main.locator("#meeting-outcome strong")).to_have_text("scambi scolastici")
    expect(main.locator("#meeting-outcome script")).to_have_count(0)
    main.get_by_label("Nuovo stato").select_option("svolto")
    main.get_by_role("button", name="Conferma", exact=True).click()
    expect(main.locator("#meeting-status")).to_have_text("Svolto")

    for text, due in [
        ("Inviare il programma degli scambi", 7),
        ("Proporre le date della visita di ritorno", 30),
    ]:
        main.get_by_label(label("Azione")).fill(text)
        main.get_by_label(label("Responsabile")).select_option(str(consigliere.pk))
        main.get_by_label(label("Scadenza")).fill(
            (datetime.date.today() + datetime.timedelta(days=due)).isoformat()
        )
        main.get_by_role("button", name="Aggiungi azione").click()
        expect(main.locator("#actions + div")).to_contain_text(text)
    assert_accessible(page, "meeting detail, held, with follow-ups")

    page.get_by_role("button", name="Esci").click()
    login(page, "consigliere")
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Le mie azioni"
    ).click()
    expect(main.locator("#my-actions tbody tr")).to_have_count(2)
    expect(main).to_contain_text("Inviare il programma degli scambi")
    expect(main).to_contain_text("Proporre le date della visita di ritorno")
    assert_accessible(page, "my actions")


def test_the_agenda_views_are_accessible(
    page: Page, login: Any, assert_accessible: Any, make_org: Any, ente: Any
) -> None:
    from ponti.meetings.models import Meeting

    start = datetime.datetime.combine(datetime.date.today(), datetime.time(10, 0), datetime.UTC)
    Meeting.objects.create(
        ente=ente,
        title="Incontro con il Console del Giappone",
        status="confermato",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    main = page.locator("main")
    login(page, "revisore")
    page.get_by_role("navigation", name="Menu principale").get_by_role(
        "link", name="Agenda"
    ).click()
    expect(main).to_contain_text("Incontro con il Console del Giappone")
    assert_accessible(page, "agenda week")
    main.get_by_role("link", name="Mese", exact=True).click()
    expect(main).to_contain_text("Incontro con il Console del Giappone")
    assert_accessible(page, "agenda month")
    main.get_by_role("link", name="Elenco", exact=True).click()
    expect(main).to_contain_text("Incontro con il Console del Giappone")
    assert_accessible(page, "agenda list")
    main.get_by_role("link", name="Periodo successivo").click()
    expect(main).not_to_contain_text("Incontro con il Console del Giappone")
    main.get_by_role("button", name="Crea l'indirizzo del calendario").click()
    expect(main.locator("#feed-url")).to_have_value(
        __import__("re").compile(r"/incontri/calendario/.+\.ics$")
    )
    assert_accessible(page, "agenda list with calendar feed")
