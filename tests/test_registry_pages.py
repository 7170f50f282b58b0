"""The registry pages: search, filters, creation with validation, duplicates, positions."""

from __future__ import annotations

import datetime

import pytest

from ponti.partners.models import Organisation, Person, Position


@pytest.fixture
def ufficio_client(client, personas):
    client.force_login(personas["ufficio"])
    return client


def test_search_is_accent_insensitive(ufficio_client, make_org):
    make_org(name="Fès", country="MA", city="Fès")
    page = ufficio_client.get("/partner/?q=Fes").content.decode()
    assert "Fès" in page
    assert "Fès" in ufficio_client.get("/partner/?q=FÈS").content.decode()


def test_search_finds_an_organisation_by_the_name_of_a_person(
    ufficio_client, make_org, make_person
):
    org = make_org(
        name="Consolato generale delle Filippine",
        kind="consulate_honorary",
        country="IT",
        city="Firenze",
    )
    Position.objects.create(
        person=make_person(first_name="Fabio", last_name="Fanfani"),
        organisation=org,
        role="Console",
    )
    assert (
        "Consolato generale delle Filippine"
        in ufficio_client.get("/partner/?q=fanfani").content.decode()
    )


def test_search_by_country_name_in_italian(ufficio_client, make_org):
    make_org(name="Kyoto", country="JP", city="Kyoto")
    assert "Kyoto" in ufficio_client.get("/partner/?q=giappone").content.decode()


def test_filters_and_sorting(ufficio_client, make_org):
    from ponti.core.models import Sector, Tag

    a = make_org(
        name="Università di Heidelberg", kind="university", country="DE", city="Heidelberg"
    )
    a.sectors.add(Sector.objects.get(code="universita"))
    a.tags.add(Tag.objects.create(name="Eurocities"))
    make_org(name="Comune di Lione", kind="city", country="FR", city="Lione")
    page = ufficio_client.get(
        "/partner/?kind=university&country=DE&sector=universita&tag=eurocities&sort=-name"
    ).content.decode()
    assert "Heidelberg" in page and "Lione" not in page


def test_invalid_filters_are_ignored_not_errors(ufficio_client):
    assert (
        ufficio_client.get(
            "/partner/?kind=nonsense&country=ZZ&sector=x&page=abc&sort=evil"
        ).status_code
        == 200
    )


def test_pagination(ufficio_client, make_org):
    for i in range(30):
        make_org(name=f"Città {i:02d}")
    page = ufficio_client.get("/partner/?page=2").content.decode()
    assert "Pagina 2 di 2" in page


def _valid(**overrides):
    data = {
        "name": "Comune di Kassel",
        "kind": "city",
        "country": "DE",
        "city": "Kassel",
        "confidentiality": "pubblico",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "ZZ", "ZZ"),
        ("latitude", "95", "90"),
        ("website", "not a url", "URL"),
        ("wikidata_id", "X12", "Wikidata"),
        ("other_names_text", "Florenz", "Riga 1"),
    ],
)
def test_invalid_fields_get_a_clear_error_and_keep_what_was_typed(
    ufficio_client, field, value, message
):
    response = ufficio_client.post(
        "/partner/nuovo/", _valid(**{field: value}, description="Testo scritto a mano")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Testo scritto a mano" in page and 'value="Kassel"' in page
    assert not Organisation.objects.exists()


def test_a_wikidata_id_already_used_is_refused_on_its_field(ufficio_client, make_org):
    make_org(name="Kassel", wikidata_id="Q2865")
    response = ufficio_client.post(
        "/partner/nuovo/", _valid(name="Stadt Kassel", city="Cassel", wikidata_id="Q2865")
    )
    form = response.context["form"]
    assert "wikidata_id" in form.errors
    assert Organisation.objects.count() == 1


def test_a_close_duplicate_is_warned_and_needs_confirmation(ufficio_client, make_org):
    make_org(name="Comune di Kassel", country="DE", city="Kassel")
    response = ufficio_client.post("/partner/nuovo/", _valid(name="Comune di Kasel"))
    assert "organizzazioni simili" in response.content.decode()
    assert Organisation.objects.count() == 1
    response = ufficio_client.post(
        "/partner/nuovo/", _valid(name="Comune di Kasel", confirm_duplicate="1")
    )
    assert response.status_code == 302 and Organisation.objects.count() == 2


def test_the_htmx_check_reports_one_field_and_duplicates(ufficio_client, make_org):
    make_org(name="Comune di Kassel", country="DE", city="Kassel")
    response = ufficio_client.post(
        "/partner/verifica/",
        _valid(latitude="95"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="latitude",
    )
    assert "90" in response.content.decode()
    response = ufficio_client.post(
        "/partner/verifica/",
        _valid(name="Comune di Kassel"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="name",
    )
    assert "duplicate-warning" in response.content.decode()


def test_creating_a_person_and_position_from_the_organisation_page(ufficio_client, make_org):
    org = make_org(name="Consolato del Giappone", kind="consulate_career")
    response = ufficio_client.post(
        f"/partner/{org.pk}/incarichi/nuovo/",
        {
            "new_first_name": "Aiko",
            "new_last_name": "Tanaka",
            "role": "Console generale",
            "start_date": "2024-04-01",
        },
    )
    assert response.status_code == 302
    position = Position.objects.get()
    assert position.person.full_name == "Aiko Tanaka" and position.organisation == org


def test_a_position_ending_before_it_starts_is_refused(ufficio_client, make_org, make_person):
    org, person = make_org(), make_person()
    response = ufficio_client.post(
        f"/partner/{org.pk}/incarichi/nuovo/",
        {
            "person": str(person.pk),
            "role": "Console",
            "start_date": "2024-04-01",
            "end_date": "2023-01-01",
        },
    )
    assert "precedere" in response.content.decode()
    assert not Position.objects.exists()


def test_who_is_the_consul_now_and_who_was_before(ufficio_client, make_org, make_person):
    org = make_org(
        name="Consolato onorario del Perù", kind="consulate_honorary", country="IT", city="Firenze"
    )
    old = make_person(first_name="Mario", last_name="Prima")
    new = make_person(first_name="Lucia", last_name="Dopo")
    Position.objects.create(
        person=old,
        organisation=org,
        role="Console",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2022, 6, 30),
    )
    Position.objects.create(
        person=new, organisation=org, role="Console", start_date=datetime.date(2022, 7, 1)
    )
    assert [p.person for p in org.positions.current()] == [new]
    assert [p.person for p in org.positions.past()] == [old]
    page = ufficio_client.get(f"/partner/{org.pk}/").content.decode()
    assert (
        page.index("Incarichi in corso")
        < page.index("Lucia")
        < page.index("Incarichi passati")
        < page.index("Mario")
    )


def test_person_with_malformed_email_is_refused(ufficio_client):
    response = ufficio_client.post(
        "/partner/persone/nuova/",
        {
            "first_name": "A",
            "last_name": "B",
            "email": "not-an-email",
            "gdpr_basis": "public_role",
            "gdpr_date": "2026-01-01",
            "confidentiality": "interno",
        },
    )
    assert "email" in response.context["form"].errors
    assert not Person.objects.exists()


def test_xk_and_eh_are_accepted_country_codes(ufficio_client):
    for code, city in [("XK", "Pristina"), ("EH", "El Aaiún")]:
        response = ufficio_client.post(
            "/partner/nuovo/", _valid(name=f"Comune di {city}", country=code, city=city)
        )
        assert response.status_code == 302, code
    from ponti.core.countries import country_name

    assert country_name("XK", "it") == "Kosovo"
