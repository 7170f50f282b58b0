"""Pages by role, enti separation, and riservato minutes never shown to a revisore."""

from __future__ import annotations

import pytest

EDITORS = {"amministratore", "ufficio", "consigliere", "segreteria"}
READERS = {"responsabile", "revisore"}


@pytest.fixture
def world(make_meeting):
    public = make_meeting(title="Visita del Console", minutes="<p>Verbale interno</p>")
    secret = make_meeting(
        title="Colloquio sul porto",
        confidentiality="riservato",
        minutes="<p>VERBALE SEGRETO</p>",
        outcome="<p>ESITO SEGRETO</p>",
        topics="porto",
    )
    return {"public": public, "secret": secret}


@pytest.mark.parametrize("role", sorted(EDITORS | READERS))
def test_each_role_reads_meetings_and_only_editors_change_them(client, personas, world, role):
    client.force_login(personas[role])
    m = world["public"]
    for url in [
        "/incontri/",
        f"/incontri/{m.pk}/",
        "/incontri/calendario/",
        "/incontri/azioni/",
        "/incontri/richieste/",
        "/incontri/doni/",
        "/incontri/calendario/?vista=mese",
        "/incontri/calendario/?vista=elenco",
    ]:
        assert client.get(url).status_code == 200, url
    expected = 200 if role in EDITORS else 403
    assert client.get("/incontri/nuovo/").status_code == expected
    assert client.get(f"/incontri/{m.pk}/modifica/").status_code == expected
    assert client.get("/incontri/richieste/nuova/").status_code == expected
    page = client.get(f"/incontri/{m.pk}/").content.decode()
    assert ("Aggiungi partecipante" in page) == (role in EDITORS)


def test_screening_criteria_are_for_amministratore_and_ufficio(client, personas):
    for role, code in [
        ("amministratore", 200),
        ("ufficio", 200),
        ("consigliere", 403),
        ("revisore", 403),
    ]:
        client.force_login(personas[role])
        assert client.get("/incontri/criteri/").status_code == code, role


def test_a_revisore_cannot_post_changes(client, personas, world):
    client.force_login(personas["revisore"])
    m = world["public"]
    assert client.post(f"/incontri/{m.pk}/stato/", {"target": "svolto"}).status_code == 403
    m.refresh_from_db()
    assert m.status == "confermato"


def test_navigation_shows_meetings_entries(client, personas):
    client.force_login(personas["revisore"])
    page = client.get("/").content.decode()
    assert "Incontri" in page and "Agenda" in page and "Le mie azioni" in page


def test_another_entes_meetings_are_invisible(client, make_user, other_ente, world):
    stranger = make_user("ufficio", username="prato", enti=[other_ente])
    client.force_login(stranger)
    assert client.get(f"/incontri/{world['public'].pk}/").status_code == 404
    assert "Visita del Console" not in client.get("/incontri/").content.decode()
    assert (
        "Visita del Console"
        not in client.get("/incontri/calendario/?data=2026-12-03").content.decode()
    )


def test_as_revisore_riservato_minutes_never_appear_anywhere(client, personas, world):
    from ponti.meetings import services

    revisore = personas["revisore"]
    client.force_login(revisore)
    secret = world["secret"]
    assert client.get(f"/incontri/{secret.pk}/").status_code == 404
    assert client.get(f"/incontri/{secret.pk}/storia/").status_code == 404
    pages = [
        "/incontri/",
        "/incontri/?q=porto",
        "/incontri/?q=SEGRETO",
        "/incontri/?status=confermato",
        "/incontri/?year=2026",
        "/incontri/calendario/?data=2026-12-03",
        "/incontri/calendario/?vista=mese&data=2026-12-03",
        "/incontri/calendario/?vista=elenco&data=2026-12-01",
        "/incontri/azioni/",
        "/incontri/doni/",
        f"/partner/{secret.counterparts.first().pk}/",
    ]
    for url in pages:
        response = client.get(url)
        body = response.content.decode()
        assert "VERBALE SEGRETO" not in body and "ESITO SEGRETO" not in body, url
        assert "Colloquio sul porto" not in body, url
    token = services.issue_calendar_feed(user=revisore)
    feed = client.get(f"/incontri/calendario/{token}.ics").content.decode()
    assert (
        "VERBALE SEGRETO" not in feed and "Colloquio sul porto" not in feed and "porto" not in feed
    )
    assert "Impegno riservato" in feed
    # The ufficio sees it all.
    client.force_login(personas["ufficio"])
    assert "VERBALE SEGRETO" in client.get(f"/incontri/{secret.pk}/").content.decode()


def test_the_partner_page_shows_the_timeline(client, personas, world):
    client.force_login(personas["ufficio"])
    org = world["public"].counterparts.first()
    page = client.get(f"/partner/{org.pk}/").content.decode()
    assert "Incontri, azioni e doni" in page and "Visita del Console" in page


def test_pages_answer_in_english(client, personas, world):
    from django.conf import settings

    client.force_login(personas["ufficio"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/incontri/")
    assert response.status_code == 200
