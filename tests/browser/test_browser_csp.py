"""The Content-Security-Policy in a real browser: the main page of every app loads with no
violation, and what is interactive still works under it (htmx, the theme's menu, Swagger UI).

Violations are caught twice: the `securitypolicyviolation` event, listened to from an init
script that runs before any of the page's own scripts, and Chromium's console errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.helpers import label

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""


class Watch:
    """What the browser reported on the current document: CSP violations and console errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        # A page that declares no icon (the standalone DUP sheet) makes the browser ask for
        # /favicon.ico by itself: its 404 is not the page's error.
        if message.type == "error" and "favicon.ico" not in str(message.location.get("url")):
            self.console.append(f"{message.text} ({message.location.get('url')})")

    def visit(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe" not in policy, f"{url}: {policy!r}"
        return response

    def assert_clean(self, where: str) -> None:
        # Let late work (deferred scripts, fonts, the swagger fetch) happen before judging.
        self.page.wait_for_load_state("networkidle")
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], f"CSP violations on {where}: {violations}"
        csp_console = [m for m in self.console if "Content Security Policy" in m]
        assert csp_console == [], f"CSP console errors on {where}: {csp_console}"
        assert self.console == [], f"console errors on {where}: {self.console}"
        self.console.clear()


@pytest.fixture
def watch(page: Page) -> Watch:
    return Watch(page)


@pytest.fixture
def demo_data(personas: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Florence's demo records (the personas stand in for the demo's users)."""
    from ponti.agreements.models import Agreement
    from ponti.core.demo import loaders
    from ponti.meetings.models import Meeting
    from ponti.partners.models import Organisation
    from ponti.planning.models import Objective

    for name, load in loaders():
        if not name.startswith("accounts"):
            load()
    yield {
        "organisation": Organisation.objects.filter(kind="city").order_by("pk").first(),
        # Of the personas' ente: the demo's other enti have users of their own.
        "agreement": Agreement.objects.filter(ente__slug="cm-firenze").order_by("pk").first(),
        "meeting": Meeting.objects.filter(ente__slug="cm-firenze").order_by("pk").first(),
        "objective": Objective.objects.get(code="1901/0159"),
    }


def test_the_main_pages_of_every_app_load_with_no_csp_violation(
    page: Page, watch: Watch, login: Any, demo_data: dict[str, Any]
) -> None:
    watch.visit("/accounts/login/")
    watch.assert_clean("the login page")
    login(page, "admin")
    watch.assert_clean("the login")
    pages = {
        "home": "/",
        "registry list": "/partner/",
        "registry detail": demo_data["organisation"].get_absolute_url(),
        "people": "/partner/persone/",
        "agreement list": "/accordi/",
        "agreement detail": demo_data["agreement"].get_absolute_url(),
        "networks": "/reti/",
        "meeting list": "/incontri/",
        "meeting detail": demo_data["meeting"].get_absolute_url(),
        "calendar": "/incontri/calendario/",
        "objectives": "/programmazione/",
        "budget lines": "/programmazione/capitoli/",
        "audit log": "/registro-modifiche/",
        "accessibility": "/accessibilita/",
    }
    for name, url in pages.items():
        watch.visit(url)
        expect(page.locator("main#main")).to_be_visible()
        watch.assert_clean(f"{name} ({url})")

    # The objective with its charts (SVG, sized by CSS, not by a style attribute).
    objective = demo_data["objective"]
    watch.visit(f"/programmazione/obiettivi/{objective.pk}/")
    charts = page.locator("main svg.ponti-chart")
    expect(charts.first).to_be_visible()
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50, box
    watch.assert_clean("the objective with its charts")

    # The DUP sheet as a standalone HTML page keeps its own styles (allowed by their hash).
    watch.visit(f"/programmazione/obiettivi/{objective.pk}/scheda.html")
    heading_colour = page.locator("h1").evaluate("h => getComputedStyle(h).color")
    assert heading_colour == "rgb(0, 61, 122)", heading_colour
    watch.assert_clean("the DUP sheet in HTML")


def test_the_theme_fonts_load_from_the_stylesheet(page: Page, watch: Watch, login: Any) -> None:
    login(page, "ufficio")
    watch.visit("/")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "document.fonts.check('600 16px \"Titillium Web\"') && "
        "[...document.fonts].some(f => f.family.includes('Titillium') && f.status === 'loaded')"
    )
    assert loaded, "Titillium Web did not load"
    watch.assert_clean("the home page fonts")


def test_htmx_inline_validation_and_the_language_switch_work_under_the_policy(
    page: Page, watch: Watch, login: Any, make_org: Any
) -> None:
    make_org(name="Comune di Bordeaux", country="FR", city="Bordeaux")
    login(page, "ufficio")
    watch.visit("/partner/nuovo/")
    main = page.locator("main")
    wikidata = main.get_by_label(label("ID Wikidata"))
    wikidata.fill("X123")
    wikidata.press("Tab")
    expect(page.locator("#id_wikidata_id-feedback")).to_contain_text("Q seguito da un numero")
    main.get_by_label(label("Nome")).press_sequentially("Comune di Bordeaux")
    expect(page.locator("#id_name-feedback")).to_contain_text("organizzazioni simili")
    # htmx was told not to inject its indicator <style>.
    assert page.evaluate("document.querySelectorAll('head style').length") == 0
    watch.assert_clean("the organisation form with htmx checks")

    page.get_by_role("form", name="Lingua").get_by_role("button", name="English").click()
    expect(page.locator("html main[lang=en]")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    watch.assert_clean("the form in English")
    page.get_by_role("button", name="Italiano").click()
    expect(page.locator("html main[lang=it]")).to_be_visible()
    watch.assert_clean("the form back in Italian")


def test_the_mobile_menu_opens_under_the_policy(page: Page, watch: Watch, login: Any) -> None:
    """Bootstrap Italia's own script (the collapsible menu) runs: the bundle is not blocked."""
    page.set_viewport_size({"width": 400, "height": 800})
    login(page, "ufficio")
    watch.visit("/")
    menu = page.locator("#main-nav")
    expect(menu.get_by_role("link", name="Organizzazioni")).not_to_be_visible()
    page.get_by_role("button", name="Mostra o nascondi il menu").click()
    expect(menu.get_by_role("link", name="Organizzazioni")).to_be_visible()
    watch.assert_clean("the mobile menu")


def test_swagger_ui_renders_and_calls_the_api_under_the_policy(
    page: Page, watch: Watch, login: Any
) -> None:
    login(page, "ufficio")
    watch.visit("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Ponti API")
    operation = page.locator(".opblock-get").filter(
        has=page.locator('.opblock-summary-path[data-path="/api/v1/organisations"]')
    )
    # Swagger UI's deep linking rewrites the URL's fragment on this click, and with a spec this
    # size its re-render can hold the page past Playwright's wait for that "navigation".
    operation.locator("button.opblock-summary-control").click(no_wait_after=True)
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table")
    expect(answer.locator("tbody .response-col_status").first).to_contain_text("200")
    expect(answer).to_contain_text('"items"')
    watch.assert_clean("Swagger UI")
