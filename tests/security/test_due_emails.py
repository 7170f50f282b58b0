"""`ponti scadenze`: each recipient gets only what they may see; an alert is marked sent only
after its e-mail has left; links are absolute, on PONTI_BASE_URL."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from ponti.agreements.models import Agreement
from ponti.core.models import AlertDelivery

pytestmark = pytest.mark.django_db

TODAY = "2026-11-25"


def _ending(ente: Any, make_org: Any, title: str, level: str) -> Agreement:
    agreement = Agreement.objects.create(
        ente=ente,
        kind="amicizia",
        title=title,
        status="attivo",
        confidentiality=level,
        end_date=datetime.date(2027, 1, 15),
        last_activity_on=datetime.date(2026, 10, 1),
    )
    agreement.partners.add(make_org(name=f"Partner {title}"))
    return agreement


def _bodies_for(username: str) -> str:
    return "\n".join(m.body for m in mail.outbox if any(username in r for r in m.to))


def test_a_riservato_item_reaches_only_those_cleared_for_it_in_that_ente(
    make_user, ente, other_ente, make_org
):
    from ponti.accounts.services import place_in_ente

    _ending(ente, make_org, "Trattativa riservata", "riservato")
    _ending(ente, make_org, "Patto interno", "interno")
    cleared = make_user("ufficio", username="ufficio")
    limited = make_user("ufficio", username="ufficio-interno", clearance="interno")
    # Riservato in Prato does not clear them for Florence's riservato records.
    mixed = make_user("amministratore", username="misto", enti=[other_ente])
    place_in_ente(mixed, ente, "ufficio", "interno")
    outsider = make_user("ufficio", username="prato", enti=[other_ente])
    call_command("scadenze", date=TODAY)
    assert "Trattativa riservata" in _bodies_for("ufficio@")
    assert "Patto interno" in _bodies_for("ufficio@")
    assert "Trattativa riservata" not in _bodies_for("ufficio-interno@")
    assert "Patto interno" in _bodies_for("ufficio-interno@")
    assert "Trattativa riservata" not in _bodies_for("misto@")
    assert _bodies_for("prato@") == ""
    assert {cleared.pk, limited.pk} <= set(
        AlertDelivery.objects.values_list("recipient", flat=True)
    )
    assert not AlertDelivery.objects.filter(recipient=outsider).exists()


def test_links_are_absolute_on_the_site_address(personas, ente, make_org):
    agreement = _ending(ente, make_org, "Patto con Reims", "interno")
    call_command("scadenze", date=TODAY)
    assert f"https://ponti.example.org/accordi/{agreement.pk}/" in _bodies_for("ufficio@")


@override_settings(EMAIL_BACKEND="tests.security.failing_mail.FailingBackend")
def test_a_failed_send_is_reported_and_retried_on_the_next_run(personas, ente, make_org):
    _ending(ente, make_org, "Patto con Reims", "interno")
    with pytest.raises(CommandError, match="non partite"):
        call_command("scadenze", date=TODAY)
    assert not AlertDelivery.objects.exists()
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("scadenze", date=TODAY)
        assert "Patto con Reims" in _bodies_for("ufficio@")
        assert AlertDelivery.objects.filter(sent_at__isnull=False).exists()
        count = len(mail.outbox)
        call_command("scadenze", date=TODAY)
        assert len(mail.outbox) == count  # sent once


def test_a_claim_left_by_a_dead_run_is_taken_over(personas, ente, make_org):
    agreement = _ending(ente, make_org, "Patto con Reims", "interno")
    call_command("scadenze", date=TODAY, dry_run=True)
    key = f"agreement:{agreement.pk}:end:2027-01-15"
    from django.utils import timezone

    AlertDelivery.objects.create(
        key=key,
        recipient=personas["ufficio"],
        claimed_at=timezone.now() - datetime.timedelta(hours=2),
    )
    call_command("scadenze", date=TODAY)
    assert "Patto con Reims" in _bodies_for("ufficio@")
