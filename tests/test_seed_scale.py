"""`ponti seed-scale`: synthetic rows in bulk, marked, searchable, audited."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ponti.core.models import AuditAction, AuditEvent
from ponti.core.text import fold
from ponti.partners.models import Organisation, OrganisationName, Person, Position

pytestmark = pytest.mark.django_db


def seed(**options: Any) -> str:
    out = StringIO()
    call_command(
        "seed-scale", organisations=200, people=300, seed=7, force=True, stdout=out, **options
    )
    return out.getvalue()


def test_it_refuses_without_debug_or_force() -> None:
    with pytest.raises(CommandError, match="PONTI_DEBUG"):
        call_command("seed-scale", organisations=5, people=5)
    assert not Organisation.objects.exists()


def test_it_creates_the_requested_rows_marked_as_synthetic() -> None:
    seed()
    assert Organisation.objects.count() == 200
    assert Person.objects.count() == 300
    positions = Position.objects.count()
    assert 300 <= positions <= 900
    assert Organisation.objects.exclude(source="ponti seed-scale").count() == 0
    assert Organisation.objects.exclude(tags__name="sintetico").count() == 0
    assert Person.objects.exclude(gdpr_source="ponti seed-scale").count() == 0
    assert Organisation.objects.values("kind").distinct().count() >= 10
    assert Organisation.objects.values("country").distinct().count() >= 30


def test_it_is_reproducible_with_a_seed() -> None:
    seed()
    first = list(Organisation.objects.order_by("pk").values_list("name", "kind", "country"))
    Organisation.objects.all().delete()
    Person.objects.all().delete()
    seed()
    assert list(Organisation.objects.order_by("pk").values_list("name", "kind", "country")) == first


def test_search_text_is_folded_as_save_would_fold_it() -> None:
    seed()
    for org in Organisation.objects.all():
        assert org.search_text == org.build_search_text()
    for person in Person.objects.all():
        assert person.search_text == fold(f"{person.first_name} {person.last_name} {person.email}")


def test_accent_insensitive_search_finds_generated_accented_names(make_user: Any) -> None:
    seed()
    reader = make_user("ufficio")  # cleared for riservato: every person's name counts
    accented = next(o for o in Organisation.objects.all() if fold(o.name) != o.name.lower())
    found = Organisation.objects.named(fold(accented.name).upper())
    assert accented in found
    person = next(p for p in Person.objects.all() if fold(p.last_name) != p.last_name.lower())
    assert person in Person.objects.search(fold(person.last_name))
    # And by a person's name, the organisations where they hold or held a position.
    org_ids = set(person.positions.values_list("organisation_id", flat=True))
    assert org_ids <= set(
        Organisation.objects.search(fold(person.full_name), reader=reader).values_list(
            "pk", flat=True
        )
    )


def test_other_language_names_are_searchable() -> None:
    seed()
    other = OrganisationName.objects.select_related("organisation").first()
    assert other is not None
    assert other.organisation in Organisation.objects.named(other.name)


def test_positions_never_end_before_they_start_and_some_are_current() -> None:
    seed()
    dated = Position.objects.filter(start_date__isnull=False, end_date__isnull=False)
    assert dated.exists()
    assert all(p.end_date >= p.start_date for p in dated)
    assert Position.objects.current().exists()
    assert Position.objects.past().exists()


def test_it_records_one_bulk_audit_event_per_model_and_confidentiality() -> None:
    seed()
    events = AuditEvent.objects.filter(action=AuditAction.BULK)
    counts: dict[str, int] = {}
    scopes = set()
    for e in events:
        counts[e.content_type.model] = counts.get(e.content_type.model, 0) + e.changes["count"]
        assert len(e.changes["ids"]) == e.changes["count"]
        assert e.channel == "command"
        scopes.add((e.content_type.model, e.confidentiality))
    assert len(scopes) == events.count()  # not one per chunk
    assert counts == {
        "organisation": 200,
        "organisationname": OrganisationName.objects.count(),
        "person": 300,
        "position": Position.objects.count(),
    }
    assert all("seed-scale" in e.note for e in events)
