"""Security headers on every page: a strict Content-Security-Policy with nonces, the
Permissions-Policy and the others; /healthz answers load balancers over plain HTTP.

The browser test (tests/browser/test_browser_csp.py) proves the pages work under the policy;
these prove the policy is there, is strict, and that every inline script is one it allows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accessibilita/", "/privacy/"]
STAFF_PAGES = [
    "/partner/",
    "/partner/nuovo/",
    "/partner/persone/",
    "/accordi/",
    "/reti/",
    "/incontri/",
    "/incontri/calendario/",
    "/incontri/azioni/",
    "/programmazione/",
    "/programmazione/capitoli/",
    "/registro-modifiche/",
    "/api/v1/docs",
]

SCRIPT_TAG = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def policy_of(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_strict(policy: dict[str, list[str]], where: str) -> None:
    for directive in ("script-src", "style-src"):
        values = policy[directive]
        assert "'self'" in values, (where, directive, values)
        assert not any("unsafe" in v for v in values), (where, directive, values)
        assert "*" not in values and "data:" not in values, (where, directive, values)
    assert policy["default-src"] == ["'self'"], where
    assert policy["object-src"] == ["'none'"], where
    assert policy["base-uri"] == ["'none'"], where
    assert policy["form-action"] == ["'self'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["connect-src"] == ["'self'"], where
    assert policy["img-src"] == ["'self'", "data:"], where
    assert policy["font-src"] == ["'self'", "data:"], where


def assert_scripts_allowed(html: str, policy: dict[str, list[str]], where: str) -> None:
    """Every inline script carries this response's nonce or is allowed by its exact hash."""
    nonces = [v[len("'nonce-") : -1] for v in policy["script-src"] if v.startswith("'nonce-")]
    for match in SCRIPT_TAG.finditer(html):
        attrs, body = match.group("attrs"), match.group("body")
        nonce = re.search(r'\snonce="([^"]*)"', attrs)
        if nonce:
            assert nonce.group(1) in nonces, f"{where}: a stale or foreign nonce in <script{attrs}>"
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue  # a file from 'self', or data the browser never runs
        assert nonce or sha256_source(body) in policy["script-src"], (
            f"{where}: an inline script the policy blocks: <script{attrs}>{body[:80]}"
        )


