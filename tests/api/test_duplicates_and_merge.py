"""The API refuses a probable duplicate (409 with candidates) unless forced, and merges."""

from __future__ import annotations

from ponti.core.models import AuditEvent
from ponti.partners.models import Organisation, OrganisationMerge, OrganisationName, Position
from tests.api.helpers import org_payload, token_client


def test_it_refuses_a_city_already_known_under_another_language_name(api, make_org):
    paris = make_org(name="Paris", country="FR", city="Paris")
    response = api.post("/organisations", org_payload(name="Parigi", country="FR", city="Parigi"))
    assert response.status_code == 409, response.content
    body = response.json()
    (candidate,) = body["candidates"]
    assert candidate["id"] == paris.pk and candidate["name"] == "Paris"
    assert candidate["country"] == "FR" and candidate["certain"] is True
    assert 0 < candidate["score"] <= 1 and candidate["reasons"]
    assert not Organisation.objects.filter(name="Parigi").exists()


def test_force_creates_it_anyway(api, make_org):
    make_org(name="Paris", country="FR")
    response = api.post("/organisations", org_payload(name="Parigi", country="FR", force=True))
    assert response.status_code == 201, response.content
    assert Organisation.objects.filter(name="Parigi").exists()


def test_a_same_wikidata_id_is_a_duplicate_not_a_validation_error(api, make_org):
    florence = make_org(name="Firenze", country="IT", wikidata_id="Q2044")
    response = api.post(
        "/organisations", org_payload(name="Florenz", country="DE", wikidata_id="Q2044")
    )
    assert response.status_code == 409
    assert response.json()["candidates"][0]["id"] == florence.pk


def test_a_same_name_in_another_country_is_not_refused(api, make_org):
    make_org(name="Paris", country="US")
    response = api.post("/organisations", org_payload(name="Paris", country="FR"))
    assert response.status_code == 201, response.content


def test_a_riservato_organisation_is_never_offered_as_a_candidate(make_user, make_org):
    make_org(name="Paris", country="FR", confidentiality="riservato")
    # Staff of the office who may add partners but read only up to «interno».
    clerk = token_client(make_user("ufficio", username="clerk", clearance="interno"))
    response = clerk.post("/organisations", org_payload(name="Parigi", country="FR"))
    assert response.status_code == 201, response.content
    assert "Paris" not in response.content.decode()


def test_the_409_is_declared_in_the_openapi_document(api):
    spec = api.get("/openapi.json").json()
    create = spec["paths"]["/api/v1/organisations"]["post"]
    assert "409" in create["responses"]
    merge = spec["paths"]["/api/v1/organisations/{organisation_id}/merge"]["post"]
    assert {"200", "403", "404", "409"} <= set(merge["responses"])


def test_merge_moves_the_duplicate_into_the_one_that_stays(api, make_org, make_person):
    koln = make_org(name="Köln", country="DE")
    colonia = make_org(name="Colonia", country="DE", website="https://www.stadt-koeln.de/")
    OrganisationName.objects.create(organisation=colonia, language="it", name="Colonia")
    Position.objects.create(person=make_person(), organisation=colonia, role="Sindaca")
    response = api.post(f"/organisations/{koln.pk}/merge", {"duplicate_id": colonia.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == koln.pk and body["website"] == "https://www.stadt-koeln.de/"
    assert {"language": "it", "name": "Colonia"} in body["other_names"]
    assert not Organisation.objects.filter(pk=colonia.pk).exists()
    assert Position.objects.get().organisation_id == koln.pk
    assert OrganisationMerge.objects.get(target=koln).source_name == "Colonia"
    event = AuditEvent.objects.get(action="merge", object_id=str(koln.pk))
    assert event.channel == "api"


def test_merge_needs_the_merge_permission(api_as, make_org):
    a, b = make_org(name="Kyoto"), make_org(name="Kioto")
    response = api_as("consigliere").post(f"/organisations/{a.pk}/merge", {"duplicate_id": b.pk})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=b.pk).exists()


def test_merge_of_an_organisation_the_user_cannot_see_is_a_404(api_as, make_org):
    a = make_org(name="Kyoto")
    hidden = make_org(name="Kioto", confidentiality="riservato")
    response = api_as("revisore").post(f"/organisations/{a.pk}/merge", {"duplicate_id": hidden.pk})
    assert response.status_code == 404
    assert Organisation.objects.filter(pk=hidden.pk).exists()


def test_merge_with_itself_is_refused(api, make_org):
    a = make_org(name="Kyoto")
    response = api.post(f"/organisations/{a.pk}/merge", {"duplicate_id": a.pk})
    assert response.status_code == 422
