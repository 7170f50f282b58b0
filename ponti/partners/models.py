"""The partner registry: organisations, their people and positions over time.

The registry is one directory shared by every ente; what an ente writes about a
partner (notes, and later agreements and meetings) is a relation record of that ente.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core import countries
from ponti.core.confidentiality import visible_levels
from ponti.core.dates import DatePrecision, ends_on_or_after, imprecise, imprecise_date_fields
from ponti.core.models import (
    AuditedQuerySet,
    Confidential,
    ConfidentialQuerySet,
    EnteOwned,
    EnteOwnedQuerySet,
    Sector,
    Tag,
    TimeStamped,
    Versioned,
)
from ponti.core.text import fold

from . import search_index


class OrganisationKind(models.TextChoices):
    CITY = "city", _("Città")
    METRO_REGION = "metro_region", _("Area metropolitana, regione o distretto")
    GOVERNMENT = "government", _("Governo nazionale")
    EMBASSY = "embassy", _("Ambasciata")
    CONSULATE_CAREER = "consulate_career", _("Consolato di carriera")
    CONSULATE_HONORARY = "consulate_honorary", _("Consolato onorario")
    INTERNATIONAL_ORG = "international_org", _("Organizzazione internazionale")
    UNIVERSITY = "university", _("Università")
    CULTURAL = "cultural", _("Istituzione culturale")
    CHAMBER = "chamber", _("Camera di commercio o associazione di imprese")
    COMPANY = "company", _("Impresa")
    NGO = "ngo", _("ONG")
    NETWORK = "network", _("Rete di città")

    @property
    def is_consulate(self) -> bool:
        return self in {OrganisationKind.CONSULATE_CAREER, OrganisationKind.CONSULATE_HONORARY}


wikidata_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("Un identificativo Wikidata è Q seguito da un numero, es. Q2044.")
)


def _fts_ready(qs: models.QuerySet) -> bool:
    return search_index.sqlite_fts_ready(connections[qs.db or DEFAULT_DB_ALIAS])


class OrganisationQuerySet(ConfidentialQuerySet):
    def search(self, text: str, *, reader: Any) -> OrganisationQuerySet:
        """Accent-insensitive match on names, city, country, or the name of a person the
        reader may see who holds or held a position there.

        `reader` is the user who will read the results (None: the organisations' own text
        only). A person above the reader's clearance never makes an organisation match:
        otherwise searching a riservato person's name would reveal where they work. The
        caller still narrows the organisations themselves to what the reader may see.

        One `id IN (… UNION …)` subquery, each side answered by an index (FTS5 trigram on
        SQLite, pg_trgm on PostgreSQL): an OR of the two would make the database read
        every organisation to test it.

        Text shorter than three characters cannot use those indexes and matches most of
        the registry: it is matched on the organisations' own text only, with a plain
        filter, so that a page of results stops at its 25th match instead of collecting
        every organisation where anyone with an "a" in their name ever worked.
        """
        folded = search_index.query_text(text)
        if folded is None:
            return self.none()
        if not folded:
            return self
        if len(folded) < search_index.MIN_LENGTH:
            return self.filter(search_text__contains=folded)
        levels = visible_levels(reader) if reader is not None else []
        fts = search_index.fts_organisations_subquery(folded, levels) if _fts_ready(self) else None
        if fts is not None:
            matches: Any = RawSQL(*fts)  # noqa: S611 - SQL from constants, the text is bound
        else:
            matches = Organisation._base_manager.filter(search_text__contains=folded).values("pk")
            if levels:
                people = Person._base_manager.filter(
                    search_text__contains=folded, confidentiality__in=levels
                )
                by_person = Position._base_manager.filter(person__in=people.values("pk"))
                matches = matches.order_by().union(by_person.order_by().values("organisation_id"))
        return self.filter(pk__in=matches)

    def named(self, text: str) -> OrganisationQuerySet:
        """Match on the organisations' own text only: names, other names, city, country.
        For searches of other records by their partners (agreements, meetings): the caller
        narrows to the partners the reader may see, so that a hidden partner finds nothing."""
        return self.search(text, reader=None)


class Organisation(TimeStamped, Versioned, Confidential):
    name = models.CharField(_("nome"), max_length=300)
    kind = models.CharField(_("tipo"), max_length=24, choices=OrganisationKind.choices)
    country = models.CharField(
        _("paese"),
        max_length=2,
        validators=[countries.validate_country],
        help_text=_("Codice ISO 3166-1 alfa-2; XK per il Kosovo."),
    )
    city = models.CharField(_("città"), max_length=120, blank=True)
    address = models.CharField(_("indirizzo"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitudine"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitudine"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("sito web"), max_length=300, blank=True)
    wikidata_id = models.CharField(
        _("ID Wikidata"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[wikidata_validator],
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("organizzazione madre"),
        help_text=_(
            "Es. il governo che un'ambasciata rappresenta, l'università di un dipartimento."
        ),
    )
    sectors = models.ManyToManyField(Sector, blank=True, verbose_name=_("settori di interesse"))
    tags = models.ManyToManyField(Tag, blank=True, verbose_name=_("etichette"))
    description = models.TextField(_("descrizione"), blank=True)
    source = models.CharField(_("fonte"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, default="")
    # The ente of this instance that this organisation is the public face of: a bond between two
    # enti is one agreement with the other's organisation, and an ente never twins with itself.
    # (Not `ente`: the registry is shared, and `ente_id` marks relation records.)
    represents = models.OneToOneField(
        "core.Ente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
        verbose_name=_("ente rappresentato"),
        help_text=_("Se l'organizzazione è uno degli enti che usano Ponti."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        permissions = [("merge_organisation", _("Può unire organizzazioni duplicate"))]
        indexes = [
            # The list's order (name, then id); with confidentiality, the paginator's COUNT
            # and the rows skipped before a deep page are read from the index alone.
            models.Index(
                fields=["name", "id", "confidentiality"], name="partners_org_name_conf_idx"
            ),
            models.Index(fields=["country", "name"]),
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["country", "kind", "name"], name="partners_org_country_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="organisation_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organisation_longitude_range",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="organisation_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("partners:organisation_detail", args=[self.pk])

    @property
    def country_name(self) -> str:
        return countries.country_name(self.country)

    @property
    def kind_enum(self) -> OrganisationKind:
        return OrganisationKind(self.kind)

    def build_search_text(self, other_names: list[str] | None = None) -> str:
        if other_names is None:
            other_names = [n.name for n in self.other_names.all()] if self.pk else []
        parts = [self.name, *other_names, self.city, countries.all_names(self.country)]
        return fold(" | ".join(p for p in parts if p))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def current_positions(self) -> models.QuerySet[Position]:
        return self.positions.current().select_related("person")


class OrganisationName(models.Model):
    """The organisation's name in another language (Kyoto: 京都市, Fès: فاس)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="other_names"
    )
    language = models.CharField(
        _("lingua"),
        max_length=12,
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", _("Codice lingua BCP 47, es. en, fr, ja.")
            )
        ],
    )
    name = models.CharField(_("nome"), max_length=300)

    objects = AuditedQuerySet["OrganisationName"].as_manager()

    class Meta:
        ordering = ["language"]
        verbose_name = _("nome in altra lingua")
        verbose_name_plural = _("nomi in altre lingue")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="orgname_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def audit_parents(self) -> list[Any]:
        return [self.organisation]

    def audit_confidentiality(self) -> str:
        return self.organisation.confidentiality


