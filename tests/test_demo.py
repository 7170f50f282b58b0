"""`ponti demo`: real public data and one user per role, idempotent, refused in production."""

from __future__ import annotations

import csv
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import ROLES, USERNAMES

PASSWORD = "demo-Ponti-2025!"


def run_demo(*args: str) -> str:
    out = StringIO()
    # Tests run with DEBUG off, as in production: --force is needed.
    call_command("demo", "--force", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def can_log_in(client: Any, username: str, password: str) -> bool:
    return client.login(username=username, password=password)


def printed_password(output: str) -> str:
    match = re.search(r"^Password: (\S+)$", output, re.M)
    assert match, output
    return match.group(1)


@pytest.fixture
def demo(db: Any) -> str:
    return run_demo("--password", PASSWORD)


def org(name: str) -> Any:
    from ponti.partners.models import Organisation

    return Organisation.objects.get(name=name)


def test_it_loads_florence_partner_cities(demo: str) -> None:
    from ponti.core.models import AuditEvent

    for name, country in [("Reims", "FR"), ("Kyoto", "JP"), ("Philadelphia", "US")]:
        city = org(name)
        assert (city.kind, city.country, city.city) == ("city", country, name)
        assert city.confidentiality == "pubblico"
        assert city.latitude is not None and city.longitude is not None
    philadelphia = org("Philadelphia")
    assert philadelphia.other_names.get(language="it").name == "Filadelfia"
    assert "1964" in philadelphia.description
    assert "cdiphila.org" in philadelphia.source
    assert org("Santa Clara County, California").kind == "metro_region"
    created = AuditEvent.objects.for_object(org("Reims")).get(action="create")
    assert created.actor is None and created.actor_repr == ""  # "sistema", translated when shown


def test_a_twin_city_that_is_a_eurocities_member_is_one_record(demo: str) -> None:
    from ponti.partners.models import Organisation

    kyiv = Organisation.objects.get(wikidata_id="Q1899")
    assert kyiv.name == "Kyiv"
    assert set(kyiv.tags.values_list("name", flat=True)) == {"Eurocities"}
    assert "Gemellaggio" in kyiv.description and "Eurocities" in kyiv.description
    assert Organisation.objects.filter(search_text__contains="kyiv").count() == 1
    florence = Organisation.objects.get(wikidata_id="Q2044")
    assert (florence.name, florence.country) == ("Comune di Firenze", "IT")
    assert florence.tags.filter(name="Eurocities").exists()
    # A metropolitan member does not take its central city's Wikidata id.
    assert Organisation.objects.get(wikidata_id="Q456").name == "Lyon"
    assert org("Lyon Metropole").wikidata_id is None
    assert Organisation.objects.filter(tags__name="Eurocities").count() == 226


def test_low_confidence_rows_are_tagged_da_verificare(demo: str) -> None:
    from ponti.partners.demo import DATA, PARTNER_CITIES

    with (DATA / PARTNER_CITIES).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    low = [r["city"] for r in rows if r["confidence"] == "low"]
    assert len(low) == 11
    for name in low:
        assert org(name).tags.filter(name="da verificare").exists(), name
    assert not org("Reims").tags.filter(name="da verificare").exists()


def test_a_consulate_has_its_head_of_post_as_current_position(demo: str) -> None:
    consulate = org("Consolato generale onorario delle Filippine a Firenze")
    assert (consulate.kind, consulate.country, consulate.city) == (
        "consulate_honorary",
        "IT",
        "Firenze",
    )
    assert (consulate.parent.kind, consulate.parent.country) == ("government", "PH")
    assert consulate.tags.filter(name="corpo consolare").exists()
    [position] = consulate.current_positions()
    assert position.person.full_name == "Fabio Fanfani"
    assert position.role.startswith("Console Generale Onorario")
    assert position.start_date is None and position.end_date is None
    assert position.person.gdpr_basis == "public_role"
    assert position.person.gdpr_source.startswith("https://gazzettadiplomatica.it/")
    # Past holders with no real dates are not current positions: they are in a note.
    us = org("Consolato generale degli Stati Uniti a Firenze")
    assert [p.person.full_name for p in us.current_positions()] == ["Ragini Gupta"]
    assert "Benjamin Wohlauer" in us.notes.get().text


def test_demo_users_of_every_role_can_log_in(demo: str, client: Any) -> None:
    from ponti.accounts.models import User

    for role in ROLES:
        user = User.objects.get(username=USERNAMES[role])
        assert set(user.memberships.values_list("role", flat=True)) == {role}
        assert user.enti.filter(slug="cm-firenze").exists()
        assert user.get_full_name() and user.email.endswith("@example.org")
        assert can_log_in(client, user.username, PASSWORD), role
        client.logout()
    admin = User.objects.get(username="admin")
    # The Django admin is the operators' (superusers'); an ente's administrator runs it from
    # Ponti's own pages.
    assert not admin.is_staff and not admin.is_superuser
    assert printed_password(demo) == PASSWORD
    # --logins loads nothing and shows the password only when it is the users' one.
    listed = StringIO()
    call_command("demo", "--logins", "--password", PASSWORD, stdout=listed)
    assert printed_password(listed.getvalue()) == PASSWORD
    assert "Consigliere diplomatico" in listed.getvalue()
    listed = StringIO()
    call_command("demo", "--logins", "--password", "not-the-password", stdout=listed)
    assert "not-the-password" not in listed.getvalue()


def test_running_twice_changes_nothing(demo: str) -> None:
    from ponti.accounts.models import User
    from ponti.core.models import AuditEvent, Tag
    from ponti.partners.models import (
        Organisation,
        OrganisationName,
        OrganisationNote,
        Person,
        Position,
    )

    models = [Organisation, OrganisationName, OrganisationNote, Person, Position, Tag, User]
    before = {m.__name__: m.objects.count() for m in models}
    events = AuditEvent.objects.count()
    run_demo("--password", PASSWORD)
    assert {m.__name__: m.objects.count() for m in models} == before
    assert AuditEvent.objects.count() == events  # unchanged rows are not saved again


def test_password_comes_from_the_environment_else_is_generated(
    db: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PONTI_DEMO_PASSWORD", "from-the-Env-42")
    assert printed_password(run_demo()) == "from-the-Env-42"
    monkeypatch.delenv("PONTI_DEMO_PASSWORD")
    generated = printed_password(run_demo())
    assert len(generated) >= 12
    # A rerun resets the demo users' password to the new one.
    assert can_log_in(client, "ufficio", generated)
    assert not can_log_in(client, "revisore", "from-the-Env-42")


def test_it_is_refused_without_force_when_debug_is_off(db: Any, settings: Any) -> None:
    from ponti.partners.models import Organisation

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", "--password", PASSWORD, stdout=StringIO())
    assert not Organisation.objects.exists()


def test_the_data_ships_with_the_package() -> None:
    from pathlib import Path

    import ponti
    from ponti.partners import demo

    package = Path(ponti.__file__).resolve().parent
    assert demo.DATA.is_relative_to(package)
    for name in [
        demo.PARTNER_CITIES,
        demo.TWIN_TOWNS,
        demo.EUROCITIES,
        demo.CONSULAR_CORPS,
        demo.NETWORKS,
        "PROVENANCE.md",
    ]:
        assert (demo.DATA / name).is_file(), name
