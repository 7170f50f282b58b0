"""Opportunities: calls (EU topics, national and regional calls), partner-search requests and
events, with their programme, dates, money, and the office's decision.

A project (later) links to the opportunity it answers (`Opportunity.projects`, from a
foreign key on the project): nothing here needs to change for it.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core import countries
from ponti.core.models import (
    AuditedQuerySet,
    EnteOwned,
    EnteOwnedQuerySet,
    Sector,
    StepRecord,
    TimeStamped,
    Versioned,
)

from .states import Decision

BRUSSELS = "Europe/Brussels"  # where the EU's deadlines are set: 17:00 Brussels time


class Programme(models.Model):
    """A funding programme: the Funding & Tenders Portal's code table, and the programmes
    without a portal code that matter to cities (Interreg Europe, URBACT). Reference data,
    loaded by a migration from `data/` (see data/PROVENANCE.md)."""

    key = models.SlugField(_("chiave"), max_length=60, unique=True)
    code = models.CharField(
        _("codice del portale"),
        max_length=20,
        blank=True,
        help_text=_("Il codice frameworkProgramme del Funding & Tenders Portal, es. 43251589."),
    )
    abbreviation = models.CharField(_("sigla"), max_length=40, blank=True)
    name = models.CharField(_("nome"), max_length=300)
    period = models.CharField(_("periodo"), max_length=20, blank=True)
    for_cities = models.BooleanField(
        _("utile alle città"),
        default=False,
        help_text=_("Tra i programmi che contano per le città."),
    )
    strands = models.TextField(_("linee utili alle città"), blank=True)
    source = models.TextField(_("fonte"), blank=True)

    objects = AuditedQuerySet["Programme"].as_manager()

    class Meta:
        ordering = ["-for_cities", "name", "period"]
        verbose_name = _("programma")
        verbose_name_plural = _("programmi")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="programme_code_unique"
            )
        ]

    def __str__(self) -> str:
        short = f" ({self.abbreviation})" if self.abbreviation else ""
        period = f", {self.period}" if self.period else ""
        return f"{self.name}{short}{period}"


class OpportunityKind(models.TextChoices):
    EU_CALL = "bando_ue", _("Bando UE (topic)")
    CALL = "bando", _("Bando nazionale o regionale")
    PARTNER_SEARCH = "ricerca_partner", _("Ricerca di partner")
    EVENT = "evento", _("Evento")


class DeadlineModel(models.TextChoices):
    SINGLE = "single-stage", _("Una fase")
    TWO_STAGE = "two-stage", _("Due fasi")
    CUT_OFF = "multiple cut-off", _("Più scadenze (cut-off)")


class CallStatus(models.TextChoices):
    """The call's own status, computed from its dates (never stored)."""

    FORTHCOMING = "forthcoming", _("In arrivo")
    OPEN = "open", _("Aperto")
    CLOSED = "closed", _("Chiuso")


class OpportunityQuerySet(EnteOwnedQuerySet):
    def with_dates(self) -> OpportunityQuerySet:
        """Each opportunity with its last deadline (`last_deadline`)."""
        return self.annotate(last_deadline=Max("deadlines__due_at"))

    def call_status(self, status: str, now: datetime.datetime | None = None) -> OpportunityQuerySet:
        now = now or timezone.now()
        today = timezone.localdate(now)
        qs = self.with_dates()
        if status == CallStatus.FORTHCOMING:
            return qs.filter(opens_on__gt=today)
        if status == CallStatus.CLOSED:
            return qs.filter(last_deadline__lt=now).exclude(opens_on__gt=today)
        if status == CallStatus.OPEN:
            return qs.exclude(opens_on__gt=today).filter(
                Q(last_deadline__gte=now) | Q(last_deadline__isnull=True, opens_on__isnull=False)
            )
        return qs.none()

    def deadline_between(
        self, start: datetime.date | None, end: datetime.date | None
    ) -> OpportunityQuerySet:
        """Opportunities with a deadline on a day between `start` and `end` (either may be open)."""
        deadlines = Deadline.objects.all()
        if start:
            deadlines = deadlines.filter(due_at__gte=_day_start(start))
        if end:
            deadlines = deadlines.filter(due_at__lt=_day_start(end + datetime.timedelta(days=1)))
        return self.filter(pk__in=deadlines.values("opportunity_id"))

    def search(self, text: str) -> OpportunityQuerySet:
        """Titles in Italian and English, and the call and topic identifiers."""
        return self.filter(
            Q(title__icontains=text)
            | Q(title_en__icontains=text)
            | Q(call_identifier__icontains=text)
            | Q(topic_identifier__icontains=text)
        )

    def next_deadlines(self, now: datetime.datetime | None = None) -> OpportunityQuerySet:
        now = now or timezone.now()
        return self.annotate(
            next_deadline=Min("deadlines__due_at", filter=Q(deadlines__due_at__gte=now))
        )


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