class GdprBasis(models.TextChoices):
    PUBLIC_ROLE = (
        "public_role",
        _("Ruolo pubblico (dati resi pubblici dall'interessato o dall'ente)"),
    )
    PUBLIC_TASK = "public_task", _("Esecuzione di un compito di interesse pubblico (art. 6.1.e)")
    CONSENT = "consent", _("Consenso (art. 6.1.a)")
    CONTRACT = "contract", _("Rapporto contrattuale (art. 6.1.b)")
    LEGITIMATE = "legitimate", _("Legittimo interesse (art. 6.1.f)")
    # What keeps a pseudonymised person in an act the ente must preserve (archives of a public
    # body, D.Lgs. 42/2004 art. 10 and DPR 445/2000).
    LEGAL_OBLIGATION = "legal_obligation", _("Obbligo legale di conservazione (art. 6.1.c)")


class PersonKind(models.TextChoices):
    """What kind of person this is: decides the legal basis and how long the data are kept."""

    INSTITUTIONAL = "institutional", _("Rappresentante istituzionale")
    DIPLOMAT = "diplomat", _("Diplomatico o funzionario consolare")
    PARTNER_STAFF = "partner_staff", _("Personale di un'organizzazione partner")
    CITIZEN = "citizen", _("Privato cittadino o partecipante")
    PRESS = "press", _("Stampa")
    OTHER = "other", _("Altro")


