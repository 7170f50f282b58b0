"""On a fresh install with the demo, `ufficio-prato` reaches nothing of Florence's: not a
page, an export, an API answer, a search, a suggestion, an e-mail, nor the Django admin."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

PASSWORD = "demo-Ponti-2025!"


@pytest.fixture
def demo(db: Any) -> None:
    call_command(
        "demo", "--force", "--password", PASSWORD, stdout=io.StringIO(), stderr=io.StringIO()
    )


def test_ufficio_prato_reaches_nothing_of_florence(demo: None) -> None:
    from ponti.accounts.models import User
    from ponti.agreements.models import Agreement
    from ponti.meetings.models import Meeting
    from ponti.networks.models import Membership
    from ponti.planning.models import BudgetLine, Objective

    prato = User.objects.get(username="ufficio-prato")
    client = Client()
    assert client.login(username="ufficio-prato", password=PASSWORD)
    api = token_client(prato)
    florence = {
        "agreements": list(Agreement.objects.exclude(ente__slug="prato")),
        "meetings": list(Meeting.objects.exclude(ente__slug="prato")),
        "memberships": list(Membership.objects.exclude(ente__slug="prato")),
        "objectives": list(Objective.objects.exclude(ente__slug="prato")),
        "budget-lines": list(BudgetLine.objects.exclude(ente__slug="prato")),
    }
    assert all(florence.values()), "the demo has Florence's records of every kind"
    pages = {
        "agreements": "/accordi/{}/",
        "meetings": "/incontri/{}/",
        "memberships": "/reti/{}/",
        "objectives": "/programmazione/obiettivi/{}/",
        "budget-lines": "/programmazione/capitoli/{}/",
    }
    checked = 0
    for kind, records in florence.items():
        for record in records:
            assert client.get(pages[kind].format(record.pk)).status_code == 404
            assert api.get(f"/{kind}/{record.pk}").status_code == 404
            checked += 2
        listed = api.get(f"/{kind}?limit=100").json()
        assert listed["count"] == 0, (kind, listed["count"])
    titles = [a.title for a in florence["agreements"]] + [m.title for m in florence["meetings"]]
    for url in [
        "/",
        "/accordi/",
        "/accordi/scadenze/",
        "/accordi/?format=csv",
        "/incontri/",
        "/incontri/calendario/?vista=elenco&data=2013-01-01",
        "/reti/",
        "/programmazione/",
        "/programmazione/capitoli/",
        "/accordi/?q=Kyoto",
        "/partner/suggerimenti/organisations/?q=Kyoto",
    ]:
        body = client.get(url).content.decode()
        assert not [t for t in titles if t in body], url
        checked += 1
    # The Django admin, and the office of Florence.
    assert client.get("/admin/").status_code == 302
    florence_admin = User.objects.get(username="admin")
    assert client.get(f"/gestione/utenti/{florence_admin.pk}/").status_code == 403
    # E-mails of the due-items job: none about Florence's records.
    mail.outbox.clear()
    call_command("scadenze", stdout=io.StringIO())
    bodies = "\n".join(m.body for m in mail.outbox if prato.email in m.to)
    assert not [t for t in titles if t in bodies]
    assert checked > 190
