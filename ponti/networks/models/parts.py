"""A membership's parts: roles over time, working groups and forums, yearly fees."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.models import AuditedQuerySet, TimeStamped, Versioned
from ponti.partners.models import Person

from .memberships import YEAR, Membership, _date_or_year, _end, _start, _year_of


class MembershipPartQuerySet(AuditedQuerySet[Any]):
    """Roles, working groups and fees are seen with their membership, by its ente and clearance."""

    def for_user(self, user: Any) -> MembershipPartQuerySet:
        return self.filter(membership__in=Membership.objects.for_user(user))


class MembershipPart(TimeStamped, Versioned):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, verbose_name=_("adesione"))

    objects = MembershipPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def audit_parents(self) -> list[Any]:
        return [self.membership]

    def audit_confidentiality(self) -> str:
        return self.membership.confidentiality

    @property
    def ente_id(self) -> int | None:
        """The membership's ente: the audit trail shows the change only to that ente's users."""
        return self.membership.ente_id if self.membership_id else None


class RoleKind(models.TextChoices):
    MEMBRO = "membro", _("Membro")
    COMITATO_ESECUTIVO = "comitato_esecutivo", _("Comitato esecutivo")
    PRESIDENZA = "presidenza", _("Presidenza")
    VICEPRESIDENZA = "vicepresidenza", _("Vicepresidenza")
    PRESIDENZA_GRUPPO = "presidenza_gruppo", _("Presidenza di un gruppo di lavoro o forum")
    ALTRO = "altro", _("Altro")


class MembershipRole(MembershipPart):
    """A role the ente holds in the network over a period (executive committee, vice-chair…)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="roles", verbose_name=_("adesione")
    )
    kind = models.CharField(_("ruolo"), max_length=20, choices=RoleKind.choices)
    detail = models.CharField(
        _("dettaglio"),
        max_length=200,
        blank=True,
        help_text=_("Es. il nome del forum presieduto, o dove è avvenuta l'elezione."),
    )
    start_date = models.DateField(_("dal"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("dall'anno"),
        null=True,
        blank=True,
        validators=YEAR,
        help_text=_("Se si conosce solo l'anno."),
    )
    end_date = models.DateField(_("al"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        _("all'anno"),
        null=True,
        blank=True,
        validators=YEAR,
        help_text=_("Se si conosce solo l'anno."),
    )

    class Meta:
        ordering = [
            F("start_date").asc(nulls_last=True),
            F("start_year").asc(nulls_last=True),
            "pk",
        ]
        verbose_name = _("ruolo nella rete")
        verbose_name_plural = _("ruoli nella rete")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="role_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="role_end_year_after_start_year",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_year__isnull=True),
                name="role_start_date_or_year",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_year__isnull=True),
                name="role_end_date_or_year",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}, {self.detail}" if self.detail else self.get_kind_display()
        )

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _date_or_year(errors, self.start_date, self.start_year, "start_year")
        _date_or_year(errors, self.end_date, self.end_year, "end_year")
        start_year = _year_of(self.start_date, self.start_year)
        end_year = _year_of(self.end_date, self.end_year)
        ends_before = (self.start_date and self.end_date and self.end_date < self.start_date) or (
            start_year and end_year and end_year < start_year
        )
        if ends_before:
            field = "end_date" if self.end_date else "end_year"
            errors.setdefault(field, []).append(
                str(_("La fine del ruolo non può precedere l'inizio."))
            )
        if errors:
            raise ValidationError(errors)

    @property
    def starts_on(self) -> datetime.date | None:
        return _start(self.start_date, self.start_year)

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        start, end = self.starts_on, _end(self.end_date, self.end_year)
        return (start is None or start <= today) and (end is None or end >= today)


class WorkingGroup(MembershipPart):
    class Kind(models.TextChoices):
        GRUPPO = "gruppo", _("Gruppo di lavoro")
        FORUM = "forum", _("Forum")
        TASK_FORCE = "task_force", _("Task force")

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="working_groups",
        verbose_name=_("adesione"),
    )
    name = models.CharField(_("nome"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.GRUPPO)
    representatives = models.ManyToManyField(
        Person, blank=True, related_name="network_working_groups", verbose_name=_("rappresentanti")
    )
    since_year = models.PositiveSmallIntegerField(
        _("dall'anno"), null=True, blank=True, validators=YEAR
    )
    until_year = models.PositiveSmallIntegerField(
        _("fino all'anno"),
        null=True,
        blank=True,
        validators=YEAR,
        help_text=_("Vuoto se la partecipazione continua."),
    )
    notes = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("gruppo di lavoro o forum")
        verbose_name_plural = _("gruppi di lavoro e forum")
        constraints = [
            models.UniqueConstraint(fields=["membership", "name"], name="working_group_once"),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True)
                | Q(since_year__isnull=True)
                | Q(until_year__gte=F("since_year")),
                name="working_group_until_after_since",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.since_year and self.until_year and self.until_year < self.since_year:
            errors["until_year"] = [
                str(_("La fine della partecipazione non può precedere l'inizio."))
            ]
        if self.membership_id and self.name:
            taken = WorkingGroup.objects.filter(
                membership_id=self.membership_id, name__iexact=self.name.strip()
            )
            if taken.exclude(pk=self.pk).exists():
                errors["name"] = [str(_("Questo gruppo è già registrato per l'adesione."))]
        if errors:
            raise ValidationError(errors)


class FeeQuerySet(MembershipPartQuerySet):
    def unpaid(self) -> FeeQuerySet:
        return self.filter(paid=False)


class Fee(MembershipPart):
    """The yearly membership fee: an expenditure the planning app will charge to a budget line."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="fees", verbose_name=_("adesione")
    )
    year = models.PositiveSmallIntegerField(_("anno"), validators=YEAR)
    amount = models.DecimalField(
        _("importo (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    paid = models.BooleanField(_("pagata"), default=False)
    paid_on = models.DateField(_("pagata il"), null=True, blank=True)
    notes = models.CharField(_("note"), max_length=500, blank=True)

    objects = FeeQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("quota annuale")
        verbose_name_plural = _("quote annuali")
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_fee_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_not_negative"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid=True), name="fee_paid_on_only_if_paid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.network} {self.year}: {self.amount} €"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.paid_on and not self.paid:
            errors["paid"] = [
                str(_("Una quota con la data di pagamento è pagata: spunta «pagata»."))
            ]
        same_year = Fee.objects.filter(membership_id=self.membership_id, year=self.year)
        if self.membership_id and self.year and same_year.exclude(pk=self.pk).exists():
            errors["year"] = [
                str(_("La quota del %(year)s è già registrata: modificala.") % {"year": self.year})
            ]
        if errors:
            raise ValidationError(errors)
