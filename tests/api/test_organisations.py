"""Organisations through the API: list, filter, search, retrieve, create, update, delete."""

from __future__ import annotations

from ponti.core.models import Tag
from ponti.partners import services
from ponti.partners.models import Organisation, OrganisationName
from tests.api.helpers import org_payload


def test_it_creates_an_organisation_with_names_sectors_and_tags(api, make_org):
    government = make_org(name="Governo del Giappone", kind="government", country="JP")
    response = api.post(
        "/organisations",
        org_payload(
            latitude=35.011636,
            longitude=135.768029,
            website="https://www.city.kyoto.lg.jp/",
            wikidata_id="Q34600",
            parent_id=government.pk,
            sectors=["cultura", "universita"],
            tags=["gemellaggio", "  UNESCO  "],
            other_names=[{"language": "ja", "name": "京都市"}, {"language": "en", "name": "Kyoto"}],
            confidentiality="pubblico",
        ),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Città di Kyoto"
    assert body["kind"] == "city" and body["kind_label"] == "Città"
    assert body["country"] == "JP" and body["country_name"] == "Giappone"
    assert body["latitude"] == 35.011636 and body["longitude"] == 135.768029
    assert body["parent_id"] == government.pk
    assert body["sectors"] == ["universita", "cultura"]  # in the sectors' own order
    assert body["tags"] == ["UNESCO", "gemellaggio"]
    assert body["other_names"] == [
        {"language": "en", "name": "Kyoto"},
        {"language": "ja", "name": "京都市"},
    ]
    assert body["version"] == 1 and body["created_at"] and body["updated_at"]
    org = Organisation.objects.get(pk=body["id"])
    assert org.wikidata_id == "Q34600"
    # the names in other languages are searchable, as set through the same service as the pages
    found = api.get("/organisations", {"q": "京都市"}).json()["items"]
    assert [o["id"] for o in found] == [org.pk]


def test_it_creates_with_defaults_for_optional_fields(api):
    response = api.post("/organisations", {"name": "Reims", "kind": "city", "country": "FR"})
    assert response.status_code == 201
    body = response.json()
    assert body["city"] == "" and body["latitude"] is None and body["wikidata_id"] is None
    assert (
        body["confidentiality"] == "interno" and body["sectors"] == [] and body["other_names"] == []
    )


def test_it_retrieves_an_organisation(api, make_org):
    org = make_org(name="Kassel", country="DE")
    response = api.get(f"/organisations/{org.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Kassel" and response.json()["version"] == 1


def test_it_answers_404_for_an_unknown_organisation(api, db):
    response = api.get("/organisations/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trovato."}


def test_it_lists_with_the_total_count_and_pages(api, make_org):
    for name in ["Aachen", "Bordeaux", "Cracovia", "Dresda", "Edimburgo"]:
        make_org(name=name)
    response = api.get("/organisations", {"limit": 2, "offset": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and body["limit"] == 2 and body["offset"] == 2
    assert [o["name"] for o in body["items"]] == ["Cracovia", "Dresda"]


def test_it_filters_by_kind_country_sector_and_tag(api, make_org):
    from ponti.core.models import Sector

    kyoto = make_org(name="Kyoto", country="JP")
    kyoto.sectors.add(Sector.objects.get(code="cultura"))
    kyoto.tags.add(Tag.objects.create(name="Gemellaggio"))
    make_org(name="Ambasciata del Giappone", kind="embassy", country="JP")
    make_org(name="Reims", country="FR")

    def names(**params):
        response = api.get("/organisations", params)
        assert response.status_code == 200, response.content
        return [o["name"] for o in response.json()["items"]]

    assert names(country="JP") == ["Ambasciata del Giappone", "Kyoto"]
    assert names(kind="embassy") == ["Ambasciata del Giappone"]
    assert names(sector="cultura") == ["Kyoto"]
    assert names(tag="gemellaggio") == ["Kyoto"]  # case does not matter
    assert names(country="JP", kind="city") == ["Kyoto"]
    assert names(sector="non-esiste") == []


def test_it_searches_without_accents_and_in_other_languages(api, make_org, personas):
    fes = make_org(name="Fès", country="MA")
    services.set_other_names(fes, {"ar": "فاس"}, user=personas["ufficio"])
    make_org(name="Reims")
    for q in ["fes", "FÈS", "فاس", "marocco"]:
        response = api.get("/organisations", {"q": q})
        assert [o["name"] for o in response.json()["items"]] == ["Fès"], q


def test_it_sorts_as_asked(api, make_org):
    make_org(name="Bordeaux", country="FR")
    make_org(name="Aachen", country="DE")
    response = api.get("/organisations", {"sort": "-name"})
    assert [o["name"] for o in response.json()["items"]] == ["Bordeaux", "Aachen"]
    response = api.get("/organisations", {"sort": "country"})
    assert [o["country"] for o in response.json()["items"]] == ["DE", "FR"]


def test_it_patches_only_the_fields_sent(api, make_org):
    org = make_org(name="Kassel", city="Kassel", description="Gemellata")
    response = api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Kassel (Hessen)"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["city"] == "Kassel (Hessen)" and body["description"] == "Gemellata"
    assert body["version"] == 2


def test_it_replaces_every_field_with_put(api, make_org):
    org = make_org(name="Kassel", city="Kassel", description="Gemellata")
    response = api.put(
        f"/organisations/{org.pk}",
        {"version": 1, "name": "Stadt Kassel", "kind": "city", "country": "DE"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Stadt Kassel" and body["city"] == "" and body["description"] == ""
    assert body["version"] == 2


def test_it_replaces_the_other_names_and_clears_them_with_an_empty_list(api, make_org, personas):
    org = make_org(name="Kyoto")
    services.set_other_names(org, {"ja": "京都市", "en": "Kyoto"}, user=personas["ufficio"])
    response = api.patch(
        f"/organisations/{org.pk}",
        {"version": 1, "other_names": [{"language": "fr", "name": "Kyōto"}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["other_names"] == [{"language": "fr", "name": "Kyōto"}]
    response = api.patch(f"/organisations/{org.pk}", {"version": 2, "other_names": []})
    assert response.json()["other_names"] == []
    assert not OrganisationName.objects.filter(organisation=org).exists()


def test_a_patch_without_other_names_keeps_them(api, make_org, personas):
    org = make_org(name="Kyoto")
    services.set_other_names(org, {"ja": "京都市"}, user=personas["ufficio"])
    response = api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Kyoto"})
    assert response.json()["other_names"] == [{"language": "ja", "name": "京都市"}]


def test_it_clears_a_nullable_field_with_null(api, make_org):
    org = make_org(latitude=43.77, wikidata_id="Q2044")
    response = api.patch(
        f"/organisations/{org.pk}", {"version": 1, "latitude": None, "wikidata_id": None}
    )
    assert response.status_code == 200
    assert response.json()["latitude"] is None and response.json()["wikidata_id"] is None


def test_it_keeps_six_decimals_of_a_coordinate(api):
    response = api.post("/organisations", org_payload(latitude=43.76956789, longitude=11))
    assert response.status_code == 201
    assert response.json()["latitude"] == 43.769568 and response.json()["longitude"] == 11.0


def test_it_deletes_an_organisation_with_its_positions(api, make_org, make_person):
    from ponti.partners.models import Position

    org = make_org()
    Position.objects.create(person=make_person(), organisation=org, role="Sindaco")
    response = api.delete(f"/organisations/{org.pk}")
    assert response.status_code == 204 and response.content == b""
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert not Position.objects.exists()
    assert api.get(f"/organisations/{org.pk}").status_code == 404


def test_every_change_goes_through_the_services_and_is_audited(api, make_org):
    from ponti.core.models import AuditEvent

    org = make_org()
    api.patch(f"/organisations/{org.pk}", {"version": 1, "city": "Lione"})
    event = AuditEvent.objects.for_object(org).first()
    assert event.action == "update" and event.actor_repr == "ufficio"
    assert event.changes["city"] == ["Reims", "Lione"]


def test_it_does_not_show_a_parent_the_user_may_not_see(api_as, make_org):
    secret = make_org(name="Servizio riservato", confidentiality="riservato")
    child = make_org(name="Ufficio", parent=secret)
    assert api_as("consigliere").get(f"/organisations/{child.pk}").json()["parent_id"] == secret.pk
    assert api_as("revisore").get(f"/organisations/{child.pk}").json()["parent_id"] is None
