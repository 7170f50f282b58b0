"""Agreements: twinnings, pacts, MoUs with their lifecycle, acts, signatories, commitments, documents."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.confidentiality import Confidentiality
from ponti.core.dates import DatePrecision, imprecise, imprecise_date_fields
from ponti.core.models import (
    AuditedQuerySet,
    EnteOwned,
    EnteOwnedQuerySet,
    Sector,
    StepRecord,
    TimeStamped,
    Versioned,
)
from ponti.partners.models import Organisation, Person, Position

from .states import IN_FORCE, Status

ANNIVERSARY_YEARS = [10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90, 100]


class AgreementKind(models.TextChoices):
    GEMELLAGGIO = "gemellaggio", _("Gemellaggio")
    AMICIZIA = "amicizia", _("Patto di amicizia")
    FRATELLANZA = "fratellanza", _("Patto di fratellanza")
    MOU = "mou", _("Protocollo d'intesa / MoU")
    COOPERAZIONE = "cooperazione", _("Accordo di cooperazione")
    INTENTI = "intenti", _("Lettera d'intenti")
    ALTRO = "altro", _("Altro")


class ApprovalBody(models.TextChoices):
    CONSIGLIO = "consiglio", _("Consiglio")
    GIUNTA = "giunta", _("Giunta")
    SINDACO = "sindaco", _("Decreto del Sindaco")


class AgreementConfidence(models.TextChoices):
    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Bassa: da verificare")


class AgreementQuerySet(EnteOwnedQuerySet):
    def for_user(self, user: Any) -> AgreementQuerySet:
        """The user's enti's agreements, and those where one of the user's enti is a party:
        a bond between two enti that both use Ponti is one record, seen from either side
        (within the reader's clearance in their own ente)."""
        own = super().for_user(user)
        if not getattr(user, "is_authenticated", False) or user.is_superuser:
            return own
        from ponti.core.roles import enti_by_clearance

        party: Q | None = None
        for level, ente_ids in enti_by_clearance(user).items():
            q = Q(
                partners__represents_id__in=ente_ids,
                confidentiality__in=Confidentiality.up_to(level),
            )
            party = q if party is None else party | q
        if party is None:
            return own
        # pk__in keeps the queryset free of join duplicates for counts and paging.
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=self.filter(party).values("pk")))

    def in_force(self) -> AgreementQuerySet:
        return self.filter(status__in=IN_FORCE)

    def expiring(self, days: int = 90, today: datetime.date | None = None) -> AgreementQuerySet:
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=days)
        return self.in_force().filter(
            Q(end_date__gte=today, end_date__lte=horizon)
            | Q(renewal_date__gte=today, renewal_date__lte=horizon)
        )

    def dormant(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """In force, with no activity for longer than the ente's dormancy period."""
        today = today or timezone.localdate()
        ids = []
        for pk, last, months in self.in_force().values_list(
            "pk", "last_activity_on", "ente__dormancy_months"
        ):
            if _quiet_since(last, today, months):
                ids.append(pk)
        return self.filter(pk__in=ids)


def _quiet_since(last: datetime.date | None, today: datetime.date, months: int) -> bool:
    """The dormancy rule, in one place: no activity, or none in the last `months` months."""
    return last is None or last < _months_before(today, months)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class Agreement(TimeStamped, Versioned, EnteOwned):
    kind = models.CharField(_("tipo"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("titolo"), max_length=300)
    partners = models.ManyToManyField(
        Organisation,
        related_name="agreements",
        verbose_name=_("partner"),
        help_text=_("Le organizzazioni del registro che sono parti dell'accordo."),
    )
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("ambiti di cooperazione"))
    description = models.TextField(_("descrizione"), blank=True)
    published = models.BooleanField(
        _("pubblicato"),
        default=False,
        help_text=_("Mostrato nelle pagine pubbliche e negli open data."),
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.PROPOSTA
    )
    approval_body = models.CharField(
        _("organo che approva"), max_length=12, choices=ApprovalBody.choices, blank=True
    )
    approval_number = models.CharField(_("numero dell'atto"), max_length=40, blank=True)
    approval_date = models.DateField(_("data dell'atto"), null=True, blank=True)
    # Dates known in part (core.dates): «1958» is stored as 1958-01-01 with precision "year".
    signed_on, signed_precision = imprecise_date_fields(
        _("data della firma"),
        precision_field="signed_precision",
        help_text=_("Quando si conosce solo il mese o l'anno: nessun giorno inventato."),
    )
    signed_place = models.CharField(_("luogo della firma"), max_length=200, blank=True)
    start_date, start_precision = imprecise_date_fields(
        _("inizio validità"), precision_field="start_precision"
    )
    end_date = models.DateField(
        _("fine validità"), null=True, blank=True, help_text=_("Vuoto se a tempo indeterminato.")
    )
    renewal_date = models.DateField(_("data di rinnovo"), null=True, blank=True)
    last_activity_on = models.DateField(_("ultima attività"), null=True, blank=True, editable=False)
    dormant_notified = models.BooleanField(_("dormienza segnalata"), default=False, editable=False)
    confidence = models.CharField(
        _("affidabilità dei dati"),
        max_length=6,
        choices=AgreementConfidence.choices,
        default=AgreementConfidence.HIGH,
    )
    source = models.CharField(_("fonte"), max_length=1000, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("accordo")
        verbose_name_plural = _("accordi")
        indexes = [models.Index(fields=["ente", "status"]), models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="agreement_end_after_start",
            ),
            # A signing known by month or year is stored as its first day: only a day is
            # compared with the act here (the service compares the last day).
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True)
                | Q(approval_date__isnull=True)
                | ~Q(signed_precision=DatePrecision.DAY)
                | Q(signed_on__gte=F("approval_date")),
                name="agreement_signed_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agreements:detail", args=[self.pk])

    def shared_with_ente_ids(self) -> list[int]:
        """The other enti of this instance that are parties: they read it too (can_see)."""
        return [
            pk
            for pk in self.partners.values_list("represents_id", flat=True)
            if pk is not None and pk != self.ente_id
        ]

    def is_dormant(self, today: datetime.date | None = None) -> bool:
        """Like `Agreement.objects.dormant()`, for one agreement without scanning the others."""
        return self.status in IN_FORCE and _quiet_since(
            self.last_activity_on, today or timezone.localdate(), self.ente.dormancy_months
        )

    signed = imprecise("signed_on", "signed_precision")
    start = imprecise("start_date", "start_precision")

    @property
    def signing_year(self) -> int | None:
        return self.signed_on.year if self.signed_on else None

    @property
    def low_confidence(self) -> bool:
        return self.confidence == AgreementConfidence.LOW

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        signed = self.signed
        if signed.last_day and self.approval_date and signed.last_day < self.approval_date:
            raise ValidationError(
                {"signed_on": _("La firma non può precedere l'atto di approvazione.")}
            )

    def anniversaries(
        self, within_days: int = 183, today: datetime.date | None = None
    ) -> list[tuple[int, datetime.date | None, int]]:
        """Round anniversaries of the signing coming within `within_days`: (years, date or None, year)."""
        today = today or timezone.localdate()
        year = self.signing_year
        if year is None:
            return []
        found: list[tuple[int, datetime.date | None, int]] = []
        for n in ANNIVERSARY_YEARS:
            when_year = year + n
            if self.signed_on and self.signed_precision == DatePrecision.DAY:
                try:
                    when = self.signed_on.replace(year=when_year)
                except ValueError:  # 29 February
                    when = datetime.date(when_year, 2, 28)
                if today <= when <= today + datetime.timedelta(days=within_days):
                    found.append((n, when, when_year))
            elif when_year == today.year or (when_year == today.year + 1 and today.month >= 7):
                # Only the month or year is known: the anniversary falls somewhere in that year.
                found.append((n, None, when_year))
        return found


