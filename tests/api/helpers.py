"""Helpers of the API tests: a JSON client with a persona's token, payloads, error lookup."""

from __future__ import annotations

from typing import Any

from django.test import Client

BASE = "/api/v1"


class Api:
    """Django's test client, speaking JSON to /api/v1 with a Bearer token."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {})

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self._send("put", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(BASE + path)

    def _send(self, method: str, path: str, body: Any) -> Any:
        data = body if isinstance(body, str | bytes) else ({} if body is None else body)
        return getattr(self.client, method)(BASE + path, data, content_type="application/json")


def token_client(user: Any) -> Api:
    from ponti.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user, "test")
    return Api(Client(headers={"Authorization": f"Bearer {raw}"}))


def org_payload(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Città di Kyoto",
        "kind": "city",
        "country": "JP",
        "city": "Kyoto",
    }
    data.update(changes)
    return data


def person_payload(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"first_name": "Daisaku", "last_name": "Kadokawa"}
    data.update(changes)
    return data


def errors_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, (response.status_code, response.content[:500])
    body = response.json()
    assert body["detail"]
    return body["errors"]