@pytest.fixture
def staff_client(client: Any, personas: dict[str, Any]) -> Any:
    client.force_login(personas["amministratore"])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_public_pages_send_a_strict_policy_that_allows_their_scripts(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    policy = policy_of(response)
    assert_strict(policy, url)
    assert_scripts_allowed(response.content.decode(), policy, url)


@pytest.mark.django_db
@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_send_a_strict_policy_that_allows_their_scripts(
    staff_client: Any, url: str
) -> None:
    response = staff_client.get(url)
    assert response.status_code == 200, url
    policy = policy_of(response)
    assert_strict(policy, url)
    assert_scripts_allowed(response.content.decode(), policy, url)


@pytest.mark.django_db
def test_error_pages_carry_the_policy_too(client: Any) -> None:
    response = client.get("/non-esiste/")
    assert response.status_code == 404
    assert_strict(policy_of(response), "404")


@pytest.mark.django_db
def test_the_nonce_is_new_for_every_response_and_the_same_in_header_and_page(client: Any) -> None:
    nonces = []
    for _ in range(2):
        response = client.get("/accounts/login/")
        policy = policy_of(response)
        (nonce,) = [v for v in policy["script-src"] if v.startswith("'nonce-")]
        nonces.append(nonce)
        value = nonce[len("'nonce-") : -1]
        assert f'nonce="{value}"' in response.content.decode()
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_the_themes_fixed_inline_scripts_are_allowed_by_their_hash(client: Any) -> None:
    """design-django-theme writes two inline scripts outside any block: hashed, not nonced."""
    response = client.get("/accounts/login/")
    html = response.content.decode()
    bodies = [m.group("body") for m in SCRIPT_TAG.finditer(html) if m.group("attrs") == ""]
    assert any("__PUBLIC_PATH__" in body for body in bodies)
    assert any("loadFonts" in body for body in bodies)
    for body in bodies:
        assert sha256_source(body) in policy_of(response)["script-src"]
    # A changed script is not allowed by the hash of the original.
    assert sha256_source(bodies[0] + " ") not in policy_of(response)["script-src"]


@pytest.mark.django_db
def test_htmx_is_told_not_to_eval_nor_to_inject_its_indicator_style(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config, "no htmx-config meta"
    assert json.loads(config.group(1)) == {"allowEval": False, "includeIndicatorStyles": False}


def test_no_template_has_inline_handlers_javascript_urls_style_attributes_or_bare_scripts() -> None:
    """Every template of every app, including those not rendered by the page tests above."""
    templates = [
        path
        for path in (ROOT / "ponti").rglob("*.html")
        if "templates" in path.parts and "locale" not in path.parts
    ]
    assert len(templates) > 50
    problems = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        if re.search(r"<[a-zA-Z][^<>]*\son[a-z]+\s*=", text):
            problems.append(f"{name}: inline event handler")
        if "javascript:" in text.lower():
            problems.append(f"{name}: javascript: URL")
        if re.search(r"<[a-zA-Z][^<>]*\sstyle\s*=", text):
            problems.append(f"{name}: style attribute")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>", text):
            attrs = match.group("attrs")
            if "src=" not in attrs and 'nonce="{{ csp_nonce }}"' not in attrs:
                problems.append(f"{name}: <script{attrs}> without src or nonce")
    assert problems == []


@pytest.mark.django_db
def test_the_objective_page_with_charts_has_no_style_attribute(staff_client: Any) -> None:
    from ponti.planning.demo import load_planning
    from ponti.planning.models import Objective

    load_planning()
    objective = Objective.objects.get(code="1901/0159")
    response = staff_client.get(f"/programmazione/obiettivi/{objective.pk}/")
    html = response.content.decode()
    assert 'class="ponti-chart"' in html
    assert not re.search(r"<[a-zA-Z][^<>]*\sstyle\s*=", html)
    assert "<style" not in html
    assert_scripts_allowed(html, policy_of(response), "objective")


@pytest.mark.django_db
def test_the_html_dup_sheet_allows_exactly_its_own_styles(staff_client: Any) -> None:
    from ponti.planning.demo import load_planning
    from ponti.planning.models import Objective

    load_planning()
    objective = Objective.objects.get(code="1901/0159")
    response = staff_client.get(f"/programmazione/obiettivi/{objective.pk}/scheda.html")
    assert response.status_code == 200
    html = response.content.decode()
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    assert styles
    policy = policy_of(response)
    assert [sha256_source(body) for body in styles] == policy["style-src"][1:]
    assert not any("unsafe" in v for v in policy["style-src"])
    # Other pages do not inherit the document's hashes.
    assert policy_of(staff_client.get("/programmazione/"))["style-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/docs", "/healthz"])
def test_every_response_sends_the_other_security_headers(client: Any, url: str) -> None:
    response = client.get(url)
    permissions = dict(
        item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()", feature
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_healthz_answers_plain_http_while_pages_redirect_to_https(
    client: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True  # read when the test client builds its handler
    assert client.get("/").status_code == 301
    assert client.get("/accounts/login/")["Location"].startswith("https://")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
answers = {}
for name, headers in {"direct": {}, "proxied": {"HTTP_X_FORWARDED_PROTO": "http"}}.items():
    client = Client(HTTP_HOST="ponti.example.org", **headers)
    for url in ("/healthz", "/accounts/login/"):
        response = client.get(url)
        answers[name + " " + url] = [response.status_code, response.get("Location")]
print(json.dumps(answers))
"""


def test_with_the_production_settings_healthz_is_200_over_http(tmp_path: Path) -> None:
    """The real settings module, as a deployment sets it: PONTI_SSL_REDIRECT left on."""
    # SQLite in tmp_path: the probe needs a database that answers, not the test run's one.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PONTI_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ponti.settings",
        PONTI_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        PONTI_ALLOWED_HOSTS="ponti.example.org",
        PONTI_BEHIND_PROXY="1",
        PONTI_VAR_DIR=str(tmp_path),
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    assert answers["direct /healthz"] == [200, None]
    assert answers["proxied /healthz"] == [200, None]
    assert answers["direct /accounts/login/"] == [
        301,
        "https://ponti.example.org/accounts/login/",
    ]
    assert answers["proxied /accounts/login/"][0] == 301
