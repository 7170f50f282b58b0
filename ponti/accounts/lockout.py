"""Login lockout per account, with a growing delay.

Counted per account, never per address: behind a load balancer every login comes from the
balancer's address, and keying on it would let one attacker lock everyone out. After
`PONTI_LOCKOUT_FAILURES` failures in a row the account is locked for `PONTI_LOCKOUT_MINUTES`;
each further failure, once the lock has passed, doubles the delay (up to a day). Attempts
while locked are refused without checking the password and do not lengthen the lock. A
successful login, or an Amministratore's password reset, clears the count.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import LoginThrottle

MAX_DELAY = datetime.timedelta(days=1)


def _key(username: Any) -> str:
    return str(username or "").strip().casefold()[:150]


def _delay(failures: int) -> datetime.timedelta:
    limit = settings.PONTI_LOCKOUT_FAILURES
    if failures < limit:
        return datetime.timedelta(0)
    base = datetime.timedelta(minutes=settings.PONTI_LOCKOUT_MINUTES)
    return min(base * 2 ** min(failures - limit, 20), MAX_DELAY)


def locked_until(username: Any) -> datetime.datetime | None:
    """When the account's lock ends, or None if it may log in now."""
    if not settings.PONTI_LOCKOUT_ENABLED:
        return None
    row = LoginThrottle.objects.filter(username=_key(username)).first()
    if row is None or row.locked_until is None or row.locked_until <= timezone.now():
        return None
    return row.locked_until


def minutes_left(until: datetime.datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def record_failure(username: Any) -> None:
    key = _key(username)
    if not key or not settings.PONTI_LOCKOUT_ENABLED or locked_until(key) is not None:
        return
    now = timezone.now()
    with transaction.atomic():
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(username=key)
        # One UPDATE, so that concurrent failures all count.
        LoginThrottle.objects.filter(pk=row.pk).update(
            failures=F("failures") + 1, last_failure_at=now
        )
        row.refresh_from_db()
        delay = _delay(row.failures)
        if delay:
            LoginThrottle.objects.filter(pk=row.pk).update(locked_until=now + delay)


def clear(username: Any) -> None:
    LoginThrottle.objects.filter(username=_key(username)).delete()


class LockoutBackend:
    """First in AUTHENTICATION_BACKENDS: a locked account is refused before its password is
    checked, so guessing during the lock learns nothing. It has no `get_user`, so Django never
    takes it for the backend a session belongs to."""

    def authenticate(self, request: HttpRequest | None, username: Any = None, **kw: Any) -> Any:
        if username and locked_until(username) is not None:
            raise PermissionDenied  # stops Django trying the other backends
        return None


def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    record_failure(credentials.get("username"))


def _succeeded(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    clear(user.get_username())


def connect_signals() -> None:
    user_login_failed.connect(_failed, dispatch_uid="ponti_lockout_failed")
    user_logged_in.connect(_succeeded, dispatch_uid="ponti_lockout_cleared")
