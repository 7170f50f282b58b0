"""Small locator helpers shared by the browser tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator


def label(text: str) -> re.Pattern[str]:
    """A field's label: its text, then maybe the required marker ("Nome *(obbligatorio)")."""
    return re.compile(rf"^{re.escape(text)}(\s|\*|\(|$)")


def tick(scope: Locator, name: str) -> None:
    """Tick a checkbox as people do: Bootstrap Italia draws the box on the label, over the input."""
    scope.locator("label").filter(has_text=label(name)).click()
