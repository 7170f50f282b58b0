"""Registry search through the substring indexes (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)
stays exact whatever path writes the rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from ponti.partners import search_index
from ponti.partners.models import Organisation, Person, Position

pytestmark = pytest.mark.django_db


def names(qs: Any) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_it_finds_what_save_update_and_delete_leave(make_org: Callable[..., Any]) -> None:
    org = make_org(name="Université de Besançon", city="Besançon")
    assert names(Organisation.objects.named("besancon")) == {"Université de Besançon"}
    org.name = "Université de Franche-Comté"
    org.save()
    assert names(Organisation.objects.named("franche")) == {"Université de Franche-Comté"}
    assert not Organisation.objects.named("universite de besancon").exists()
    Organisation.objects.filter(pk=org.pk).update(search_text="altro testo")
    assert Organisation.objects.named("altro testo").get() == org
    org.delete()
    assert not Organisation.objects.named("altro").exists()


def test_it_finds_organisations_through_the_people_who_worked_there(
    make_org: Callable[..., Any], make_person: Callable[..., Any], personas: dict[str, Any]
) -> None:
    reader = personas["revisore"]
    consulate = make_org(
        name="Consolato di Polonia a Firenze", kind="consulate_honorary", country="PL"
    )
    make_org(name="Comune di Kraków", country="PL", city="Kraków")
    person = make_person(first_name="Łukasz", last_name="Wiśniewski")
    Position.objects.create(person=person, organisation=consulate, role="Console onorario")
    assert names(Organisation.objects.search("lukasz wisniewski", reader=reader)) == {
        consulate.name
    }
    assert names(Organisation.objects.search("KRAKOW", reader=reader)) == {"Comune di Kraków"}
    assert Person.objects.search("wiśniewski").get() == person


def test_like_wildcards_in_the_text_are_matched_literally(make_org: Callable[..., Any]) -> None:
    make_org(name="Rete 100% rinnovabili")
    make_org(name="Rete 1000 comuni")
    make_org(name="snake_case srl")
    make_org(name="snakeXcase srl")
    assert names(Organisation.objects.named("100%")) == {"Rete 100% rinnovabili"}
    assert names(Organisation.objects.named("snake_case")) == {"snake_case srl"}


def test_short_text_is_searched_too(make_org: Callable[..., Any]) -> None:
    make_org(name="Comune di Ōsaka", city="Ōsaka", country="JP")
    assert names(Organisation.objects.named("os")) >= {"Comune di Ōsaka"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 triggers")
def test_ensure_repairs_the_index_when_a_table_rebuild_dropped_its_triggers(
    make_org: Callable[..., Any],
) -> None:
    # Django rebuilds a SQLite table for many ALTERs, and SQLite drops the table's triggers.
    with connection.cursor() as cursor:
        for name in ("partners_organisation_search_ai", "partners_organisation_search_au"):
            cursor.execute(f'DROP TRIGGER "{name}"')
    make_org(name="Comune di Malmö", city="Malmö", country="SE")
    assert search_index.ensure(connection) == ["partners_organisation_search"]
    assert names(Organisation.objects.named("malmo")) == {"Comune di Malmö"}
    assert search_index.ensure(connection) == []


@pytest.mark.parametrize("index", ["with the index", "without it"])
def test_a_hidden_person_never_finds_the_organisation_where_they_work(
    index: str,
    make_org: Callable[..., Any],
    make_person: Callable[..., Any],
    personas: dict[str, Any],
) -> None:
    """The organisation is visible to both readers; the riservato consul is not. Searching the
    consul's name finds the consulate only for the reader who may see the consul."""
    # Without the FTS5 tables SQLite answers through plain filters, as PostgreSQL always does.
    plain = index == "without it" and connection.vendor == "sqlite"
    if plain:
        search_index.drop(connections[DEFAULT_DB_ALIAS])
    consulate = make_org(name="Consolato di Malta", kind="consulate_honorary", country="MT")
    consul = make_person(first_name="Carmelo", last_name="Zammit", confidentiality="riservato")
    Position.objects.create(person=consul, organisation=consulate, role="Console onorario")
    for short in ("zam", "zammit", "carmelo zammit"):
        assert names(Organisation.objects.search(short, reader=personas["ufficio"])) == {
            consulate.name
        }, short
        assert not Organisation.objects.search(short, reader=personas["revisore"]).exists()
        assert not Organisation.objects.search(short, reader=None).exists()
    # The consulate's own words still find it for everyone.
    assert names(Organisation.objects.search("malta", reader=personas["revisore"])) == {
        consulate.name
    }
    if plain:
        search_index.ensure(connections[DEFAULT_DB_ALIAS])


def test_a_nul_in_the_text_matches_nothing_instead_of_failing(
    make_org: Callable[..., Any], make_person: Callable[..., Any], personas: dict[str, Any]
) -> None:
    # PostgreSQL's driver refuses a NUL in a parameter; no stored text can contain one.
    make_org(name="Comune di Nîmes")
    make_person(first_name="Nina", last_name="Nîmes")
    assert not Organisation.objects.search("nimes\x00", reader=personas["ufficio"]).exists()
    assert not Organisation.objects.search("\x00", reader=personas["ufficio"]).exists()
    assert not Person.objects.search("nimes\x00").exists()
    assert Organisation.objects.search("nimes", reader=personas["ufficio"]).exists()
