"""Every change to a membership and its parts is in the audit trail: who, when, what, which ente."""

from __future__ import annotations

from decimal import Decimal

from ponti.core.models import AuditEvent
from ponti.networks import services
from ponti.networks.models import Fee, NetworkMember


def test_pages_and_api_changes_are_recorded_with_the_actor(client, api, personas, membership, ente):
    client.force_login(personas["consigliere"])
    client.post(f"/reti/{membership.pk}/quote/nuova/", {"year": "2025", "amount": "1500"})
    fee = Fee.objects.get()
    api.patch(f"/fees/{fee.pk}", {"version": 1, "paid": True})
    events = list(AuditEvent.objects.for_object(fee).order_by("at", "id"))
    assert [(e.action, e.actor_repr) for e in events] == [
        ("create", "consigliere"),
        ("update", "ufficio"),
    ]
    assert events[1].changes["paid"] == [False, True]
    assert all(e.ente_id == ente.pk for e in events)
    # The fee's events are also in its membership's history.
    assert (
        AuditEvent.objects.for_object(membership).filter(pk__in=[e.pk for e in events]).count() == 2
    )


def test_the_membership_history_page_lists_its_parts(client, personas, membership):
    services.save_fee(
        Fee(membership=membership, year=2024, amount=Decimal("10")), user=personas["ufficio"]
    )
    client.force_login(personas["revisore"])
    html = client.get(f"/reti/{membership.pk}/storia/").content.decode()
    assert "quota annuale" in html and "ufficio" in html


def test_a_versioned_update_records_the_version(api, membership):
    api.patch(
        f"/memberships/{membership.pk}", {"version": 1, "status": "cessata", "until": "2024-12-31"}
    )
    event = AuditEvent.objects.for_object(membership).filter(action="update").get()
    assert event.object_version == 2 and event.changes["status"] == ["attiva", "cessata"]


def test_a_network_member_change_is_in_both_organisations_histories(api, make_network, make_org):
    network, leipzig = make_network(), make_org(name="Leipzig")
    api.post("/network-members", {"network_id": network.pk, "member_id": leipzig.pk})
    nm = NetworkMember.objects.get()
    event = AuditEvent.objects.for_object(nm).get()
    assert event.actor_repr == "ufficio" and event.ente_id is None
    assert AuditEvent.objects.for_object(network).filter(pk=event.pk).exists()
    assert AuditEvent.objects.for_object(leipzig).filter(pk=event.pk).exists()
