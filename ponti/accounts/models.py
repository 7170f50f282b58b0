"""Users, their enti and their personal API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.models import Ente

TOKEN_PREFIX = "ponti_"


class User(AbstractUser):
    enti = models.ManyToManyField(
        Ente,
        blank=True,
        related_name="users",
        verbose_name=_("enti"),
        help_text=_("L'utente vede e modifica solo le relazioni di questi enti."),
    )

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def default_ente(self) -> Ente | None:
        return self.enti.order_by("pk").first()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("utente"),
    )
    name = models.CharField(_("nome"), max_length=80)
    prefix = models.CharField(_("inizio"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def audit_parents(self) -> list[Any]:
        return [self.user]

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple[ApiToken, str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=hash_token(raw)
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> Any:
        token = (
            cls.objects.active()
            .select_related("user")
            .filter(token_hash=hash_token(raw), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        # Written at most once a minute: no write per API call.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
