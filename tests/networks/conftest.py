"""Fixtures of the networks tests: a network, the ente's membership, API clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.helpers import Api, token_client

EDITORS = {"amministratore", "ufficio", "consigliere"}


@pytest.fixture
def make_network(make_org: Callable[..., Any]) -> Callable[..., Any]:
    def make(**kwargs: Any) -> Any:
        values = {"name": "Eurocities", "kind": "network", "country": "BE", "city": "Bruxelles"}
        values.update(kwargs)
        return make_org(**values)

    return make


@pytest.fixture
def make_membership(ente: Any, make_network: Callable[..., Any]) -> Callable[..., Any]:
    from ponti.networks.models import Membership

    def make(**kwargs: Any) -> Any:
        values: dict[str, Any] = {"ente": ente, "confidentiality": "interno", "since_year": 2003}
        values.update(kwargs)
        if "network" not in values:
            values["network"] = make_network()
        return Membership.objects.create(**values)

    return make


@pytest.fixture
def membership(make_membership: Callable[..., Any]) -> Any:
    return make_membership()


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Callable[[str], Api]:
    """`api_as("revisore")`: a client holding a token of that persona."""
    return lambda role: token_client(personas[role])


@pytest.fixture
def api(api_as: Callable[[str], Api]) -> Api:
    return api_as("ufficio")