class SignatorySide(models.TextChoices):
    ENTE = "ente", _("Per l'ente")
    PARTNER = "partner", _("Per il partner")


class Signatory(models.Model):
    Side = SignatorySide

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("accordo")
    )
    side = models.CharField(_("parte"), max_length=8, choices=Side.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("persona")
    )
    position = models.ForeignKey(
        Position,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("incarico alla firma"),
    )
    name = models.CharField(_("nome (se non nel registro)"), max_length=200, blank=True)
    role = models.CharField(_("ruolo alla firma"), max_length=200, blank=True)

    objects = AuditedQuerySet["Signatory"].as_manager()

    class Meta:
        verbose_name = _("firmatario")
        verbose_name_plural = _("firmatari")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name=""), name="signatory_has_a_name"
            )
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person else self.name
        return f"{who}, {self.role}" if self.role else who

    def audit_parents(self) -> list[Any]:
        # The person too: an event naming a riservato person is as confidential as they are.
        return [p for p in (self.agreement, self.person) if p is not None]

    def audit_confidentiality(self) -> str:
        return self.agreement.confidentiality


class TransitionRecord(StepRecord):
    parent_field = "agreement"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("accordo")
    )
    source = models.CharField(_("da"), max_length=20, choices=Status.choices)
    target = models.CharField(_("a"), max_length=20, choices=Status.choices)

    objects = AuditedQuerySet["TransitionRecord"].as_manager()

    class Meta(StepRecord.Meta):
        verbose_name = _("passaggio di stato")
        verbose_name_plural = _("passaggi di stato")


class CommitmentStatus(models.TextChoices):
    APERTO = "aperto", _("Da fare")
    IN_CORSO = "in_corso", _("In corso")
    FATTO = "fatto", _("Fatto")
    ANNULLATO = "annullato", _("Annullato")


class CommitmentQuerySet(AuditedQuerySet["Commitment"]):
    def open(self) -> CommitmentQuerySet:
        return self.filter(status__in=[CommitmentStatus.APERTO, CommitmentStatus.IN_CORSO])


class Commitment(TimeStamped, Versioned):
    """What a party promised, with an owner (a user of the ente) and a due date."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("accordo")
    )
    party = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("parte"),
        help_text=_("Vuoto se l'impegno è dell'ente."),
    )
    description = models.CharField(_("impegno"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("responsabile"),
    )
    due_date = models.DateField(_("scadenza"), null=True, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.APERTO
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        verbose_name = _("impegno")
        verbose_name_plural = _("impegni")

    def __str__(self) -> str:
        return self.description

    def audit_parents(self) -> list[Any]:
        return [self.agreement]

    def audit_confidentiality(self) -> str:
        return self.agreement.confidentiality


def document_path(instance: AgreementDocument, filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("accordo")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    title = models.CharField(_("titolo"), max_length=200)
    original_name = models.CharField(_("nome originale"), max_length=255)
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveBigIntegerField(_("dimensione"))
    uploaded_at = models.DateTimeField(_("caricato il"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("caricato da"),
    )

    objects = AuditedQuerySet["AgreementDocument"].as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")

    def __str__(self) -> str:
        return self.title

    def audit_parents(self) -> list[Any]:
        return [self.agreement]

    def audit_confidentiality(self) -> str:
        return self.agreement.confidentiality


from .bonds import KnownBond  # noqa: E402,F401  (declared in bonds.py, found by Django here)
