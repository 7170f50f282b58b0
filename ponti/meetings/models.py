"""Meetings, delegations and missions; visit requests; follow-up actions; gifts.

Meetings link to registry partners and people (partners) and to agreements (by the
"agreements.Agreement" relation). A held or confirmed meeting reports activity through
ponti.core.activity, which keeps the counterparts' agreements from going dormant.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.dates import DatePrecision, imprecise, imprecise_date_fields
from ponti.core.models import (
    AuditedQuerySet,
    EnteOwned,
    EnteOwnedQuerySet,
    Sector,
    TimeStamped,
    Versioned,
)
from ponti.partners.models import Organisation, Person, Position


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("«%(value)s» non è un fuso orario IANA (es. Europe/Rome, Asia/Tokyo)."),
            params={"value": value},
        )


class MeetingKind(models.TextChoices):
    INCONTRO = "incontro", _("Incontro")
    DELEGAZIONE = "delegazione", _("Delegazione in entrata")
    MISSIONE = "missione", _("Missione all'estero")
    EVENTO = "evento", _("Evento ospitato")
    VIDEOCONFERENZA = "videoconferenza", _("Videoconferenza")


class MeetingStatus(models.TextChoices):
    RICHIESTA = "richiesta", _("Richiesta")
    VALUTAZIONE = "valutazione", _("In valutazione")
    CONFERMATO = "confermato", _("Confermato")
    SVOLTO = "svolto", _("Svolto")
    ANNULLATO = "annullato", _("Annullato")


MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.RICHIESTA: {
        MeetingStatus.VALUTAZIONE,
        MeetingStatus.CONFERMATO,
        MeetingStatus.ANNULLATO,
    },
    MeetingStatus.VALUTAZIONE: {MeetingStatus.CONFERMATO, MeetingStatus.ANNULLATO},
    MeetingStatus.CONFERMATO: {MeetingStatus.SVOLTO, MeetingStatus.ANNULLATO},
    MeetingStatus.SVOLTO: set(),
    MeetingStatus.ANNULLATO: set(),
}


class MeetingQuerySet(EnteOwnedQuerySet):
    def held(self) -> MeetingQuerySet:
        return self.filter(status=MeetingStatus.SVOLTO)

    def in_year(self, year: int) -> MeetingQuerySet:
        return self.filter(date__year=year)


class Meeting(TimeStamped, Versioned, EnteOwned):
    kind = models.CharField(
        _("tipo"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.INCONTRO
    )
    title = models.CharField(_("titolo"), max_length=300)
    status = models.CharField(
        _("stato"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.RICHIESTA
    )
    # When: the date as far as it is known (core.dates: a day, a month, a year, or unknown),
    # and, for a day, the start and end in the meeting's time zone (at midnight and
    # `all_day` when the time is not known). `period` describes a span in words.
    date, date_precision = imprecise_date_fields(
        _("data"),
        precision_field="date_precision",
        help_text=_("Se giorno e ora non sono noti: «2019», «luglio 2019»."),
    )
    starts_at = models.DateTimeField(_("inizio"), null=True, blank=True)
    ends_at = models.DateTimeField(_("fine"), null=True, blank=True)
    all_day = models.BooleanField(_("tutto il giorno"), default=False)
    timezone = models.CharField(
        _("fuso orario"), max_length=64, default="Europe/Rome", validators=[validate_timezone]
    )
    period = models.CharField(
        _("periodo"), max_length=120, blank=True, help_text=_("Es. «primavera 2012», «2001–2004».")
    )
    place = models.CharField(_("luogo"), max_length=300, blank=True)
    city = models.CharField(_("città"), max_length=120, blank=True)
    country = models.CharField(_("paese"), max_length=2, blank=True)
    counterparts = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="meetings",
        verbose_name=_("organizzazioni controparte"),
    )
    agreements = models.ManyToManyField(
        "agreements.Agreement",
        blank=True,
        related_name="meetings",
        verbose_name=_("accordi collegati"),
    )
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("ambiti"))
    topics = models.CharField(_("temi"), max_length=500, blank=True)
    agenda = models.TextField(_("ordine del giorno"), blank=True)
    talking_points = models.TextField(
        _("punti di discussione"), blank=True, help_text=_("Per il dossier del Sindaco.")
    )
    outcome = models.TextField(_("esito"), blank=True)
    minutes = models.TextField(
        _("verbale"),
        blank=True,
        help_text=_("Testo formattato: il codice non sicuro viene rimosso."),
    )
    source = models.CharField(_("fonte"), max_length=1000, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = [F("date").desc(nulls_last=True), F("starts_at").desc(nulls_last=True), "-pk"]
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        indexes = [
            models.Index(fields=["ente", "starts_at"]),
            models.Index(fields=["ente", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="meeting_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meetings:detail", args=[self.pk])

    @property
    def day(self) -> Any:
        """The meeting's date in its own time zone, when known to the day."""
        if self.starts_at is None:
            return None
        return timezone.localtime(self.starts_at, zoneinfo.ZoneInfo(self.timezone)).date()

    def _wall_clock(self, value: Any) -> Any:
        """The time on a clock in the meeting's own time zone (naive, so templates keep it)."""
        if value is None:
            return None
        return timezone.localtime(value, zoneinfo.ZoneInfo(self.timezone)).replace(tzinfo=None)

    @property
    def local_start(self) -> Any:
        return self._wall_clock(self.starts_at)

    @property
    def local_end(self) -> Any:
        return self._wall_clock(self.ends_at)

    when = imprecise("date", "date_precision")

    @property
    def is_dated(self) -> bool:
        """Known to the day: only these go into calendars (a year is never an invented day)."""
        return self.starts_at is not None and self.date_precision == DatePrecision.DAY

    @property
    def has_time(self) -> bool:
        return self.is_dated and not self.all_day

    @property
    def when_year(self) -> int | None:
        return self.date.year if self.date else None

    @property
    def when_text(self) -> str:
        """When, for a meeting not known to the day: «primavera 2012», «luglio 2019», «2019»."""
        if self.period:
            return self.period
        return str(self.when) if self.date else ""

    def normalise_when(self) -> None:
        """The start and the date say the same thing: a start fixes the day (in the
        meeting's time zone); a day without a start becomes an all-day meeting."""
        tz = zoneinfo.ZoneInfo(self.timezone or "Europe/Rome")
        if self.starts_at is not None:
            self.date = timezone.localtime(self.starts_at, tz).date()
            self.date_precision = DatePrecision.DAY
        elif self.date is not None and self.date_precision == DatePrecision.DAY:
            self.starts_at = datetime.datetime.combine(self.date, datetime.time.min, tz)
            self.all_day = True
        else:
            self.ends_at = None

    def clean(self) -> None:
        if self.timezone in zoneinfo.available_timezones():
            self.normalise_when()
        if self.date is None and self.starts_at is None and not self.period:
            raise ValidationError(
                {
                    "starts_at": _(
                        "Indica quando: l'inizio, oppure la data nota solo in parte "
                        "(«luglio 2019», «2019»), oppure il periodo."
                    )
                }
            )
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("La fine non può precedere l'inizio.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.timezone in zoneinfo.available_timezones():
            self.normalise_when()
        super().save(*args, **kwargs)


class ParticipantSide(models.TextChoices):
    NOSTRO = "nostro", _("Per l'ente")
    CONTROPARTE = "controparte", _("Controparte")


class Participant(models.Model):
    """Who took part: one of our users or registry people, or a guest typed in free text."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("incontro")
    )
    side = models.CharField(_("parte"), max_length=12, choices=ParticipantSide.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_participations",
        verbose_name=_("persona"),
    )
    position = models.ForeignKey(
        Position,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("incarico quel giorno"),
    )
    guest_name = models.CharField(_("ospite (non nel registro)"), max_length=200, blank=True)
    role = models.CharField(_("ruolo quel giorno"), max_length=200, blank=True)

    objects = AuditedQuerySet["Participant"].as_manager()

    class Meta:
        verbose_name = _("partecipante")
        verbose_name_plural = _("partecipanti")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False) | ~Q(guest_name=""),
                name="participant_has_someone",
            ),
        ]

    def __str__(self) -> str:
        who = (
            self.person.full_name
            if self.person
            else (str(self.user) if self.user else self.guest_name)
        )
        return f"{who}, {self.role}" if self.role else who

    def audit_parents(self) -> list[Any]:
        # The person too: an event naming a riservato person is as confidential as they are.
        return [p for p in (self.meeting, self.person) if p is not None]

    def audit_confidentiality(self) -> str:
        return self.meeting.confidentiality


class ScreeningCriterion(models.Model):
    """One question of the ente's checklist for screening visit requests."""

    ente = models.ForeignKey(
        "core.Ente",
        on_delete=models.CASCADE,
        related_name="screening_criteria",
        verbose_name=_("ente"),
    )
    text = models.CharField(_("criterio"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("attivo"), default=True)

    objects = AuditedQuerySet["ScreeningCriterion"].as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterio di valutazione")
        verbose_name_plural = _("criteri di valutazione")

    def __str__(self) -> str:
        return self.text


class VisitDecision(models.TextChoices):
    DA_DECIDERE = "da_decidere", _("Da decidere")
    ACCETTATA = "accettata", _("Accettata")
    RIFIUTATA = "rifiutata", _("Rifiutata")


class VisitRequest(TimeStamped, Versioned, EnteOwned):
    """A request for a visit or a meeting, received by letter or e-mail."""

    class Channel(models.TextChoices):
        LETTERA = "lettera", _("Lettera")
        EMAIL = "email", _("E-mail")
        NOTA_VERBALE = "nota_verbale", _("Nota verbale")
        TELEFONO = "telefono", _("Telefono")
        ALTRO = "altro", _("Altro")

    received_on = models.DateField(_("ricevuta il"), default=timezone.localdate)
    channel = models.CharField(
        _("canale"), max_length=14, choices=Channel.choices, default=Channel.EMAIL
    )
    requester = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_requests",
        verbose_name=_("chi chiede"),
    )
    requester_contact = models.CharField(_("referente"), max_length=200, blank=True)
    purpose = models.TextField(_("scopo"))
    proposed_start = models.DateField(_("dal"), null=True, blank=True)
    proposed_end = models.DateField(_("al"), null=True, blank=True)
    proposed_dates_note = models.CharField(_("date proposte (note)"), max_length=300, blank=True)
    delegation = models.TextField(
        _("delegazione"), blank=True, help_text=_("Una persona per riga: nome, titolo.")
    )
    languages = models.CharField(_("lingue"), max_length=120, blank=True)
    interpreters_needed = models.BooleanField(_("servono interpreti"), default=False)
    special_needs = models.TextField(_("esigenze particolari"), blank=True)
    gifts_planned = models.TextField(_("doni previsti"), blank=True)
    checklist = models.JSONField(_("valutazione"), default=dict, blank=True)
    decision = models.CharField(
        _("decisione"),
        max_length=12,
        choices=VisitDecision.choices,
        default=VisitDecision.DA_DECIDERE,
    )
    decision_reason = models.TextField(_("motivazione"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decisa da"),
    )
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    meeting = models.OneToOneField(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_request",
        verbose_name=_("incontro"),
    )

    # Relation records: for_user() keeps them to the user's enti and clearance.
    objects = EnteOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("richiesta di visita")
        verbose_name_plural = _("richieste di visita")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_end__isnull=True)
                | Q(proposed_start__isnull=True)
                | Q(proposed_end__gte=F("proposed_start")),
                name="visit_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        who = self.requester.name if self.requester else self.requester_contact
        from django.utils.formats import date_format

        return _("Richiesta di %(who)s del %(day)s") % {
            "who": who,
            "day": date_format(self.received_on, "j F Y"),
        }


class ActionStatus(models.TextChoices):
    APERTA = "aperta", _("Da fare")
    IN_CORSO = "in_corso", _("In corso")
    FATTA = "fatta", _("Fatta")
    ANNULLATA = "annullata", _("Annullata")


class FollowUpQuerySet(EnteOwnedQuerySet):
    def open(self) -> FollowUpQuerySet:
        return self.filter(status__in=[ActionStatus.APERTA, ActionStatus.IN_CORSO])


class FollowUpAction(TimeStamped, Versioned, EnteOwned):
    """An action after a meeting (or about a partner), owned by a user of the ente, due on a day."""

    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("incontro"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("partner"),
    )
    description = models.CharField(_("azione"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_up_actions",
        verbose_name=_("responsabile"),
    )
    due_date = models.DateField(_("scadenza"), null=True, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.APERTA
    )
    done_on = models.DateField(_("fatta il"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = [F("due_date").asc(nulls_last=True), "pk"]
        verbose_name = _("azione di follow-up")
        verbose_name_plural = _("azioni di follow-up")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(organisation__isnull=False),
                name="action_about_something",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def audit_parents(self) -> list[Any]:
        return [p for p in (self.meeting, self.organisation) if p is not None]


class Gift(TimeStamped, Versioned, EnteOwned):
    class Direction(models.TextChoices):
        DATO = "dato", _("Dato")
        RICEVUTO = "ricevuto", _("Ricevuto")

    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gifts",
        verbose_name=_("incontro"),
    )
    counterpart = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gifts",
        verbose_name=_("controparte"),
    )
    direction = models.CharField(_("direzione"), max_length=8, choices=Direction.choices)
    description = models.CharField(_("descrizione"), max_length=500)
    estimated_value = models.DecimalField(
        _("valore stimato (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    kept_at = models.CharField(_("dove è custodito"), max_length=300, blank=True)
    given_on = models.DateField(_("data"), null=True, blank=True)

    objects = EnteOwnedQuerySet.as_manager()

    class Meta:
        ordering = [F("given_on").desc(nulls_last=True), "-pk"]
        verbose_name = _("dono")
        verbose_name_plural = _("doni")
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="gift_value_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def over_threshold(self) -> bool:
        return (
            self.estimated_value is not None
            and self.estimated_value > self.ente.gift_value_threshold
        )

    def audit_parents(self) -> list[Any]:
        return [p for p in (self.meeting, self.counterpart) if p is not None]


class CalendarFeed(models.Model):
    """A user's personal ICS feed: a secret URL token (only its hash is stored), revocable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    feed_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AuditedQuerySet["CalendarFeed"].as_manager()

    class Meta:
        verbose_name = _("calendario personale")
        verbose_name_plural = _("calendari personali")

    def __str__(self) -> str:
        return f"{self.user} ({'revocato' if self.revoked_at else 'attivo'})"
