"""Fixtures for single sign-on tests against a real OpenID Connect provider (this folder),
started once per session as a subprocess on a free port of 127.0.0.1. A pytest plugin, loaded
by tests/conftest.py, so that tests/oidc and tests/browser share the one provider.

- django-oidc-provider missing (an old .venv): the tests skip with the reason, except when CI
  is set, where it is an error, as for the browser tests.
- `sso` turns single sign-on on in Ponti's settings for one test, pointed at that provider.
- `sso_login(client, username)` is a person logging in: Ponti's test client asks Ponti for the
  login, a real HTTP session logs in at the provider and follows its redirects, and the test
  client brings the code back to Ponti's callback, which talks to the provider itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PONTI = "http://testserver"
CALLBACK = f"{PONTI}/oidc/callback/"
CLIENT_ID = "ponti"
STARTUP_SECONDS = 60
TRUTHY = {"1", "true", "yes", "on"}
PROVIDER_PASSWORD = "provider-password"  # every test person's, at the test provider only


@dataclass
class IdentityProvider:
    url: str
    people: Path
    db: Path
    client_secret: str
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def add_person(
        self,
        username: str,
        *,
        sub: str | None = None,
        claims: dict[str, Any] | None = None,
        id_token: dict[str, Any] | None = None,
        tamper: dict[str, Any] | None = None,
        password: str = PROVIDER_PASSWORD,
    ) -> None:
        """Write (or rewrite) a person the provider vouches for (people.py)."""
        data = {
            "password": password,
            "sub": sub or f"sub-{username}",
            "claims": claims or {},
            "id_token": id_token or {},
            "tamper": tamper or {},
        }
        path = self.people / f"{username}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)

    def allow_site(self, base_url: str) -> None:
        """Register one more Ponti for the client: its callback and its home after logout (a
        live server's address, known only once it runs)."""
        import sqlite3

        with sqlite3.connect(self.db) as db:
            for column, uri in (
                ("_redirect_uris", f"{base_url}/oidc/callback/"),
                ("_post_logout_redirect_uris", f"{base_url}/"),
            ):
                (current,) = db.execute(
                    f"SELECT {column} FROM oidc_provider_client WHERE client_id = ?",  # noqa: S608 - our column names
                    (CLIENT_ID,),
                ).fetchone()
                if uri not in current.splitlines():
                    db.execute(
                        f"UPDATE oidc_provider_client SET {column} = ? WHERE client_id = ?",  # noqa: S608
                        (f"{current}\n{uri}", CLIENT_ID),
                    )


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").strip().lower() in TRUTHY:
        pytest.fail(f"{reason}. CI is set, so the single sign-on tests must run, not skip.")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    if importlib.util.find_spec("oidc_provider") is None:
        _missing("django-oidc-provider is not installed: run `make install-test`")
    home = tmp_path_factory.mktemp("oidc_idp")
    people = home / "people"
    people.mkdir()
    secret = secrets.token_urlsafe(24)
    log = home / "provider.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PONTI_"))}
    env["PYTHONPATH"] = str(ROOT)
    command = [
        sys.executable,
        "-m",
        "tests.oidc_idp.serve",
        "--db",
        str(home / "provider.sqlite3"),
        "--people",
        str(people),
        "--client-id",
        CLIENT_ID,
        # One argument with "=": a secret may start with "-", which argparse would take for an option.
        f"--client-secret={secret}",
        "--redirect-uri",
        CALLBACK,
        "--post-logout-uri",
        f"{PONTI}/",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own fixed command
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        url = _wait_until_listening(process, log)
        yield IdentityProvider(url, people, home / "provider.sqlite3", secret, log, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_listening(process: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    url = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The identity provider stopped:\n{log.read_text(errors='replace')}")
        if url is None:
            found = re.search(r"listening (http://\S+)", log.read_text(errors="replace"))
            url = found.group(1) if found else None
        if url is not None:
            try:
                discovery = f"{url}/openid/.well-known/openid-configuration"
                if requests.get(discovery, timeout=2).status_code == 200:
                    return url
            except requests.RequestException:
                pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"The identity provider did not answer in time:\n{log.read_text(errors='replace')}")


@pytest.fixture
def sso(settings: Any, identity_provider: IdentityProvider) -> IdentityProvider:
    """Single sign-on on, as PONTI_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET would set it."""
    settings.PONTI_OIDC_ENABLED = True
    settings.PONTI_OIDC_ISSUER = identity_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = identity_provider.client_secret
    backends = [b for b in settings.AUTHENTICATION_BACKENDS if not b.endswith(".OIDCBackend")]
    backends.insert(-1, "ponti.accounts.oidc.OIDCBackend")
    settings.AUTHENTICATION_BACKENDS = backends
    return identity_provider


@dataclass
class Login:
    """What happened: Ponti's request to the provider, the provider's redirect back (code,
    state), Ponti's answer, and the browser's session at the provider."""

    authorize_url: str
    callback: str
    response: Any
    browser: requests.Session  # the browser's cookies at the provider

    @property
    def authorize(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.authorize_url).query)


def at_provider(authorize_url: str, username: str, password: str, browser: requests.Session) -> str:
    """A person at the provider: its login form, then its redirects, until it sends the browser
    back to Ponti. Returns that address (Ponti's callback with a code and a state)."""
    url = authorize_url
    for _step in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="password"' in response.text:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
            assert token, response.text
            response = browser.post(
                url,
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "username": username,
                    "password": password,
                    "next": parse_qs(urlsplit(url).query).get("next", [""])[0],
                },
                headers={"Referer": url},
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (301, 302), (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
        if url.startswith(PONTI):
            return url
    raise AssertionError("the provider never sent the browser back to Ponti")


@pytest.fixture
def sso_login(sso: IdentityProvider) -> Callable[..., Login]:
    def login(
        client: Any,
        username: str,
        *,
        next_url: str | None = None,
        password: str = PROVIDER_PASSWORD,
        tamper_callback: Callable[[str], str] | None = None,
    ) -> Login:
        start = client.get("/oidc/authenticate/", {"next": next_url} if next_url else {})
        assert start.status_code == 302, start
        authorize_url = start["Location"]
        assert authorize_url.startswith(sso.issuer + "/authorize")
        browser = requests.Session()
        back = at_provider(authorize_url, username, password, browser)
        if tamper_callback is not None:
            back = tamper_callback(back)
        response = client.get(back[len(PONTI) :])
        return Login(authorize_url, back, response, browser)

    return login
