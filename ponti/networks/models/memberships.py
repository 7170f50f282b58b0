"""Memberships: an ente in a network, since when, in which state, how reliable the data."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ponti.core.models import EnteOwned, EnteOwnedQuerySet, TimeStamped, Versioned
from ponti.partners.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from .parts import MembershipRole

YEAR = [MinValueValidator(1900), MaxValueValidator(2100)]
NETWORKS = {"kind": OrganisationKind.NETWORK}


class MembershipStatus(models.TextChoices):
    CANDIDATA = "candidata", _("Candidatura")
    ATTIVA = "attiva", _("Attiva")
    DA_CONFERMARE = "da_confermare", _("Adesione da confermare")
    SOSPESA = "sospesa", _("Sospesa")
    CESSATA = "cessata", _("Cessata")


class Confidence(models.TextChoices):
    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Bassa: da verificare")


def _possible(year: int | None) -> bool:
    """A year a date can have (a larger one is refused by the field's own validators)."""
    return bool(year) and datetime.MINYEAR <= int(year or 0) <= datetime.MAXYEAR


def _start(day: datetime.date | None, year: int | None) -> datetime.date | None:
    """The first day a period may have begun: the date, or 1 January of the year."""
    return day or (datetime.date(year, 1, 1) if year and _possible(year) else None)


def _end(day: datetime.date | None, year: int | None) -> datetime.date | None:
    """The last day a period may have lasted: the date, or 31 December of the year."""
    return day or (datetime.date(year, 12, 31) if year and _possible(year) else None)


def _year_of(day: datetime.date | None, year: int | None) -> int | None:
    return day.year if day else year


def _date_or_year(errors: dict[str, list[str]], day: Any, year: Any, year_field: str) -> None:
    if day and year:
        errors.setdefault(year_field, []).append(
            str(_("Indica la data oppure solo l'anno, non entrambi."))
        )


class MembershipQuerySet(EnteOwnedQuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(status=MembershipStatus.ATTIVA)


class Membership(TimeStamped, Versioned, EnteOwned):
    network = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("rete"),
        limit_choices_to=NETWORKS,
    )
    status = models.CharField(
        _("stato"), max_length=14, choices=MembershipStatus.choices, default=MembershipStatus.ATTIVA
    )
    since_year = models.PositiveSmallIntegerField(
        _("aderente dall'anno"),
        null=True,
        blank=True,
        validators=YEAR,
        help_text=_("Quando si conosce solo l'anno: nessuna data inventata."),
    )
    since = models.DateField(
        _("aderente dal"), null=True, blank=True, help_text=_("Se si conosce il giorno.")
    )
    until = models.DateField(
        _("fino al"), null=True, blank=True, help_text=_("Se l'adesione è cessata.")
    )
    confidence = models.CharField(
        _("affidabilità dei dati"),
        max_length=6,
        choices=Confidence.choices,
        default=Confidence.HIGH,
    )
    notes = models.TextField(_("note"), blank=True)
    source = models.CharField(_("fonte"), max_length=1000, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network__name", "pk"]
        verbose_name = _("adesione a una rete")
        verbose_name_plural = _("adesioni alle reti")
        constraints = [
            models.UniqueConstraint(fields=["ente", "network"], name="one_membership_per_network"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="membership_until_after_since",
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(since_year__isnull=True),
                name="membership_since_date_or_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ente} – {self.network}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("networks:detail", args=[self.pk])

    def audit_parents(self) -> list[Any]:
        return [self.network]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _date_or_year(errors, self.since, self.since_year, "since_year")
        start = _start(self.since, self.since_year)
        if self.until and start and self.until < start:
            errors.setdefault("until", []).append(
                str(_("La fine dell'adesione non può precedere l'inizio."))
            )
        if self.network_id and self.ente_id and "network" not in errors:
            taken = Membership.objects.filter(
                ente_id=self.ente_id, network_id=self.network_id
            ).exclude(pk=self.pk)
            if taken.exists():
                errors.setdefault("network", []).append(
                    str(_("L'ente aderisce già a questa rete."))
                )
        if errors:
            raise ValidationError(errors)

    def timeline(self) -> list[MembershipRole]:
        """The roles in the order they began (a year counts from its first day)."""
        roles = list(self.roles.all())
        roles.sort(key=lambda r: (r.starts_on or datetime.date.max, r.pk))
        return roles

    def current_roles(self, today: datetime.date | None = None) -> list[MembershipRole]:
        return [r for r in self.timeline() if r.is_current(today)]
