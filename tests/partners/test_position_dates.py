"""Positions with dates known in part: «dal 1998», «da marzo 2004»."""

from __future__ import annotations

import datetime

import pytest

from ponti.partners.models import Position
from tests.api.helpers import token_client


@pytest.fixture
def kyoto(make_org):
    return make_org(name="Kyoto", country="JP")


@pytest.fixture
def mayor(make_person):
    return make_person(first_name="Daisaku", last_name="Kadokawa")


def test_an_end_known_by_year_counts_to_its_last_day(kyoto, mayor):
    held = Position.objects.create(
        person=mayor,
        organisation=kyoto,
        role="Sindaco",
        start_date=datetime.date(1998, 1, 1),
        start_precision="year",
        end_date=datetime.date(2004, 1, 1),
        end_precision="year",
    )
    assert list(Position.objects.held_on(datetime.date(2004, 6, 10))) == [held]
    assert list(Position.objects.held_on(datetime.date(2005, 1, 1))) == []
    assert list(Position.objects.past(datetime.date(2004, 12, 31))) == []
    assert list(Position.objects.past(datetime.date(2005, 1, 1))) == [held]


def test_a_start_in_march_and_an_end_in_the_same_year_are_consistent(kyoto, mayor):
    position = Position(
        person=mayor,
        organisation=kyoto,
        role="Console",
        start_date=datetime.date(2004, 3, 1),
        start_precision="month",
        end_date=datetime.date(2004, 1, 1),
        end_precision="year",
    )
    position.full_clean()
    position.save()
    assert position.end.last_day == datetime.date(2004, 12, 31)


def test_the_pages_show_dal_1998_and_da_marzo_2004(client, personas, kyoto, mayor):
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/partner/{kyoto.pk}/incarichi/nuovo/",
        {"person": mayor.pk, "role": "Sindaco", "start_date": "1998", "end_date": "marzo 2004"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    position = Position.objects.get(role="Sindaco")
    assert (position.start_date, position.start_precision) == (datetime.date(1998, 1, 1), "year")
    assert (position.end_date, position.end_precision) == (datetime.date(2004, 3, 1), "month")
    for url in (kyoto.get_absolute_url(), mayor.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<td>1998</td>" in page and "<td>marzo 2004</td>" in page, url
    form = client.get(f"/partner/incarichi/{position.pk}/modifica/").content.decode()
    assert 'value="1998"' in form and 'value="03/2004"' in form
    refused = client.post(
        f"/partner/{kyoto.pk}/incarichi/nuovo/",
        {"person": mayor.pk, "role": "Console", "start_date": "2005", "end_date": "2004"},
    ).content.decode()
    assert "La fine dell&#x27;incarico non può precedere l&#x27;inizio." in refused


def test_the_api_takes_and_gives_the_precision(personas, kyoto, mayor):
    api = token_client(personas["ufficio"])
    response = api.post(
        f"/organisations/{kyoto.pk}/positions",
        {
            "person_id": mayor.pk,
            "role": "Sindaco",
            "start_date": "1998-01-01",
            "start_precision": "year",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["start_precision"] == "year" and body["end_precision"] == "unknown"
    assert body["is_current"]
    response = api.patch(
        f"/positions/{body['id']}",
        {"version": body["version"], "end_date": "2004-03-01", "end_precision": "month"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["end_precision"] == "month" and not response.json()["is_current"]
    response = api.patch(
        f"/positions/{body['id']}",
        {"version": response.json()["version"], "end_date": "1997-01-01", "end_precision": "year"},
    )
    assert response.status_code == 422 and "end_date" in response.json()["errors"]