class PersonQuerySet(ConfidentialQuerySet):
    def search(self, text: str) -> PersonQuerySet:
        """Accent-insensitive match on first name, last name or e-mail (the person's own
        text: the caller narrows the people to those the reader may see)."""
        folded = search_index.query_text(text)
        if folded is None:
            return self.none()
        if not folded:
            return self
        fts = search_index.fts_subquery("partners_person", folded) if _fts_ready(self) else None
        if fts is None:
            return self.filter(search_text__contains=folded)
        return self.filter(pk__in=RawSQL(*fts))  # noqa: S611 - SQL from constants, text bound


class Person(TimeStamped, Versioned, Confidential):
    honorific = models.CharField(
        _("appellativo"), max_length=60, blank=True, help_text=_("Es. S.E., On., Prof.ssa, Dott.")
    )
    first_name = models.CharField(_("nome"), max_length=120)
    last_name = models.CharField(_("cognome"), max_length=120)
    title = models.CharField(_("titolo o qualifica"), max_length=200, blank=True)
    languages = models.CharField(
        _("lingue"),
        max_length=120,
        blank=True,
        help_text=_("Codici separati da virgola, es. it, en, fr."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("telefono"),
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()./-]{5,40}$", _("Numero di telefono non valido."))],
    )
    mobile = models.CharField(
        _("cellulare"),
        max_length=40,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()./-]{5,40}$", _("Numero di telefono non valido."))],
    )
    gdpr_basis = models.CharField(
        _("base giuridica (GDPR)"),
        max_length=20,
        choices=GdprBasis.choices,
        default=GdprBasis.PUBLIC_ROLE,
    )
    gdpr_source = models.CharField(
        _("fonte dei dati"),
        max_length=300,
        blank=True,
        help_text=_(
            "Da dove vengono i dati: un sito ufficiale, un biglietto da visita, una lettera."
        ),
    )
    gdpr_date = models.DateField(_("data di raccolta"), default=datetime.date.today)
    notes = models.TextField(_("note"), blank=True)
    kind = models.CharField(
        _("tipo di persona"),
        max_length=20,
        choices=PersonKind.choices,
        default=PersonKind.INSTITUTIONAL,
        help_text=_("Decide la base giuridica e per quanto tempo i dati sono conservati."),
    )
    # Set when the person was replaced by a pseudonym (GDPR art. 17) because a legal record
    # (a signed act, a held meeting) must keep them: such a record is never edited again.
    erased_at = models.DateTimeField(_("pseudonimizzata il"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        permissions = [
            ("export_person", _("Può esportare tutti i dati di una persona (GDPR)")),
            ("review_person", _("Può rivedere le persone oltre il periodo di conservazione")),
            ("erase_person", _("Può cancellare o pseudonimizzare una persona (GDPR)")),
        ]
        indexes = [
            # The list's order (names, then id); with confidentiality, its COUNT reads the
            # index alone.
            models.Index(
                fields=["last_name", "first_name", "id", "confidentiality"],
                name="partners_person_name_conf_idx",
            )
        ]

    def __str__(self) -> str:
        return " ".join(p for p in [self.honorific, self.first_name, self.last_name] if p)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("partners:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.first_name} {self.last_name} {self.email}")
        super().save(*args, **kwargs)

    def language_list(self) -> list[str]:
        return [x.strip() for x in self.languages.split(",") if x.strip()]


class PositionQuerySet(AuditedQuerySet["Position"]):
    def current(self, on: datetime.date | None = None) -> PositionQuerySet:
        return self.held_on(on or timezone.localdate())

    def held_on(self, day: datetime.date) -> PositionQuerySet:
        """Held on `day`: begun by then (a start «1998» counts from 1 January) and not ended
        before (an end «2004» counts to 31 December)."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
            Q(end_date__isnull=True) | ends_on_or_after("end_date", "end_precision", day)
        )

    def past(self, on: datetime.date | None = None) -> PositionQuerySet:
        return self.filter(end_date__isnull=False).exclude(
            ends_on_or_after("end_date", "end_precision", on or timezone.localdate())
        )


class Position(TimeStamped, Versioned):
    """A person's role in an organisation over a period: "who is the consul now, and before?"."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("persona")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organizzazione"),
    )
    role = models.CharField(
        _("ruolo"), max_length=200, help_text=_("Es. Console generale, Sindaco, Rettore.")
    )
    # Dates known in part (core.dates): «dal 1998», «da marzo 2004».
    start_date, start_precision = imprecise_date_fields(_("dal"), precision_field="start_precision")
    end_date, end_precision = imprecise_date_fields(_("al"), precision_field="end_precision")

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = [F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True)]
        verbose_name = _("incarico")
        verbose_name_plural = _("incarichi")
        indexes = [models.Index(fields=["organisation", "end_date"])]
        constraints = [
            # An end known by month or year is stored as its first day («2004» and a start
            # in March 2004 are fine): only an end known to the day is compared here.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | ~Q(end_precision=DatePrecision.DAY)
                | Q(end_date__gte=F("start_date")),
                name="position_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name}, {self.role} – {self.organisation.name}"

    def audit_parents(self) -> list[Any]:
        return [self.person, self.organisation]

    def audit_confidentiality(self) -> str:
        """A position is as confidential as the more confidential of its person and organisation."""
        from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS

        levels = [self.person.confidentiality, self.organisation.confidentiality]
        return max(levels, key=lambda value: CONFIDENTIALITY_LEVELS[value])

    start = imprecise("start_date", "start_precision")
    end = imprecise("end_date", "end_precision")

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        last = self.end.last_day
        return (self.start_date is None or self.start_date <= today) and (
            last is None or last >= today
        )

    def clean(self) -> None:
        first, last = self.start.first_day, self.end.last_day
        if first and last and last < first:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"end_date": _("La fine dell'incarico non può precedere l'inizio.")}
            )


