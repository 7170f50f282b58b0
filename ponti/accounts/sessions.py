"""A user's browser sessions and API tokens end when the password changes or the user is
deactivated: whoever held them must prove again who they are.

Sessions are remembered at login (`UserSession`), so they can be listed and ended; the
session store itself stays Django's. Django would also refuse an old session after a password
change (the session's auth hash no longer matches), but the rows would linger; here they go.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import ApiToken, UserSession


def remember_session(request: HttpRequest, user: Any) -> None:
    key = request.session.session_key
    if key:
        agent = request.META.get("HTTP_USER_AGENT", "")[:200]
        UserSession.objects.update_or_create(
            session_key=key, defaults={"user": user, "user_agent": agent}
        )


def end_sessions(user: Any, *, keep: str | None = None) -> int:
    """End every remembered browser session of `user` but `keep`; the number ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in UserSession.objects.filter(user=user).exclude(session_key=keep or ""):
        store(session_key=row.session_key).delete()
        row.delete()
        ended += 1
    return ended


def revoke_tokens(user: Any, reason: str) -> int:
    tokens = list(ApiToken.objects.active().filter(user=user))
    for token in tokens:
        token.revoke(reason)
    return len(tokens)


def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember_session(request, user)


def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    if request is not None and getattr(request, "session", None) is not None:
        UserSession.objects.filter(session_key=request.session.session_key or "").delete()


def _before_user_save(sender: Any, instance: Any, raw: bool, **kw: Any) -> None:
    instance._ponti_end_reason = None
    if raw or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["is_active"] and not instance.is_active:
        instance._ponti_end_reason = _("utente disattivato")
    elif old["password"] != instance.password:
        instance._ponti_end_reason = _("password cambiata")


def _after_user_save(sender: Any, instance: Any, raw: bool, **kw: Any) -> None:
    reason = getattr(instance, "_ponti_end_reason", None)
    if raw or not reason:
        return
    instance._ponti_end_reason = None
    end_sessions(instance)
    revoke_tokens(instance, reason)


def connect_signals() -> None:
    user_model = get_user_model()
    user_logged_in.connect(_logged_in, dispatch_uid="ponti_remember_session")
    user_logged_out.connect(_logged_out, dispatch_uid="ponti_forget_session")
    pre_save.connect(_before_user_save, sender=user_model, dispatch_uid="ponti_user_ends")
    post_save.connect(_after_user_save, sender=user_model, dispatch_uid="ponti_user_ended")
