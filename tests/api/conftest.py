"""Fixtures of the API tests: clients that authenticate as a persona with a personal token."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.helpers import Api, token_client


@pytest.fixture
def api_as(personas: dict[str, Any]) -> Callable[[str], Api]:
    """`api_as("revisore")`: a client holding a token of that persona."""
    return lambda role: token_client(personas[role])


@pytest.fixture
def api(api_as: Callable[[str], Api]) -> Api:
    """A client of the international relations office (may read, write and delete)."""
    return api_as("ufficio")


# --- a real browser, for the docs page (same Chromium as tests/browser) ------------------------

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"{reason}. CI is set, so the browser tests must run, not skip.")
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
