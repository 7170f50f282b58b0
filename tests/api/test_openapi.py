"""The OpenAPI document tells the truth, and its docs page works offline."""

from __future__ import annotations

import json
import re

import pytest

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def schema(client, db):
    response = client.get(OPENAPI)
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    """The partner registry's operations (other apps mount their own routers beside it)."""
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if "partner" in operation.get("tags", []):
                yield path, method, operation


def test_every_operation_declares_its_error_statuses(schema):
    for path, method, operation in _operations(schema):
        declared = set(operation["responses"])
        label = f"{method.upper()} {path}"
        assert {"401", "403", "422"} <= declared, label
        if "{" in path:
            assert "404" in declared, label
        if method in {"post", "put", "patch"}:
            assert {"400", "413"} <= declared, label
        if method in {"put", "patch"} and not path.startswith("/api/v1/positions"):
            assert "409" in declared, label
        assert any(code.startswith("2") for code in declared), label


def test_the_endpoints_are_the_expected_ones(schema):
    operations = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, method, _ in _operations(schema)
    }
    organisation, person, position = "{organisation_id}", "{person_id}", "{position_id}"
    assert operations == {
        "GET /organisations",
        "GET /organisations/export",
        "POST /organisations",
        f"POST /organisations/{organisation}/merge",
        *(f"{m} /organisations/{organisation}" for m in ["GET", "PUT", "PATCH", "DELETE"]),
        f"GET /organisations/{organisation}/history",
        f"GET /organisations/{organisation}/positions",
        f"POST /organisations/{organisation}/positions",
        "GET /people",
        "GET /people/export",
        "POST /people",
        *(f"{m} /people/{person}" for m in ["GET", "PUT", "PATCH", "DELETE"]),
        f"GET /people/{person}/history",
        f"GET /people/{person}/positions",
        f"POST /people/{person}/positions",
        f"GET /people/{person}/gdpr-export",
        f"GET /people/{person}/erase",
        f"POST /people/{person}/erase",
        f"POST /people/{person}/retention-keep",
        "GET /people-retention-review",
        *(f"{m} /positions/{position}" for m in ["GET", "PUT", "PATCH", "DELETE"]),
    }


def test_input_schemas_refuse_unknown_fields_and_say_so(schema):
    components = schema["components"]["schemas"]
    inputs = ["OrganisationCreate", "OrganisationPut", "OrganisationPatch", "OtherName"]
    inputs += ["PersonIn", "PersonPut", "PersonPatch", "PositionIn", "PositionPut", "PositionPatch"]
    for name in inputs:
        assert components[name]["additionalProperties"] is False, name
    assert "campi sconosciuti" in schema["info"]["description"]


def test_patch_schemas_require_only_the_version(schema):
    components = schema["components"]["schemas"]
    assert components["OrganisationPatch"]["required"] == ["version"]
    assert "default" not in components["OrganisationPatch"]["properties"]["name"]
    assert set(components["OrganisationPut"]["required"]) == {"name", "kind", "country", "version"}


def test_every_output_carries_the_version(schema):
    components = schema["components"]["schemas"]
    for name in ["OrganisationOut", "PersonOut"]:
        assert "version" in components[name]["required"]


def test_both_ways_of_authenticating_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_the_docs_page_uses_only_local_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} is not served by Ponti"
        assert client.get(asset).status_code == 200, asset
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))
    assert settings["url"] == OPENAPI
    assert settings["validatorUrl"] is None  # no call to validator.swagger.io either


def test_the_document_has_no_duplicate_keys(client, db):
    """Swagger UI refuses a document with a key twice (e.g. status 200 as int and as "200")."""
    duplicates: list[str] = []

    def pairs(items):
        keys = [key for key, _value in items]
        duplicates.extend(key for key in set(keys) if keys.count(key) > 1)
        return dict(items)

    json.loads(client.get(OPENAPI).content, object_pairs_hook=pairs)
    assert duplicates == []
