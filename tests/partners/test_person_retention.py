"""Retention per kind of person: people with no bond for too long are listed for review."""

from __future__ import annotations

import datetime

import pytest

from ponti.core.models import AuditEvent
from ponti.partners.gdpr import retention
from ponti.partners.models import Person, Position, RetentionRule
from tests.api.helpers import token_client

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2015, 1, 1)


def _old(person: Person) -> Person:
    Person.objects.filter(pk=person.pk).update(
        gdpr_date=LONG_AGO,
        updated_at=datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC),
    )
    return Person.objects.get(pk=person.pk)


def _due(**kwargs):
    return set(retention.due_for_review(Person.objects.all(), **kwargs))


def test_the_rules_are_seeded_with_public_task_defaults():
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    assert rules["institutional"].retention_months == 60
    assert rules["citizen"].retention_months == 24
    assert {r.legal_basis for r in rules.values()} == {"public_task"}


def test_a_person_without_bonds_for_longer_than_the_period_is_listed(make_person, make_org):
    quiet = _old(make_person(first_name="Quieta", kind="citizen"))
    recent = make_person(first_name="Recente", kind="citizen")  # collected today
    holder = _old(make_person(first_name="Incaricata"))
    Position.objects.create(person=holder, organisation=make_org(), role="Console")
    Person.objects.filter(pk=holder.pk).update(updated_at=quiet.updated_at)
    ended = _old(make_person(first_name="Uscita"))
    Position.objects.create(
        person=ended, organisation=make_org(), role="Console", end_date=datetime.date(2016, 6, 30)
    )
    Person.objects.filter(pk=ended.pk).update(updated_at=quiet.updated_at)
    due = _due()
    assert quiet in due and ended in due
    assert recent not in due and holder not in due
    assert _due(kind="citizen") == {quiet}


def test_a_recent_held_meeting_is_a_bond(make_person, ente):
    from ponti.meetings.models import Meeting, Participant

    person = _old(make_person(kind="citizen"))
    meeting = Meeting.objects.create(
        ente=ente,
        title="Evento",
        status="svolto",
        starts_at=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=30),
    )
    Participant.objects.create(meeting=meeting, side="controparte", person=person)
    assert person not in _due()


def test_keeping_records_a_justification_and_leaves_the_list(client, personas, make_person):
    person = _old(make_person(kind="citizen"))
    client.force_login(personas["ufficio"])
    page = client.get("/partner/persone/conservazione/")
    assert page.status_code == 200
    assert person.full_name in page.content.decode()
    empty = client.post(f"/partner/persone/{person.pk}/conserva/", {"justification": ""})
    assert empty.status_code == 200 and empty.context["form"].errors
    done = client.post(
        f"/partner/persone/{person.pk}/conserva/", {"justification": "Nuovo progetto nel 2027"}
    )
    assert done.status_code == 302
    assert person not in _due()
    decision = person.retention_decisions.get()
    assert decision.decided_by == personas["ufficio"]
    assert (
        AuditEvent.objects.for_object(person)
        .filter(content_type__model="retentiondecision")
        .exists()
    )


def test_the_review_list_is_paginated_and_filtered_by_kind(client, personas, make_person):
    for n in range(30):
        _old(make_person(first_name=f"Persona{n:02d}", kind="press"))
    _old(make_person(first_name="Cittadina", kind="citizen"))
    client.force_login(personas["amministratore"])
    first = client.get("/partner/persone/conservazione/?kind=press")
    assert first.context["page"].paginator.count == 30
    assert len(first.context["rows"]) == 25
    assert "Cittadina" not in first.content.decode()
    assert "Cancella" in first.content.decode()  # the Amministratore may erase from here
    second = client.get("/partner/persone/conservazione/?kind=press&page=2")
    assert len(second.context["rows"]) == 5


def test_the_review_is_in_the_api(personas, make_person):
    person = _old(make_person(kind="citizen"))
    api = token_client(personas["ufficio"])
    body = api.get("/people-retention-review", {"kind": "citizen"}).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == person.pk
    assert body["items"][0]["retention_months"] == 24
    kept = api.post(f"/people/{person.pk}/retention-keep", {"justification": "Rapporto attivo"})
    assert kept.status_code == 201
    assert api.get("/people-retention-review").json()["count"] == 0


@pytest.mark.parametrize("role", ["revisore", "consigliere", "responsabile"])
def test_other_roles_cannot_review(client, personas, role):
    client.force_login(personas[role])
    assert client.get("/partner/persone/conservazione/").status_code == 403
    assert token_client(personas[role]).get("/people-retention-review").status_code == 403


def test_a_riservato_person_is_not_listed_for_those_not_cleared(make_person, personas):
    person = _old(make_person(kind="citizen", confidentiality="riservato"))
    from ponti.core.permissions import visible_queryset

    seen = retention.due_for_review(visible_queryset(personas["responsabile"], Person))
    assert person not in set(seen)
