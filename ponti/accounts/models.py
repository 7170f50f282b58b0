"""Users, their enti and their personal API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS, Confidentiality
from ponti.core.models import AuditedQuerySet, Ente, Versioned
from ponti.core.roles import ROLE_DEFINITIONS, Role

TOKEN_PREFIX = "ponti_"
# A token lives at most this long; the default is shorter.
TOKEN_MAX_DAYS = 365
TOKEN_DEFAULT_DAYS = 90


def _default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=TOKEN_DEFAULT_DAYS)


class User(Versioned, AbstractUser):
    enti = models.ManyToManyField(
        Ente,
        through="Membership",
        through_fields=("user", "ente"),
        blank=True,
        related_name="users",
        verbose_name=_("enti"),
        help_text=_("L'utente vede e modifica solo le relazioni di questi enti."),
    )
    # The provider's stable identifier (`sub`) of a user who logs in by single sign-on
    # (accounts/oidc.py): users are matched by it, never by e-mail alone.
    oidc_subject = models.CharField(
        _("identificativo presso il fornitore di identità"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def default_ente(self) -> Ente | None:
        return self.enti.order_by("pk").first()

    # The change log files a user's events under their (first) ente, as the office's staff
    # data: readers of another ente's log do not see them.
    def audit_ente(self) -> int | None:
        pending = getattr(self, "_audit_ente", None)
        if pending is not None:
            return int(pending)
        return self.memberships.order_by("pk").values_list("ente_id", flat=True).first()

    def audit_confidentiality(self) -> str:
        return "interno"


class Membership(models.Model):
    """A user's place in one ente: a role (what they may do) and a clearance (what they read)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utente"),
    )
    ente = models.ForeignKey(
        Ente, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("ente")
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    clearance = models.CharField(
        _("livello di riservatezza"),
        max_length=10,
        choices=Confidentiality.choices,
        help_text=_(
            "Il livello più alto che l'utente legge fra i record di questo ente; "
            "non oltre quello previsto dal ruolo."
        ),
    )
    created_at = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)

    objects = AuditedQuerySet["Membership"].as_manager()

    class Meta:
        ordering = ["ente__name", "user__username"]
        verbose_name = _("appartenenza a un ente")
        verbose_name_plural = _("appartenenze agli enti")
        constraints = [
            models.UniqueConstraint(fields=["user", "ente"], name="membership_one_per_ente"),
            models.CheckConstraint(
                condition=models.Q(clearance__in=Confidentiality.values),
                name="membership_clearance_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.ente} · {self.get_role_display()}"

    # The audit trail files a change of role under the user and under the ente.
    def audit_parents(self) -> list[Any]:
        return [self.user, self.ente]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.role and self.clearance:
            ceiling = ROLE_DEFINITIONS[self.role].clearance
            if CONFIDENTIALITY_LEVELS[self.clearance] > ceiling:
                raise ValidationError(
                    {
                        "clearance": _(
                            "Il ruolo «%(role)s» legge al massimo il livello «%(level)s»."
                        )
                        % {
                            "role": Role(self.role).label,
                            "level": Confidentiality.choices[ceiling][1],
                        }
                    }
                )

    @staticmethod
    def default_clearance(role: str) -> str:
        return Confidentiality.choices[ROLE_DEFINITIONS[role].clearance][0]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once.

    It has a name (what it is for), an expiry, and the time it was last used. It ends when it
    expires, when it is revoked (by its owner or an Amministratore of the owner's enti), and
    when its owner's password changes or the owner is deactivated.
    """

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
    expires_at = models.DateTimeField(_("scade il"), default=_default_expiry)
    last_used_at = models.DateTimeField(_("ultimo uso"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(_("motivo della revoca"), max_length=120, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def audit_parents(self) -> list[Any]:
        return [self.user]

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"

    def get_state_display(self) -> str:
        return str(
            {"revoked": _("revocato"), "expired": _("scaduto"), "active": _("attivo")}[self.state]
        )

    @classmethod
    def issue(
        cls, user: Any, name: str, expires_at: datetime.datetime | None = None
    ) -> tuple[ApiToken, str]:
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            token_hash=hash_token(raw),
            expires_at=expires_at or _default_expiry(),
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

    def revoke(self, reason: str = "") -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_reason = reason[:120]
            self.save(update_fields=["revoked_at", "revoked_reason"])


class UserSession(models.Model):
    """A browser session of a user, so that it can be listed and ended (password change,
    deactivation, "log out everywhere"). The session itself lives in Django's session store."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="browser_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sessione")
        verbose_name_plural = _("sessioni")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed logins of one account, whatever the address they come from: behind a load
    balancer every request has the balancer's address, so an address says nothing.

    From the Nth failure on, each failure locks the account for twice as long as the last.
    """

    username = models.CharField(max_length=150, unique=True)  # case-folded
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("blocco degli accessi")
        verbose_name_plural = _("blocchi degli accessi")

    def __str__(self) -> str:
        return f"{self.username}: {self.failures}"
