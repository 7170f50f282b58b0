"""Login lockout is per account, whatever address the attempts come from, with a delay that
grows; attempts during a lock do not lengthen it; a reset link clears it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from ponti.accounts.models import LoginThrottle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _try(password: str, address: str, username: str = "ufficio") -> int:
    # A new client per attempt, from a new address: as an attacker behind a botnet, or
    # every user behind one load balancer.
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code


def _expire_lock(username: str = "ufficio") -> None:
    LoginThrottle.objects.filter(username=username).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_the_lock_follows_the_account_not_the_address(personas):
    for n in range(3):
        _try("wrong", f"10.0.0.{n}")
    assert _try(PASSWORD, "192.168.1.1") == 429


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_one_account_locked_does_not_lock_the_others(personas):
    for _ in range(3):
        _try("wrong", "10.0.0.1")
    assert _try(PASSWORD, "10.0.0.1", username="revisore") == 302


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_each_failure_after_a_lock_doubles_the_delay(personas):
    for _ in range(3):
        _try("wrong", "10.0.0.1")
    first = LoginThrottle.objects.get(username="ufficio").locked_until - timezone.now()
    assert datetime.timedelta(minutes=9) < first <= datetime.timedelta(minutes=10)
    _expire_lock()
    _try("wrong", "10.0.0.1")
    second = LoginThrottle.objects.get(username="ufficio").locked_until - timezone.now()
    assert datetime.timedelta(minutes=19) < second <= datetime.timedelta(minutes=20)
    _expire_lock()
    _try("wrong", "10.0.0.1")
    third = LoginThrottle.objects.get(username="ufficio").locked_until - timezone.now()
    assert datetime.timedelta(minutes=39) < third <= datetime.timedelta(minutes=40)


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_attempts_during_the_lock_are_refused_without_lengthening_it(personas):
    for _ in range(3):
        _try("wrong", "10.0.0.1")
    until = LoginThrottle.objects.get(username="ufficio").locked_until
    for _ in range(5):
        assert _try("wrong", "10.0.0.1") == 429
    row = LoginThrottle.objects.get(username="ufficio")
    assert row.locked_until == until and row.failures == 3


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_the_page_says_how_long_the_lock_lasts(personas):
    for _ in range(2):
        _try("wrong", "10.0.0.1")
    client = Client()
    response = client.post("/accounts/login/", {"username": "ufficio", "password": "wrong"})
    assert response.status_code == 429
    assert "10 minuti" in response.content.decode()


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_a_successful_login_clears_the_count(personas):
    for _ in range(2):
        _try("wrong", "10.0.0.1")
    assert _try(PASSWORD, "10.0.0.1") == 302
    assert not LoginThrottle.objects.filter(username="ufficio").exists()


@override_settings(PONTI_LOCKOUT_FAILURES=3, PONTI_LOCKOUT_MINUTES=10)
def test_the_username_is_matched_whatever_its_case(personas):
    for _ in range(3):
        _try("wrong", "10.0.0.1", username="UFFICIO")
    assert _try(PASSWORD, "10.0.0.1") == 429
