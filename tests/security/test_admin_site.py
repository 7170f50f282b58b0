"""The Django admin is for the installation's operators (superusers) only: an ente's
Amministratore, or anyone else, cannot read or delete anything through it."""

from __future__ import annotations

import pytest
from django.test import Client

from ponti.accounts.models import User
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def florence_meeting(ente):
    from ponti.meetings.models import Meeting

    return Meeting.objects.create(
        ente=ente, title="Incontro riservato con il console", confidentiality="riservato"
    )


ADMIN_URLS = [
    "/admin/",
    "/admin/meetings/meeting/",
    "/admin/accounts/user/",
    "/admin/core/auditevent/",
    "/admin/partners/person/",
]


@pytest.mark.parametrize("role", ROLES)
def test_no_ente_role_opens_the_django_admin(make_user, other_ente, role, florence_meeting):
    user = make_user(role, username=f"{role}-prato", enti=[other_ente])
    client = Client()
    client.force_login(user)
    for url in [*ADMIN_URLS, f"/admin/meetings/meeting/{florence_meeting.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(
        f"/admin/meetings/meeting/{florence_meeting.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    florence_meeting.refresh_from_db()


def test_an_entes_amministratore_cannot_log_into_the_admin(make_user, ente):
    make_user("amministratore", username="capo", enti=[ente])
    client = Client()
    page = client.post(
        "/admin/login/", {"username": "capo", "password": "ponti-test-password"}
    ).content.decode()
    assert client.get("/admin/").status_code == 302
    assert "superutente" in page.lower() or "non" in page.lower()


def test_a_superuser_opens_the_admin(db):
    root = User.objects.create_superuser("root", "root@example.org", "Root-Password-2026")
    client = Client()
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_no_demo_user_is_staff(personas):
    assert not User.objects.filter(is_staff=True).exists()
