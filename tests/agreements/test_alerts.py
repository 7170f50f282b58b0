"""ponti scadenze: collects what is due and sends each alert once."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.management import call_command

from ponti.agreements.models import Commitment

TODAY = "2026-11-25"


def test_the_job_sends_each_alert_once(personas, make_agreement):
    make_agreement(
        title="Patto con Reims",
        status="attivo",
        end_date=datetime.date(2027, 1, 15),
        last_activity_on=datetime.date(2026, 10, 1),
    )
    make_agreement(
        title="Gemellaggio con Kyoto",
        kind="gemellaggio",
        status="attivo",
        signed_on=datetime.date(1967, 3, 1),
        last_activity_on=datetime.date(2026, 10, 1),
    )
    dormant = make_agreement(
        title="Patto dormiente", status="attivo", last_activity_on=datetime.date(2022, 1, 1)
    )
    Commitment.objects.create(
        agreement=dormant,
        description="Mostra a Firenze",
        owner=personas["consigliere"],
        due_date=datetime.date(2026, 11, 1),
    )
    call_command("scadenze", date=TODAY)
    first = len(mail.outbox)
    bodies = "\n".join(m.body for m in mail.outbox)
    assert "Patto con Reims" in bodies and "60 anni" in bodies and "Patto dormiente" in bodies
    assert any(
        "Mostra a Firenze" in m.body and m.to == [personas["consigliere"].email]
        for m in mail.outbox
    )
    call_command("scadenze", date=TODAY)
    assert len(mail.outbox) == first
    assert first >= 2


def test_the_due_page_lists_and_filters(client, personas, make_agreement):
    make_agreement(
        title="Patto con Reims",
        status="attivo",
        end_date=datetime.date.today() + datetime.timedelta(days=30),
    )
    client.force_login(personas["revisore"])
    page = client.get("/accordi/scadenze/").content.decode()
    assert "Patto con Reims" in page
    assert (
        "Patto con Reims" not in client.get("/accordi/scadenze/?kind=anniversario").content.decode()
    )


def test_someone_working_for_an_ente_and_its_comune_sees_and_filters_by_ente(
    client, make_user, make_agreement, ente
):
    from ponti.core.models import Ente

    comune = Ente.objects.create(name="Comune di Sesto Fiorentino", slug="sesto", parent=ente)
    soon = datetime.date.today() + datetime.timedelta(days=30)
    make_agreement(title="Patto della Città metropolitana", status="attivo", end_date=soon)
    make_agreement(title="Patto del Comune", status="attivo", end_date=soon, ente=comune)
    both = make_user("revisore", username="entrambi", enti=[ente, comune])
    client.force_login(both)
    page = client.get("/accordi/scadenze/").content.decode()
    assert 'id="due-ente"' in page and "Comune di Sesto Fiorentino</td>" in page
    only = client.get(f"/accordi/scadenze/?ente={comune.pk}").content.decode()
    assert "Patto del Comune" in only and "Patto della Città metropolitana" not in only
    assert "None" not in page
    one = make_user("revisore", username="uno", enti=[ente])
    client.force_login(one)
    assert 'id="due-ente"' not in client.get("/accordi/scadenze/").content.decode()
