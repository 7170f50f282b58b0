"""The audit trail: who, when, which fields from what to what; nobody can edit it."""

from __future__ import annotations

import pytest

from ponti.core.audit import acting_as
from ponti.core.models import AuditEvent


def test_creating_an_organisation_through_the_page_records_who_and_what(client, personas):
    client.force_login(personas["ufficio"])
    response = client.post(
        "/partner/nuovo/",
        {
            "name": "Città di Kassel",
            "kind": "city",
            "country": "DE",
            "city": "Kassel",
            "confidentiality": "pubblico",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="create", object_repr="Città di Kassel")
    assert event.actor == personas["ufficio"]
    assert event.changes["name"] == [None, "Città di Kassel"]
    assert event.changes["country"] == [None, "DE"]


def test_an_update_records_old_and_new_values_of_changed_fields_only(personas, make_org):
    org = make_org(name="Reims", city="Reims")
    with acting_as(personas["consigliere"]):
        org.city = "Reims (Marne)"
        org.save()
    event = AuditEvent.objects.for_object(org).filter(action="update").get()
    assert event.changes == {"city": ["Reims", "Reims (Marne)"]}
    assert event.actor_repr == "consigliere"


def test_a_delete_is_recorded_with_the_last_values(personas, make_org):
    org = make_org(name="Effimera")
    pk = org.pk
    with acting_as(personas["ufficio"]):
        org.delete()
    event = AuditEvent.objects.get(action="delete", object_id=str(pk))
    assert event.changes["name"] == ["Effimera", None]


def test_sector_changes_are_recorded(personas, make_org):
    from ponti.core.models import Sector

    org = make_org()
    with acting_as(personas["ufficio"]):
        org.sectors.add(Sector.objects.get(code="cultura"))
    event = AuditEvent.objects.for_object(org).filter(action="update").first()
    cultura = Sector.objects.get(code="cultura")
    assert event.changes == {"sectors": {"added": ["Cultura"], "added_ids": [cultura.pk]}}


def test_a_position_change_appears_in_the_history_of_its_person_and_organisation(
    personas, make_org, make_person
):
    from ponti.partners.models import Position

    org, person = make_org(), make_person()
    with acting_as(personas["ufficio"]):
        Position.objects.create(person=person, organisation=org, role="Console")
    assert AuditEvent.objects.for_object(org).filter(content_type__model="position").exists()
    assert AuditEvent.objects.for_object(person).filter(content_type__model="position").exists()


def test_the_history_page_shows_field_changes(client, personas, make_org):
    org = make_org(name="Kassel", city="Kassel")
    with acting_as(personas["ufficio"]):
        org.city = "Kassel (Hessen)"
        org.save()
    client.force_login(personas["revisore"])
    page = client.get(f"/partner/{org.pk}/storia/").content.decode()
    assert "Kassel (Hessen)" in page and "ufficio" in page


def test_audit_events_cannot_be_edited_or_deleted(personas, make_org):
    make_org()
    event = AuditEvent.objects.first()
    event.note = "riscritto"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(note="x")


def test_the_admin_cannot_change_audit_events(client, personas, make_org):
    make_org()
    admin = personas["amministratore"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    event = AuditEvent.objects.first()
    assert client.get("/admin/core/auditevent/").status_code == 200
    response = client.post(f"/admin/core/auditevent/{event.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_password_hashes_never_reach_the_trail(make_user):
    user = make_user("ufficio")
    user.set_password("another-password-123")
    user.save()
    for event in AuditEvent.objects.filter(content_type__model="user"):
        assert "password" not in event.changes or event.changes["password"] == ["***", "***"]


def test_a_history_never_names_a_linked_record_the_reader_may_not_see(db, ente, personas, make_org):
    from ponti.agreements.models import Agreement
    from ponti.core.audit import acting_as, describe, event_out
    from ponti.core.models import AuditEvent

    public = make_org(name="Città di Reims", confidentiality="pubblico")
    secret = make_org(name="Fondazione Riservatissima", confidentiality="riservato")
    with acting_as(personas["ufficio"]):
        agreement = Agreement.objects.create(
            ente=ente, kind="mou", title="Intesa", confidentiality="interno"
        )
        agreement.partners.add(public, secret)
    event = AuditEvent.objects.for_object(agreement).filter(changes__has_key="partners").get()
    # The ids in the order of the names.
    assert event.changes["partners"]["added_ids"] == [public.pk, secret.pk]
    reader = personas["revisore"]  # clearance: interno
    shown = event_out(event, reader)["changes"]["partners"]["added"]
    assert shown == ["Città di Reims", "un record riservato"]
    with acting_as(reader):
        assert "Fondazione Riservatissima" not in str(describe(event))
    with acting_as(personas["ufficio"]):
        assert "Fondazione Riservatissima" in str(describe(event))