class OrganisationNote(TimeStamped, EnteOwned):
    """What one ente knows about a partner: a relation record, seen only by that ente."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("organizzazione"),
    )
    text = models.TextField(_("testo"))
    author = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("autore"),
    )

    objects = EnteOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nota sul partner")
        verbose_name_plural = _("note sul partner")

    def __str__(self) -> str:
        return self.text[:60]

    def audit_parents(self) -> list[Any]:
        return [self.organisation]


class OrganisationMerge(models.Model):
    """A duplicate merged into a surviving organisation; keeps the duplicate's history reachable."""

    source_id = models.PositiveBigIntegerField(_("ID del duplicato"))
    source_name = models.CharField(_("nome del duplicato"), max_length=300)
    target = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="merged_from",
        verbose_name=_("organizzazione risultante"),
    )
    merged_at = models.DateTimeField(_("unita il"), default=timezone.now)
    merged_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("da"),
    )

    objects = AuditedQuerySet["OrganisationMerge"].as_manager()

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("unione di organizzazioni")
        verbose_name_plural = _("unioni di organizzazioni")

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target}"

    def audit_parents(self) -> list[Any]:
        return [self.target]


# --- GDPR: retention per kind of person ---------------------------------------------------


class RetentionRule(models.Model):
    """The legal basis and the retention period of one kind of person, for the whole instance.

    Global, not per ente: a person is one record of the registry that every ente shares, so
    one person must have one answer to "how long is this kept?".
    """

    kind = models.CharField(
        _("tipo di persona"), max_length=20, choices=PersonKind.choices, unique=True
    )
    legal_basis = models.CharField(
        _("base giuridica"), max_length=20, choices=GdprBasis.choices, default=GdprBasis.PUBLIC_TASK
    )
    retention_months = models.PositiveSmallIntegerField(
        _("conservazione (mesi senza legami)"),
        validators=[MinValueValidator(1), MaxValueValidator(1200)],
        help_text=_(
            "Dopo quanti mesi senza incarichi, incontri, accordi o attività la persona va rivista."
        ),
    )
    rationale = models.TextField(_("motivazione"), blank=True)

    objects = AuditedQuerySet["RetentionRule"].as_manager()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("regola di conservazione")
        verbose_name_plural = _("regole di conservazione")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.retention_months}"


class RetentionDecision(models.Model):
    """A review that decided to keep a person past the retention period, and why."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="retention_decisions",
        verbose_name=_("persona"),
    )
    decided_on = models.DateField(_("decisa il"), default=datetime.date.today)
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("da"),
    )
    justification = models.TextField(_("motivazione"))

    objects = AuditedQuerySet["RetentionDecision"].as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decisione di conservazione")
        verbose_name_plural = _("decisioni di conservazione")

    def __str__(self) -> str:
        return str(_("Conservazione decisa il %(day)s")) % {"day": self.decided_on.isoformat()}

    def audit_parents(self) -> list[Any]:
        return [self.person]

    def audit_confidentiality(self) -> str:
        return self.person.confidentiality
