"""The networks operations in the OpenAPI document tell the truth."""

from __future__ import annotations

import pytest


@pytest.fixture
def schema(client, db):
    return client.get("/api/v1/openapi.json").json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if "reti" in operation.get("tags", []):
                yield path.removeprefix("/api/v1"), method, operation


def test_the_endpoints_are_the_expected_ones(schema):
    found = {f"{method.upper()} {path}" for path, method, _ in operations(schema)}
    m = "/memberships/{membership_id}"
    assert found == {
        "GET /memberships",
        "GET /memberships/export",
        "POST /memberships",
        f"GET {m}",
        f"PATCH {m}",
        f"DELETE {m}",
        f"GET {m}/roles",
        f"POST {m}/roles",
        f"GET {m}/working-groups",
        f"POST {m}/working-groups",
        f"GET {m}/fees",
        f"POST {m}/fees",
        *(f"{v} /membership-roles/{{role_id}}" for v in ["GET", "PATCH", "DELETE"]),
        *(f"{v} /working-groups/{{group_id}}" for v in ["GET", "PATCH", "DELETE"]),
        *(f"{v} /fees/{{fee_id}}" for v in ["GET", "PATCH", "DELETE"]),
        "GET /network-members",
        "POST /network-members",
        *(f"{v} /network-members/{{network_member_id}}" for v in ["GET", "PATCH", "DELETE"]),
    }


def test_every_operation_declares_its_statuses(schema):
    for path, method, operation in operations(schema):
        declared, label = set(operation["responses"]), f"{method.upper()} {path}"
        assert {"401", "403", "422"} <= declared, label
        if "{" in path:
            assert "404" in declared, label
        if method in {"post", "patch"}:
            assert {"400", "413"} <= declared, label
    patch = schema["paths"]["/api/v1/memberships/{membership_id}"]["patch"]
    assert "409" in patch["responses"]


def test_input_schemas_refuse_unknown_fields(schema):
    components = schema["components"]["schemas"]
    for name in [
        "MembershipIn",
        "MembershipPatch",
        "RoleIn",
        "RolePatch",
        "WorkingGroupIn",
        "WorkingGroupPatch",
        "FeeIn",
        "FeePatch",
        "NetworkMemberIn",
        "NetworkMemberPatch",
    ]:
        assert components[name]["additionalProperties"] is False, name
    assert components["MembershipPatch"]["required"] == ["version"]
