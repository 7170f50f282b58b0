"""Follow-up actions, "Le mie azioni", reminders, gifts over the threshold."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from ponti.meetings import services
from ponti.meetings.models import FollowUpAction, Gift


def test_an_action_needs_an_owner_of_the_ente(personas, make_meeting, make_user, other_ente):
    m = make_meeting()
    with pytest.raises(ValidationError) as exc:
        services.save_action(
            FollowUpAction(meeting=m, ente=m.ente, description="Inviare il dossier"),
            user=personas["ufficio"],
        )
    assert "responsabile" in " ".join(exc.value.message_dict["owner"])
    stranger = make_user("ufficio", username="prato", enti=[other_ente])
    with pytest.raises(ValidationError) as exc:
        services.save_action(
            FollowUpAction(meeting=m, ente=m.ente, description="x", owner=stranger),
            user=personas["ufficio"],
        )
    assert "non è un utente di questo ente" in " ".join(exc.value.message_dict["owner"])
    assert not FollowUpAction.objects.exists()


def test_the_page_refuses_an_owner_from_another_ente_clearly(
    client, personas, make_meeting, make_user, other_ente
):
    m = make_meeting()
    stranger = make_user("ufficio", username="prato", enti=[other_ente])
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/incontri/{m.pk}/azioni/",
        {"action-description": "x", "action-owner": stranger.pk, "action-status": "aperta"},
        follow=True,
    )
    assert "non è un utente di questo ente" in response.content.decode()
    response = client.post(
        f"/incontri/{m.pk}/azioni/",
        {"action-description": "x", "action-status": "aperta"},
        follow=True,
    )
    assert "Ogni azione ha un responsabile" in response.content.decode()
    assert not FollowUpAction.objects.exists()


def test_my_actions_lists_mine_and_marks_them_done(client, personas, make_meeting):
    m = make_meeting()
    client.force_login(personas["ufficio"])
    client.post(
        f"/incontri/{m.pk}/azioni/",
        {
            "action-description": "Mandare il catalogo",
            "action-owner": personas["consigliere"].pk,
            "action-due_date": "2026-12-10",
            "action-status": "aperta",
        },
    )
    client.post(
        f"/incontri/{m.pk}/azioni/",
        {
            "action-description": "Prenotare la sala",
            "action-owner": personas["ufficio"].pk,
            "action-status": "aperta",
        },
    )
    client.force_login(personas["consigliere"])
    page = client.get("/incontri/azioni/").content.decode()
    assert "Mandare il catalogo" in page and "Prenotare la sala" not in page
    action = FollowUpAction.objects.get(description="Mandare il catalogo")
    client.post(f"/incontri/azioni/{action.pk}/fatta/", {"next": "/incontri/azioni/"})
    action.refresh_from_db()
    assert action.status == "fatta" and action.done_on
    assert "Mandare il catalogo" not in client.get("/incontri/azioni/").content.decode()
    assert "Mandare il catalogo" in client.get("/incontri/azioni/?tutte=1").content.decode()


def test_a_revisore_may_not_mark_someone_elses_action(client, personas, make_meeting):
    m = make_meeting()
    a = services.save_action(
        FollowUpAction(meeting=m, ente=m.ente, description="x", owner=personas["consigliere"]),
        user=personas["ufficio"],
    )
    client.force_login(personas["revisore"])
    assert client.post(f"/incontri/azioni/{a.pk}/fatta/").status_code == 403


def test_reminders_for_due_and_overdue_actions_are_sent_once(personas, make_meeting):
    m = make_meeting(title="Visita di Reims")
    for text, day in [
        ("Inviare il verbale", datetime.date(2026, 11, 20)),
        ("Preparare il dono", datetime.date(2026, 11, 28)),
        ("Tra un mese", datetime.date(2026, 12, 30)),
    ]:
        services.save_action(
            FollowUpAction(
                meeting=m,
                ente=m.ente,
                description=text,
                owner=personas["consigliere"],
                due_date=day,
            ),
            user=personas["ufficio"],
        )
    call_command("scadenze", date="2026-11-25")
    mine = [e for e in mail.outbox if e.to == [personas["consigliere"].email]]
    bodies = "\n".join(e.body for e in mine)
    assert (
        "Inviare il verbale" in bodies
        and "Preparare il dono" in bodies
        and "Tra un mese" not in bodies
    )
    sent = len(mail.outbox)
    call_command("scadenze", date="2026-11-25")
    assert len(mail.outbox) == sent


def test_a_gift_over_the_threshold_is_flagged(client, personas, make_meeting, ente):
    m = make_meeting()
    ente.gift_value_threshold = Decimal("150")
    ente.save()
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/incontri/{m.pk}/doni/",
        {
            "gift-direction": "ricevuto",
            "gift-description": "Vaso di ceramica",
            "gift-estimated_value": "1.234,50",
            "gift-kept_at": "Palazzo Vecchio",
        },
        follow=True,
    )
    page = response.content.decode()
    gift = Gift.objects.get()
    assert gift.estimated_value == Decimal("1234.50") and gift.over_threshold
    assert "supera la soglia" in page and "1.234,50 €" in page and "sopra la soglia" in page
    small = services.save_gift(
        Gift(
            meeting=m,
            ente=m.ente,
            direction="dato",
            description="Libro",
            estimated_value=Decimal("40"),
        ),
        user=personas["ufficio"],
    )
    assert not small.over_threshold
    listing = client.get("/incontri/doni/?segnalati=1").content.decode()
    assert "Vaso di ceramica" in listing and "Libro" not in listing


def test_an_action_about_a_partner_without_a_meeting(client, personas, make_org):
    reims = make_org(name="Reims")
    client.force_login(personas["segreteria"])
    assert client.get(f"/incontri/azioni/nuova/?partner={reims.pk}").status_code == 200
    response = client.post(
        "/incontri/azioni/nuova/",
        {
            "description": "Spedire gli auguri",
            "owner": personas["consigliere"].pk,
            "status": "aperta",
            "organisation": str(reims.pk),
        },
    )
    assert response.status_code == 302
    action = FollowUpAction.objects.get()
    assert action.organisation == reims and action.meeting is None
    page = client.get(f"/partner/{reims.pk}/").content.decode()
    assert "Spedire gli auguri" in page
    client.force_login(personas["revisore"])
    assert client.get("/incontri/azioni/nuova/").status_code == 403


def test_an_owner_with_a_read_only_role_may_close_their_own_action(client, personas, make_meeting):
    m = make_meeting()
    a = services.save_action(
        FollowUpAction(
            meeting=m, ente=m.ente, description="Leggere il verbale", owner=personas["responsabile"]
        ),
        user=personas["ufficio"],
    )
    client.force_login(personas["responsabile"])
    client.post(f"/incontri/azioni/{a.pk}/fatta/")
    a.refresh_from_db()
    assert a.status == "fatta"


def test_riservato_gifts_and_actions_of_a_meeting_stay_hidden_from_a_revisore(
    client, personas, make_meeting
):
    m = make_meeting(title="Visita del Console")
    Gift.objects.create(
        ente=m.ente,
        meeting=m,
        direction="ricevuto",
        description="Dono RISERVATO",
        confidentiality="riservato",
    )
    FollowUpAction.objects.create(
        ente=m.ente,
        meeting=m,
        description="Azione RISERVATA",
        owner=personas["ufficio"],
        confidentiality="riservato",
    )
    client.force_login(personas["revisore"])
    page = client.get(f"/incontri/{m.pk}/").content.decode()
    assert "Visita del Console" in page and "RISERVAT" not in page
    assert "RISERVAT" not in client.get("/incontri/doni/").content.decode()
