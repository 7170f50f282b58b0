"""Bad input is a 4xx that names what is wrong, never a 500.

Invalid data is 422 with `{"detail": …, "errors": {field: [messages]}}`, whether the
schema (types, lengths, patterns) or the model (full_clean, uniqueness) found it.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from ponti.partners.models import Organisation
from tests.api.helpers import errors_of, org_payload, person_payload

# --- the registry's own rules ----------------------------------------------------------------


@pytest.mark.parametrize("country", ["ZZ", "it", "ITA", "", "I"])
def test_it_refuses_an_invalid_country_code(api, country):
    errors = errors_of(api.post("/organisations", org_payload(country=country)))
    assert list(errors) == ["country"]


def test_it_accepts_kosovo_as_xk(api):
    response = api.post("/organisations", org_payload(name="Pristina", country="XK"))
    assert response.status_code == 201
    assert response.json()["country_name"] == "Kosovo"


@pytest.mark.parametrize(
    ("field", "value"),
    [("latitude", 90.5), ("latitude", -91), ("longitude", 180.01), ("longitude", -200)],
)
def test_it_refuses_coordinates_out_of_range(api, field, value):
    errors = errors_of(api.post("/organisations", org_payload(**{field: value})))
    assert list(errors) == [field]


def test_it_refuses_a_malformed_website(api):
    errors = errors_of(api.post("/organisations", org_payload(website="www.kyoto dot jp")))
    assert list(errors) == ["website"]


def test_it_refuses_a_malformed_email(api):
    errors = errors_of(api.post("/people", person_payload(email="sindaco@")))
    assert list(errors) == ["email"]


def test_it_refuses_a_malformed_wikidata_id(api):
    errors = errors_of(api.post("/organisations", org_payload(wikidata_id="2044")))
    assert list(errors) == ["wikidata_id"]


def test_it_refuses_a_wikidata_id_already_used_on_create(api, make_org):
    make_org(name="Firenze", wikidata_id="Q2044")
    # Without `force` it is a probable duplicate (409, tests/api/test_duplicates_and_merge.py);
    # forced, the unique field still refuses it.
    errors = errors_of(api.post("/organisations", org_payload(wikidata_id="Q2044", force=True)))
    assert list(errors) == ["wikidata_id"]
    assert Organisation.objects.filter(wikidata_id="Q2044").count() == 1


def test_it_refuses_a_wikidata_id_already_used_on_update(api, make_org):
    make_org(name="Firenze", wikidata_id="Q2044")
    other = make_org(name="Kyoto")
    errors = errors_of(
        api.patch(f"/organisations/{other.pk}", {"version": 1, "wikidata_id": "Q2044"})
    )
    assert list(errors) == ["wikidata_id"]


def test_a_wikidata_id_lost_to_a_concurrent_save_is_still_a_422(api, make_org, monkeypatch):
    """Both requests passed validation; the unique index decides, and the field is named."""
    make_org(name="Firenze", wikidata_id="Q2044")
    monkeypatch.setattr(Organisation, "validate_unique", lambda self, exclude=None: None)
    errors = errors_of(
        api.post("/organisations", org_payload(wikidata_id="Q2044", tags=["nuova"], force=True))
    )
    assert list(errors) == ["wikidata_id"]
    from ponti.core.models import Tag

    assert not Tag.objects.filter(name="nuova").exists()  # nothing of the request was kept


def test_it_refuses_an_unknown_parent(api, db):
    errors = errors_of(api.post("/organisations", org_payload(parent_id=987654)))
    assert list(errors) == ["parent_id"]


def test_an_organisation_cannot_be_its_own_parent_or_ancestor(api, make_org):
    grandparent = make_org(name="Governo")
    parent = make_org(name="Ministero", parent=grandparent)
    errors = errors_of(
        api.patch(f"/organisations/{grandparent.pk}", {"version": 1, "parent_id": grandparent.pk})
    )
    assert list(errors) == ["parent_id"]
    errors = errors_of(
        api.patch(f"/organisations/{grandparent.pk}", {"version": 1, "parent_id": parent.pk})
    )
    assert list(errors) == ["parent_id"]


def test_it_refuses_an_unknown_sector(api, db):
    errors = errors_of(api.post("/organisations", org_payload(sectors=["cultura", "astrologia"])))
    assert errors == {"sectors": ["Settori sconosciuti: astrologia."]}


def test_it_refuses_a_language_given_twice(api, db):
    names = [{"language": "en", "name": "Kyoto"}, {"language": "en", "name": "Kioto"}]
    errors = errors_of(api.post("/organisations", org_payload(other_names=names)))
    assert list(errors) == ["other_names"]


def test_it_names_the_entry_with_a_bad_language_code(api, db):
    names = [{"language": "en", "name": "Kyoto"}, {"language": "Japanese", "name": "京都市"}]
    errors = errors_of(api.post("/organisations", org_payload(other_names=names)))
    assert list(errors) == ["other_names.1.language"]


def test_it_reports_every_database_error_at_once(api, db):
    errors = errors_of(
        api.post(
            "/organisations", org_payload(website="http://nope", parent_id=987654, sectors=["x"])
        )
    )
    assert set(errors) == {"website", "parent_id", "sectors"}


# --- types, sizes and shapes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 123),
        ("name", None),
        ("name", ["Kyoto"]),
        ("kind", "village"),
        ("latitude", "43.77"),
        ("latitude", True),
        ("parent_id", "12"),
        ("parent_id", 1.5),
        ("tags", "gemellaggio"),
        ("sectors", [1]),
        ("other_names", {"en": "Kyoto"}),
        ("confidentiality", "segretissimo"),
    ],
)
def test_it_refuses_a_wrong_type(api, db, field, value):
    errors = errors_of(api.post("/organisations", org_payload(**{field: value})))
    assert [key.split(".")[0] for key in errors] == [field], errors


def test_it_refuses_a_string_for_the_version(api, make_org):
    org = make_org()
    errors = errors_of(api.patch(f"/organisations/{org.pk}", {"version": "1", "city": "A"}))
    assert list(errors) == ["version"]


@pytest.mark.parametrize(("field", "limit"), [("name", 300), ("city", 120), ("address", 300)])
def test_it_refuses_a_string_longer_than_the_model_allows(api, db, field, limit):
    assert api.post("/organisations", org_payload(**{field: "x" * limit})).status_code == 201
    errors = errors_of(api.post("/organisations", org_payload(**{field: "y" * (limit + 1)})))
    assert list(errors) == [field]


def test_it_refuses_a_tag_longer_than_sixty_characters(api, db):
    errors = errors_of(api.post("/organisations", org_payload(tags=["ok", "t" * 61])))
    assert list(errors) == ["tags.1"]


def test_it_refuses_a_blank_name(api, db):
    assert list(errors_of(api.post("/organisations", org_payload(name="   ")))) == ["name"]


def test_it_trims_free_text(api, db):
    response = api.post("/organisations", org_payload(name="  Kyoto  ", city=" Kyoto\n"))
    assert response.json()["name"] == "Kyoto" and response.json()["city"] == "Kyoto"


@pytest.mark.parametrize("text", ["Kyo\x00to", "Kyo\ud800to"])
def test_it_refuses_characters_no_database_can_store(api, db, text):
    body = json.dumps(org_payload(name=text))  # \u0000 and a lone surrogate, as JSON escapes
    assert list(errors_of(api.post("/organisations", body))) == ["name"]


@pytest.mark.parametrize("value", ["31/12/2020", "2020-02-30", "2020-01-01T10:00:00", 1577836800])
def test_it_refuses_a_date_not_written_as_yyyy_mm_dd(api, make_org, make_person, value):
    org, person = make_org(), make_person()
    payload = {"person_id": person.pk, "role": "Sindaco", "start_date": value}
    errors = errors_of(api.post(f"/organisations/{org.pk}/positions", payload))
    assert list(errors) == ["start_date"]


def test_it_refuses_unknown_fields(api, db):
    errors = errors_of(api.post("/organisations", org_payload(nmae="Typo")))
    assert list(errors) == ["nmae"]


def test_it_refuses_read_only_fields(api, make_org):
    org = make_org()
    body = api.get(f"/organisations/{org.pk}").json()  # sending back what was read
    errors = errors_of(api.put(f"/organisations/{org.pk}", body))
    assert {"id", "kind_label", "country_name", "created_at", "updated_at"} <= set(errors)


def test_a_missing_body_is_a_422(api, db):
    response = api.post("/organisations", b"")
    assert response.status_code == 422


def test_a_body_that_is_not_an_object_is_a_422(api, db):
    assert api.post("/organisations", "[1, 2]").status_code == 422
    assert api.post("/organisations", '"Kyoto"').status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "Kyoto",',
        "name=Kyoto&kind=city",
        '{"name": "Kyoto", "latitude": NaN}',
        b"\xff\xfe{}",
    ],
    ids=["truncated", "form-encoded", "nan", "not-utf8"],
)
def test_malformed_json_is_a_400_with_a_message(api, db, body):
    response = api.post("/organisations", body)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_body_over_the_upload_limit_is_a_413(api, db):
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert size == 2_621_440
    huge = json.dumps(org_payload(description="x" * (size + 10)))
    response = api.post("/organisations", huge)
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    assert not Organisation.objects.exists()


def test_a_long_description_under_the_limit_is_accepted(api, db):
    response = api.post("/organisations", org_payload(description="x" * 1_000_000))
    assert response.status_code == 201


# --- identifiers and query strings -----------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["abc", "1.5", "0", "-3", str(2**63), "9" * 40])
def test_a_bad_id_in_the_path_is_a_422_naming_it(api, db, bad_id):
    for path, name in [
        (f"/organisations/{bad_id}", "organisation_id"),
        (f"/people/{bad_id}/history", "person_id"),
        (f"/positions/{bad_id}", "position_id"),
    ]:
        response = api.get(path)
        assert response.status_code == 422, path
        assert list(response.json()["errors"]) == [name]


def test_the_largest_id_is_simply_not_found(api, db):
    assert api.get(f"/organisations/{2**63 - 1}").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "tanti"}, "limit"),
        ({"country": "zz"}, "country"),
        ({"kind": "village"}, "kind"),
        ({"q": "x" * 201}, "q"),
        ({"sort": "password"}, "sort"),
    ],
)
def test_a_bad_query_parameter_is_a_422_naming_it(api, db, params, field):
    assert list(errors_of(api.get("/organisations", params))) == [field]
