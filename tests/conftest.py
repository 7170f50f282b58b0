"""Shared personas and small factories for every test module."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live-server browser tests

# The real OpenID Connect provider of the single sign-on tests, shared by tests/oidc and
# tests/browser (started only by the tests that ask for it).
pytest_plugins = ["tests.oidc_idp.harness"]

ROLES = ["amministratore", "ufficio", "consigliere", "segreteria", "responsabile", "revisore"]
USERNAMES = {
    "amministratore": "admin",
    "ufficio": "ufficio",
    "consigliere": "consigliere",
    "segreteria": "segreteria",
    "responsabile": "responsabile",
    "revisore": "revisore",
}
PASSWORD = "ponti-test-password"


def restore_migration_data() -> None:
    """Put back the rows the data migrations create (the default ente, the sectors, the budget
    classification): a transactional test ends with a flush that removes them."""
    import importlib

    from django.apps import apps

    importlib.import_module("ponti.core.migrations.0002_default_ente_and_sectors").forwards(
        apps, None
    )
    importlib.import_module("ponti.planning.migrations.0002_load_budget_classification").load(
        apps, None
    )
    importlib.import_module("ponti.opportunities.migrations.0002_load_programmes").load(apps, None)


@pytest.fixture
def ente(db: Any) -> Any:
    from ponti.core.models import Ente

    found = Ente.objects.filter(slug="cm-firenze").first()
    if found is None:  # after a transactional test's flush on this worker
        restore_migration_data()
        found = Ente.objects.get(slug="cm-firenze")
    return found


@pytest.fixture
def other_ente(db: Any) -> Any:
    from ponti.core.models import Ente

    return Ente.objects.create(name="Comune di Prato", slug="prato", city="Prato")


@pytest.fixture
def make_user(db: Any, ente: Any) -> Callable[..., Any]:
    from ponti.accounts.models import User
    from ponti.accounts.services import place_in_ente

    def make(
        role: str | None = "ufficio",
        *,
        username: str | None = None,
        enti: list[Any] | None = None,
        clearance: str | None = None,
    ) -> Any:
        """A user with `role` (and `clearance`, by default the role's) in each of `enti`."""
        name = username or (USERNAMES[role] if role else "nobody")
        user = User.objects.create_user(
            username=name, password=PASSWORD, email=f"{name}@example.org"
        )
        if role:
            for each in enti if enti is not None else [ente]:
                place_in_ente(user, each, role, clearance)
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def personas(make_user: Callable[..., Any]) -> dict[str, Any]:
    """One user per role, named as in the demo."""
    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def make_org(db: Any) -> Callable[..., Any]:
    from ponti.partners.models import Organisation

    counter = {"n": 0}

    def make(**kwargs: Any) -> Any:
        counter["n"] += 1
        defaults = {
            "name": f"Organizzazione {counter['n']}",
            "kind": "city",
            "country": "FR",
            "city": "Reims",
            "confidentiality": "interno",
        }
        defaults.update(kwargs)
        return Organisation.objects.create(**defaults)

    return make


@pytest.fixture
def make_person(db: Any) -> Callable[..., Any]:
    from ponti.partners.models import Person

    def make(**kwargs: Any) -> Any:
        defaults = {"first_name": "Maria", "last_name": "Rossi", "confidentiality": "interno"}
        defaults.update(kwargs)
        return Person.objects.create(**defaults)

    return make


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open() -> Any:
    """Requests sent straight to the WSGI app (schemathesis) end with Django closing "old"
    connections; inside a test's transaction on PostgreSQL that closes the connection the test
    is using. Django's own test client disconnects this handler for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# --- figures reported at the end, across pytest-xdist's workers (tests/reporting.py) ---------


def pytest_sessionfinish(session: Any) -> None:
    from tests import reporting

    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a worker: hand the figures to the controller
        workeroutput["ponti_reports"] = reporting.dump()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Here, not in the sub-folders' conftests: under pytest-xdist the controller loads only
    this one."""
    from tests.reporting import REPORTS

    checked = REPORTS.get("axe", [])
    if checked:
        labels = sorted({label for _url, label in checked})
        terminalreporter.write_line(
            f"axe-core: {len(checked)} page checks, 0 violations: " + "; ".join(labels)
        )
    cases = REPORTS.get("schemathesis cases")
    if cases:
        statuses = {int(k): v for k, v in REPORTS.get("schemathesis statuses", {}).items()}
        terminalreporter.write_line(
            f"schemathesis: {sum(cases.values())} cases over {len(cases)} operations; "
            f"statuses: {dict(sorted(statuses.items()))}"
        )
        groups: dict[str, list[int]] = {}
        for label, n in cases.items():
            path = label.split(" ", 1)[-1].removeprefix("/api/v1/")
            group = groups.setdefault(path.split("/", 1)[0], [0, 0])
            group[0] += 1
            group[1] += n
        terminalreporter.write_line(
            "schemathesis by resource: "
            + ", ".join(f"{k} {ops} ops/{n} cases" for k, (ops, n) in sorted(groups.items()))
        )
    matrix = REPORTS.get("security matrix")
    if matrix:
        terminalreporter.write_line(
            f"security matrix: {matrix['readers']} readers × outputs = {matrix['outputs']} "
            f"reader/output cases, {matrix['marker checks']} marker checks, 0 leaks"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    from tests import reporting

    text = getattr(node, "workeroutput", {}).get("ponti_reports")
    if text:
        reporting.merge(text)
