"""Health, production settings and static files with DEBUG off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def _ponti(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PONTI_", "DJANGO_"))}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "ponti.manage", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_silent_with_the_production_variables(tmp_path):
    result = _ponti(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        PONTI_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        PONTI_ALLOWED_HOSTS="ponti.example.org",
        PONTI_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_without_a_secret_key_debug_off_refuses_to_start(tmp_path):
    result = _ponti("check", PONTI_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "PONTI_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_render_with_hashed_collected_static_files(tmp_path, client, settings, personas):
    """DEBUG off + hashed static: the theme's missing favicons must not turn pages into 500s."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "ponti.core.storage.LenientManifestStaticFilesStorage"},
    }
    staticfiles_storage._wrapped = mock.sentinel.empty  # reset the lazy storage
    from django.utils.functional import empty

    staticfiles_storage._wrapped = empty
    call_command("collectstatic", interactive=False, verbosity=0)
    try:
        for url in ["/", "/accounts/login/", "/accessibilita/", "/privacy/"]:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "bootstrap-italia.min." in html
        assert any(
            p.name.startswith("bootstrap-italia.min.") and p.name != "bootstrap-italia.min.css"
            for p in (tmp_path / "css").iterdir()
        )
        client.force_login(personas["ufficio"])
        assert client.get("/partner/").status_code == 200
    finally:
        staticfiles_storage._wrapped = empty