class Opportunity(TimeStamped, Versioned, EnteOwned):
    kind = models.CharField(
        _("tipo"), max_length=20, choices=OpportunityKind.choices, default=OpportunityKind.EU_CALL
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("programma"),
    )
    programme_code = models.CharField(
        _("programma come indicato dalla fonte"),
        max_length=200,
        blank=True,
        help_text=_("Il codice o il nome letto dal file, anche quando non è tra i programmi noti."),
    )
    call_identifier = models.CharField(_("identificativo del bando"), max_length=200, blank=True)
    topic_identifier = models.CharField(
        _("identificativo del topic"),
        max_length=200,
        blank=True,
        help_text=_(
            "Es. CERV-2026-CITIZENS-TOWN-TT. Riconosce il bando quando lo si importa di nuovo."
        ),
    )
    title = models.CharField(_("titolo"), max_length=500)
    title_en = models.CharField(_("titolo in inglese"), max_length=500, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    opens_on = models.DateField(_("apertura"), null=True, blank=True)
    deadline_model = models.CharField(
        _("modello di scadenza"),
        max_length=20,
        choices=DeadlineModel.choices,
        default=DeadlineModel.SINGLE,
    )
    budget = models.DecimalField(
        _("budget del bando (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    grant_size = models.DecimalField(
        _("contributo atteso per progetto (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("settori"))
    eligible_applicants = models.TextField(_("soggetti ammissibili"), blank=True)
    countries = models.JSONField(
        _("paesi ammissibili"),
        default=list,
        blank=True,
        help_text=_("Codici ISO 3166-1 (IT, FR…); vuoto se non indicati."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("responsabile"),
    )
    decision = models.CharField(
        _("decisione"), max_length=20, choices=Decision.choices, default=Decision.DA_VALUTARE
    )
    decision_reason = models.TextField(_("motivo dello scarto"), blank=True)
    notes = models.TextField(_("note"), blank=True)
    portal_status = models.CharField(
        _("stato sul portale"),
        max_length=60,
        blank=True,
        help_text=_("Come indicato dal portale all'ultima importazione: solo per riferimento."),
    )
    imported_at = models.DateTimeField(_("importato il"), null=True, blank=True, editable=False)
    # Set by an import that moved a deadline; cleared when the office has seen it.
    deadlines_changed_at = models.DateTimeField(
        _("scadenze cambiate il"), null=True, blank=True, editable=False
    )
    previous_deadlines = models.JSONField(
        _("scadenze precedenti"), default=list, blank=True, editable=False
    )

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("opportunità")
        verbose_name_plural = _("opportunità")
        indexes = [models.Index(fields=["ente", "decision"]), models.Index(fields=["opens_on"])]
        constraints = [
            # Re-importing a topic updates it: one record per topic and ente.
            models.UniqueConstraint(
                fields=["ente", "topic_identifier"],
                condition=~Q(topic_identifier=""),
                name="opportunity_topic_unique_per_ente",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="opportunity_budget_positive",
            ),
            models.CheckConstraint(
                condition=Q(grant_size__isnull=True) | Q(grant_size__gte=0),
                name="opportunity_grant_positive",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True)
                | Q(grant_size__isnull=True)
                | Q(grant_size__lte=F("budget")),
                name="opportunity_grant_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("opportunities:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        for code in self.countries or []:
            if not isinstance(code, str) or not countries.is_valid(code) or code != code.upper():
                errors.setdefault("countries", []).append(
                    _("«%(c)s» non è un codice paese ISO 3166-1 alfa-2 (es. IT, FR).") % {"c": code}
                )
        if (
            self.budget is not None
            and self.grant_size is not None
            and self.grant_size > self.budget
        ):
            errors.setdefault("grant_size", []).append(
                _("Il contributo per progetto non può superare il budget del bando.")
            )
        if errors:
            raise ValidationError(errors)

    def call_status(self, now: datetime.datetime | None = None) -> str | None:
        """Forthcoming before it opens, open until its last deadline, closed after; None when
        no date is known."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        if self.opens_on and self.opens_on > today:
            return CallStatus.FORTHCOMING
        if hasattr(self, "last_deadline"):  # annotated by `with_dates()`
            last = self.last_deadline
        else:
            last = max((d.due_at for d in self.deadlines.all()), default=None)
        if last is not None:
            return CallStatus.CLOSED if last < now else CallStatus.OPEN
        return CallStatus.OPEN if self.opens_on else None

    def call_status_label(self) -> str:
        status = self.call_status()
        return str(CallStatus(status).label) if status else ""

    @property
    def discarded(self) -> bool:
        return self.decision == Decision.SCARTATA


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("«%(v)s» non è un fuso orario, es. Europe/Brussels."), params={"v": value}
        ) from None


class Deadline(models.Model):
    """One deadline of an opportunity: an instant, shown in its own time zone (Brussels)."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("opportunità"),
    )
    stage = models.PositiveSmallIntegerField(
        _("fase"), default=1, help_text=_("1: fase unica o prima fase; 2: seconda fase.")
    )
    due_at = models.DateTimeField(_("scadenza"))
    time_zone = models.CharField(
        _("fuso orario"), max_length=40, default=BRUSSELS, validators=[validate_time_zone]
    )

    objects = AuditedQuerySet["Deadline"].as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("scadenza")
        verbose_name_plural = _("scadenze")
        constraints = [
            models.CheckConstraint(condition=Q(stage__gte=1), name="deadline_stage_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.local:%d/%m/%Y %H:%M} ({self.time_zone})"

    @property
    def local(self) -> datetime.datetime:
        """The deadline in its own time zone, as the call states it (Brussels, if the zone
        stored is unknown: a bulk update bypasses the validator)."""
        try:
            zone = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo(BRUSSELS)
        return self.due_at.astimezone(zone)

    def audit_parents(self) -> list[Any]:
        return [self.opportunity]

    def audit_confidentiality(self) -> str:
        return self.opportunity.confidentiality


class DecisionRecord(StepRecord):
    """One step of the decision: who, when, from what to what, and why."""

    parent_field = "opportunity"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="steps", verbose_name=_("opportunità")
    )
    source = models.CharField(_("da"), max_length=20, choices=Decision.choices)
    target = models.CharField(_("a"), max_length=20, choices=Decision.choices)

    objects = AuditedQuerySet["DecisionRecord"].as_manager()

    class Meta(StepRecord.Meta):
        verbose_name = _("passaggio della decisione")
        verbose_name_plural = _("passaggi della decisione")


from .watching import SavedSearch  # noqa: E402, F401 - a model of this app, in its own module
