"""Return addresses: every `next` Ponti follows stays on this site.

Each place that redirects to an address from the request is tried with the classic open-redirect
payloads; each must land on the view's own fallback, while a path on this site is still followed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from ponti.core.redirects import safe_next

ROOT = Path(__file__).resolve().parents[2]

EVIL = [
    "//evil.example",
    "//evil.example/incontri/",
    "https://evil.example",
    "http://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "https:evil.example",
    "http:///evil.example",
]


def assert_stays_here(response: Any, fallback: str, payload: str) -> None:
    assert response.status_code == 302, payload
    location = response["Location"]
    assert location == fallback, f"{payload!r} sent the user to {location!r}"


@pytest.mark.parametrize("payload", EVIL)
def test_the_helper_refuses_addresses_off_the_site(payload: str) -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, payload, "/incontri/azioni/") == "/incontri/azioni/"


@pytest.mark.parametrize(
    "good", ["/incontri/azioni/?tutte=1", "/partner/3/#persone", "http://testserver/reti/"]
)
def test_the_helper_follows_addresses_on_the_site(good: str) -> None:
    request = RequestFactory().get("/")
    assert safe_next(request, good, "/") == good


def test_the_helper_accepts_a_url_name_as_fallback() -> None:
    request: HttpRequest = RequestFactory().get("/")
    assert safe_next(request, "", "meetings:my_actions") == "/incontri/azioni/"
    assert safe_next(request, None, "meetings:my_actions") == "/incontri/azioni/"


def test_an_https_page_does_not_send_the_user_to_plain_http() -> None:
    request = RequestFactory().get("/", secure=True)
    assert safe_next(request, "http://testserver/reti/", "/") == "/"
    assert safe_next(request, "https://testserver/reti/", "/") == "https://testserver/reti/"


# --- each place in Ponti that follows a return address ------------------------------------


@pytest.fixture
def action(personas: dict[str, Any], ente: Any, make_org: Any) -> Any:
    from ponti.meetings import services
    from ponti.meetings.models import FollowUpAction

    return services.save_action(
        FollowUpAction(
            ente=ente,
            organisation=make_org(name="Reims"),
            description="Mandare il catalogo",
            owner=personas["ufficio"],
        ),
        user=personas["ufficio"],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("payload", EVIL)
def test_marking_an_action_done_never_redirects_off_the_site(
    client: Any, personas: dict[str, Any], action: Any, payload: str
) -> None:
    client.force_login(personas["ufficio"])
    response = client.post(f"/incontri/azioni/{action.pk}/fatta/", {"next": payload})
    assert_stays_here(response, "/incontri/azioni/", payload)


@pytest.mark.django_db
def test_marking_an_action_done_returns_to_the_page_it_came_from(
    client: Any, personas: dict[str, Any], action: Any
) -> None:
    client.force_login(personas["ufficio"])
    response = client.post(
        f"/incontri/azioni/{action.pk}/fatta/", {"next": "/incontri/azioni/?tutte=1"}
    )
    assert response["Location"] == "/incontri/azioni/?tutte=1"


@pytest.fixture
def make_member(make_org: Any) -> Any:
    from ponti.networks.models import NetworkMember

    network = make_org(name="Eurocities", kind="network", country="BE", city="Bruxelles")
    leipzig = make_org(name="Leipzig", country="DE", city="Leipzig")
    return lambda: NetworkMember.objects.create(network=network, member=leipzig, since_year=1991)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", EVIL)
def test_removing_a_network_member_never_redirects_off_the_site(
    client: Any, personas: dict[str, Any], make_member: Any, payload: str
) -> None:
    member = make_member()
    client.force_login(personas["ufficio"])
    response = client.post(f"/reti/membri/{member.pk}/elimina/", {"next": payload})
    assert_stays_here(response, f"/reti/membri/?network={member.network_id}", payload)


@pytest.mark.django_db
def test_removing_a_network_member_returns_to_the_organisation_page(
    client: Any, personas: dict[str, Any], make_member: Any
) -> None:
    member = make_member()
    client.force_login(personas["ufficio"])
    back = f"/partner/{member.member_id}/"
    response = client.post(f"/reti/membri/{member.pk}/elimina/", {"next": back})
    assert response["Location"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("payload", EVIL)
def test_logging_in_never_redirects_off_the_site(
    client: Any, personas: dict[str, Any], payload: str
) -> None:
    from tests.conftest import PASSWORD

    page = client.get("/accounts/login/", {"next": payload}).content.decode()
    hidden = re.search(r'name="next" value="([^"]*)"', page)
    assert hidden and hidden.group(1) == "", f"the login form carries {payload!r} on"
    response = client.post(
        "/accounts/login/", {"username": "ufficio", "password": PASSWORD, "next": payload}
    )
    assert_stays_here(response, "/", payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", EVIL)
def test_logging_out_never_redirects_off_the_site(
    client: Any, personas: dict[str, Any], payload: str
) -> None:
    client.force_login(personas["ufficio"])
    response = client.post("/accounts/logout/", {"next": payload})
    assert_stays_here(response, "/", payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", EVIL)
def test_switching_language_never_redirects_off_the_site(client: Any, payload: str) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": payload})
    assert_stays_here(response, "/", payload)
    referred = client.post("/i18n/setlang/", {"language": "it"}, HTTP_REFERER=payload)
    assert_stays_here(referred, "/", payload)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", EVIL)
def test_the_admin_login_never_redirects_off_the_site(client: Any, db: Any, payload: str) -> None:
    from ponti.accounts.models import User
    from tests.conftest import PASSWORD

    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    response = client.post(
        "/admin/login/", {"username": "root", "password": PASSWORD, "next": payload}
    )
    assert response.status_code == 302
    assert response["Location"] == "/", payload  # LOGIN_REDIRECT_URL


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ["/evil.example", "\\evil.example", "/%2F/evil.example"])
def test_the_theme_font_path_redirects_only_into_the_static_files(
    client: Any, payload: str
) -> None:
    response = client.get("/bootstrap-italia/dist/fonts/" + payload)
    assert response.status_code == 302
    assert response["Location"].startswith("/static/fonts/")


def test_every_return_address_in_ponti_goes_through_the_core_helper() -> None:
    """No view reads `next` (or a referer) and redirects to it by itself."""
    helper = ROOT / "ponti" / "core" / "redirects.py"
    pattern = re.compile(
        r"""(GET|POST)(\.get\(|\[)["'](next|return_to|back|redirect_to)["']|HTTP_REFERER"""
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in (ROOT / "ponti").rglob("*.py")
        if path != helper
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("candidate", ["reti", "a\x00b", "partners:organisation_list", "a b"])
def test_a_next_that_is_not_an_address_is_ignored(candidate: str) -> None:
    """A bare word would be reversed as a URL name (NoReverseMatch: a 500)."""
    request = RequestFactory().get("/")
    assert safe_next(request, candidate, "/partner/") == "/partner/"
