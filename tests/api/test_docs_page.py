"""The API's docs page renders in a real browser, offline: every asset it loads is Ponti's own."""

from __future__ import annotations

from typing import Any

import pytest

# A live server needs a transactional database; the serialized rollback puts back the rows
# the migrations create (the default ente, the sectors) for the tests that run afterwards.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_docs_page_renders_every_operation_from_local_assets(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    foreign: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else foreign.append(request.url)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ponti API", timeout=15_000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/organisations/{organisation_id}/history" in [
        p.replace("\u200b", "") for p in paths
    ]
    assert page.get_by_text("Parser error").count() == 0
    assert errors == []
    assert foreign == [], f"the docs page reached outside Ponti: {foreign}"
