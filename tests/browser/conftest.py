"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

- One Chromium per session (pytest-playwright's `browser`), one fresh context per test.
- Chromium missing: the tests skip with the reason, except when CI is set, where it is an
  error (CI must never pass with its browser tests silently skipped).
- `assert_accessible(page)` runs axe-core and fails with its readable report; with
  PONTI_SCREENSHOTS=1 it also saves a full-page screenshot to /work/main/screenshots/.
- Live-server tests use transactional databases, flushed after each test: the rows the data
  migrations create (the default ente, the sectors, the budget classification) are put back before and after each test,
  so that neither these tests nor the tests that run after them find an empty registry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import reporting
from tests.conftest import PASSWORD, restore_migration_data

CHROMIUM = Path(os.environ.get("PONTI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS_DIR = Path(__file__).resolve().parents[2] / "screenshots"
TRUTHY = {"1", "true", "yes", "on"}

# Every page axe-core checked in this run (url, label): reported at the end of the session.
AXE_CHECKED: list[tuple[str, str]] = []


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in TRUTHY


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
            "(Playwright cannot download its own browsers here)"
        )
        if _env_flag("CI"):
            pytest.fail(f"{reason}. CI is set, so the browser tests must run, not skip.")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 900},
        "locale": "it-IT",
        "timezone_id": "Europe/Rome",
    }


@pytest.fixture(autouse=True)
def _browser_defaults(page: Any) -> None:
    from playwright.sync_api import expect

    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)


# --- data the migrations create, lost at each flush ---------------------------------------


def _restore_migration_data() -> None:
    restore_migration_data()


def _is_test_database() -> bool:
    from django.db import connection

    name = str(connection.settings_dict.get("NAME") or "")
    return "memorydb" in name or ":memory:" in name or Path(name).name.startswith("test")


@pytest.fixture(autouse=True)
def _migration_data(live_server: Any, transactional_db: Any) -> None:
    _restore_migration_data()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    result = yield
    # After the flush; when nextitem is None the test database is already gone.
    if nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            if _is_test_database():
                _restore_migration_data()
    return result


# --- helpers -------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "page"


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot in screenshots/ when PONTI_SCREENSHOTS=1 (for people to look at)."""
    if not _env_flag("PONTI_SCREENSHOTS"):
        return
    SCREENSHOTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_DIR / f"{_slug(name)}.png"), full_page=True)


def assert_accessible(page: Any, name: str | None = None) -> None:
    """Run axe-core on the page as it is now; fail with axe's report if anything is wrong.

    `name` labels the screenshot and the end-of-run summary; it defaults to the page's path.
    Tests get it as the `assert_accessible` fixture: pytest imports this conftest under its
    own module name, and importing it again from a test would make a second copy.
    """
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    expect(page.locator("main#main")).to_be_visible()
    label = name or "/" + page.url.split("//", 1)[-1].split("/", 1)[-1]
    screenshot(page, label)
    results = Axe().run(page)
    assert results.violations_count == 0, (
        f"axe-core found {results.violations_count} violation(s) on {page.url} ({label}):\n"
        f"{results.generate_report()}"
    )
    AXE_CHECKED.append((page.url, label))
    reporting.append("axe", [page.url, label])


def login(page: Any, username: str, password: str = PASSWORD, *, check: bool = False) -> None:
    """Log in through the real login form; with check=True, also run axe on the login page."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    if check:
        assert_accessible(page, "login")
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("button", name="Esci")).to_be_visible()


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture() -> Callable[..., None]:
    """`assert_accessible(page, name=None)`: axe-core finds nothing, or the test fails."""
    return assert_accessible


@pytest.fixture(name="login")
def login_fixture(personas: dict[str, Any]) -> Callable[..., None]:
    """`login(page, "ufficio")`: the personas exist, and this one logs in through the form."""
    return login
