"""Shared pieces: enti, sectors, tags, base models and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import audit
from .confidentiality import Confidentiality, visible_levels

_M = TypeVar("_M", bound=models.Model, covariant=True)  # as QuerySet's own


class AuditedQuerySet(models.QuerySet[_M, _M]):
    """The base of every Ponti queryset: its bulk writes, which send no signals, are recorded
    in the audit trail (`audit.record_bulk`) like every other change.

    `delete()` needs nothing: it sends the delete signals for each row. An update of
    bookkeeping fields only (`audit.IGNORED_FIELDS`: version, search text…) records nothing.
    """

    def update(self, **kwargs: Any) -> int:
        if not audit.records_bulk(self.model, kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            # The rows as they were, locked, then exactly those rows updated: what is recorded
            # is what changed.
            ids = list(dict.fromkeys(self.values_list("pk", flat=True)))
            rows = self.model._base_manager.using(self.db).filter(pk__in=ids)
            before = _values(rows.select_for_update(), kwargs)
            count = rows.update(**kwargs)
            audit.record_bulk(self.model, list(rows.all()), fields=kwargs, before=before)
        return count

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        with transaction.atomic(using=self.db):
            objs = list(objs)
            if args or kwargs or not _insert_returning(self.model, objs, self.db):
                created = super().bulk_create(objs, *args, **kwargs)
            else:
                created = objs
            if audit.records_bulk(self.model):
                audit.record_bulk(self.model, created)
        return created

    def bulk_update(
        self,
        objs: Iterable[_M],
        fields: Iterable[str],
        batch_size: int | None = None,
        *,
        before: dict[Any, dict[str, Any]] | None = None,
    ) -> int:
        """`before`: the rows' `fields` as the caller has just read them with `locked_values`
        in this transaction (an import reads them anyway, to compare versions)."""
        objs = list(objs)
        fields = list(fields)
        if not audit.records_bulk(self.model, fields):
            return super().bulk_update(objs, fields, batch_size)
        with transaction.atomic(using=self.db):
            if before is None:
                before = locked_values(self.model, [o.pk for o in objs], fields, using=self.db)
            count = _update_each(self.model, objs, fields, self.db)
            audit.record_bulk(self.model, objs, fields=fields, before=before)
        return count


def _insert_returning(model: Any, objs: list[Any], using: str) -> bool:
    """New rows in multi-row INSERT … RETURNING statements, their ids set on `objs`; False
    (nothing done) when Django's own path is needed: an object with a pk, a database without
    RETURNING. Django compiles every value through four layers of its SQL compiler, which cost
    as much as the rest of an import of thousands of rows; this prepares each value once."""
    from django.db import connections

    connection = connections[using]
    pk = model._meta.pk
    if (
        not objs
        or not connection.features.can_return_rows_from_bulk_insert
        or not isinstance(pk, models.AutoField)
        or model._meta.parents  # a multi-table child: Django's path (which refuses it)
        or model._meta.proxy
        or any(o.pk is not None for o in objs)
    ):
        return False
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    for obj in objs:
        # As Django's bulk_create: a related object saved meanwhile gives its id; an unsaved one
        # is refused.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 - the model's own names, quoted
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    one = "({})".format(", ".join(["%s"] * len(fields)))
    returning = f" RETURNING {quote(pk.column or pk.name)}"
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = [
                f.get_db_prep_save(f.pre_save(obj, True), connection)
                for obj in batch
                for f in fields
            ]
            cursor.execute(
                head + ", ".join([one] * len(batch)) + returning,
                params,
            )
            for obj, (new_id,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = new_id
                obj._state.adding = False
                obj._state.db = using
    return True


def _update_each(model: Any, objs: list[Any], fields: Iterable[str], using: str) -> int:
    """One UPDATE … WHERE pk = ? run for every object (executemany). Django's bulk_update
    builds one CASE WHEN per field and row, which costs ~2 ms a row in Python: an import
    of thousands of rows spent most of its time there."""
    from django.db import connections

    connection = connections[using]
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 - the model's own names, quoted
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in columns),
        quote(model._meta.pk.column),
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def locked_values(
    model: type[models.Model], pks: list[Any], fields: Iterable[str], using: str = "default"
) -> dict[Any, dict[str, Any]]:
    """pk → {attname: value as the trail stores it} of `fields`, the rows locked until the
    transaction ends (what `bulk_update` records as the values before)."""
    rows = model._base_manager.using(using).filter(pk__in=pks).select_for_update()
    return _values(rows, fields)


def _values(rows: models.QuerySet, fields: Iterable[str]) -> dict[Any, dict[str, Any]]:
    """pk → {attname: value as the trail stores it} of `fields`."""
    names = [audit._attname(rows.model, f) for f in fields]
    return {
        row["pk"]: {k: audit._jsonable(v) for k, v in row.items() if k != "pk"}
        for row in rows.values("pk", *names)
    }


class StepRecord(models.Model):
    """One step of a record's lifecycle (an agreement's state, an opportunity's decision): from
    what to what, when, who and why. A subclass adds the foreign key named by `parent_field`
    and `source` and `target` with its own choices; the step is as confidential as its parent."""

    parent_field: ClassVar[str]

    at = models.DateTimeField(_("quando"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chi"),
    )
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} → {self.get_target_display()}"  # type: ignore[attr-defined]  # the subclass's choices

    def _parent(self) -> Any:
        return getattr(self, self.parent_field)

    def audit_parents(self) -> list[Any]:
        return [self._parent()]

    def audit_confidentiality(self) -> str:
        return str(self._parent().confidentiality)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("creato il"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modificato il"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic concurrency: an update must name the version it was made from."""

    version = models.PositiveIntegerField(_("versione"), default=1, editable=False)

    class Meta:
        abstract = True


class EnteKind(models.TextChoices):
    CITTA_METROPOLITANA = "citta_metropolitana", _("Città metropolitana")
    COMUNE = "comune", _("Comune")
    UNIONE = "unione", _("Unione di comuni")
    REGIONE = "regione", _("Regione")
    ALTRO = "altro", _("Altro ente")


class Ente(TimeStamped, Versioned):
    """An authority that runs its relations in Ponti (the Città Metropolitana, a municipality…).

    Enti form a tree: the metropolitan city contains its comuni. An ente's Amministratore runs
    the ente and the enti under it. Each ente's public face is an organisation of the registry
    (`partners.Organisation.ente`), so that a bond between two enti is one agreement.
    """

    name = models.CharField(_("nome"), max_length=200, unique=True)
    kind = models.CharField(
        _("tipo di ente"), max_length=24, choices=EnteKind.choices, default=EnteKind.ALTRO
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("ente superiore"),
        help_text=_(
            "Es. la Città metropolitana per uno dei suoi comuni. Vuoto: ente di primo livello."
        ),
    )
    short_name = models.CharField(_("nome breve"), max_length=80, blank=True)
    istat_code = models.CharField(
        _("codice ISTAT"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{3}(\d{3})?$", _("Il codice ISTAT ha 3 o 6 cifre."))],
        help_text=_(
            "6 cifre per un comune (048017 Firenze), 3 per una provincia o città metropolitana."
        ),
    )
    slug = models.SlugField(_("codice"), max_length=80, unique=True)
    country = models.CharField(_("paese"), max_length=2, default="IT")
    city = models.CharField(_("città"), max_length=120, blank=True)
    one_twin_per_country = models.BooleanField(
        _("un solo gemellaggio per paese"),
        default=False,
        help_text=_(
            "Se attivo, un secondo gemellaggio nello stesso paese è segnalato e si suggerisce un patto di amicizia."
        ),
    )
    dormancy_months = models.PositiveSmallIntegerField(
        _("mesi senza attività prima che un legame sia dormiente"),
        default=24,
    )
    gift_value_threshold = models.DecimalField(
        _("soglia di valore dei doni (€)"),
        max_digits=10,
        decimal_places=2,
        default=150,
        help_text=_(
            "I doni di valore stimato superiore sono segnalati (150 € è il «modico valore» del DPR 62/2013)."
        ),
    )

    objects = AuditedQuerySet["Ente"].as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        constraints = [
            models.UniqueConstraint(
                fields=["istat_code"],
                condition=~models.Q(istat_code=""),
                name="ente_istat_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Ente]:
        """The enti above this one, nearest first (a loop in bad data stops the walk)."""
        out: list[Ente] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            out.append(node)
            seen.add(node.pk)
            node = node.parent
        return out

    def descendant_ids(self) -> set[int]:
        """This ente and every ente under it."""
        ids = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = [
                pk
                for pk in Ente.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
                if pk not in ids
            ]
            ids.update(frontier)
        return ids


class SectorQuerySet(AuditedQuerySet["Sector"]):
    def by_position(self) -> SectorQuerySet:
        return self.order_by("position", "code")


class Sector(models.Model):
    """A field of cooperation (università, cultura, economia…), bilingual."""

    code = models.SlugField(_("codice"), max_length=40, unique=True)
    name_it = models.CharField(_("nome (italiano)"), max_length=80)
    name_en = models.CharField(_("nome (inglese)"), max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("settore")
        verbose_name_plural = _("settori")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "it").startswith("en") else self.name_it


class Tag(models.Model):
    name = models.CharField(_("nome"), max_length=60, unique=True)

    objects = AuditedQuerySet["Tag"].as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("etichetta")
        verbose_name_plural = _("etichette")

    def __str__(self) -> str:
        return self.name


class ConfidentialQuerySet(AuditedQuerySet[Any]):
    def visible_to(self, user: Any) -> Self:
        return self.filter(confidentiality__in=visible_levels(user))


class Confidential(models.Model):
    confidentiality = models.CharField(
        _("riservatezza"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNO,
        help_text=_("Pubblico: tutti; interno: il personale; riservato: solo i ruoli autorizzati."),
    )

    class Meta:
        abstract = True


class EnteOwnedQuerySet(ConfidentialQuerySet):
    def for_user(self, user: Any) -> Self:
        """Relation records of the user's enti that the user's clearance in that ente allows."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.visible_to(user)
        visible = ente_clearance_q(user)
        return self.filter(visible) if visible is not None else self.none()


def ente_clearance_q(user: Any, prefix: str = "") -> models.Q | None:
    """Records of the user's enti, each within the user's clearance in that ente (None: none).

    `prefix` reaches the ente and confidentiality through a relation, e.g. "agreement__".
    """
    from .roles import enti_by_clearance

    visible: models.Q | None = None
    for level, ente_ids in enti_by_clearance(user).items():
        q = models.Q(
            **{
                f"{prefix}ente_id__in": ente_ids,
                f"{prefix}confidentiality__in": Confidentiality.up_to(level),
            }
        )
        visible = q if visible is None else visible | q
    return visible


class EnteOwned(Confidential):
    """A relation record: it belongs to one ente and is seen only by that ente's users."""

    ente = models.ForeignKey(Ente, on_delete=models.PROTECT, verbose_name=_("ente"))

    class Meta:
        abstract = True


# --- Audit trail --------------------------------------------------------------------


class AuditAction(models.TextChoices):
    CREATE = "create", _("Creazione")
    UPDATE = "update", _("Modifica")
    DELETE = "delete", _("Eliminazione")
    MERGE = "merge", _("Unione")
    BULK = "bulk", _("Operazione massiva")
    # GDPR: someone exported a person's data (art. 15), or erased them (art. 17).
    ACCESS = "access", _("Accesso ai dati personali")
    ERASE = "erase", _("Cancellazione dei dati personali")


class AuditChannel(models.TextChoices):
    """Where a change came from (set where the actor is set: see `core.audit`)."""

    WEB = "web", _("Web")
    API = "api", _("API")
    COMMAND = "command", _("Comando")
    IMPORT = "import", _("Importazione")
    SYSTEM = "system", _("Sistema")


class ImmutableQuerySet(models.QuerySet["AuditEvent"]):
    """The audit trail is append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")

    def visible_to(self, user: Any) -> ImmutableQuerySet:
        """Events of records the user may see: for a relation record, the user's clearance in
        its ente; for a shared record (no ente), the user's clearance for the registry."""
        shared = models.Q(ente__isnull=True, confidentiality__in=visible_levels(user))
        if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
            return self.filter(confidentiality__in=visible_levels(user))
        relation = ente_clearance_q(user)
        return self.filter(shared | relation if relation is not None else shared)

    def for_object(self, obj: models.Model) -> ImmutableQuerySet:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.for_key(ct, [obj.pk])

    def for_key(self, ct: ContentType, object_ids: list[Any]) -> ImmutableQuerySet:
        return (
            self.filter(links__content_type=ct, links__object_id__in=[str(i) for i in object_ids])
            .distinct()
            .select_related("actor", "content_type")
            .order_by("-at", "-id")
        )


class AuditEvent(models.Model):
    """One change to one record: who, when, what, and each field's old and new value."""

    at = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chi"),
    )
    actor_repr = models.CharField(_("utente"), max_length=150, blank=True)
    action = models.CharField(_("azione"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("oggetto"), max_length=300)
    object_version = models.PositiveIntegerField(null=True, blank=True)
    changes = models.JSONField(_("modifiche"), default=dict, blank=True)
    note = models.CharField(_("nota"), max_length=300, blank=True)
    # Copied from the record, so that a history shows each user only what they may see.
    confidentiality = models.CharField(max_length=10, default="pubblico")
    # Indexed with the time, below: the log's order within an ente.
    ente = models.ForeignKey(
        Ente, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Empty for events recorded before channels were.
    channel = models.CharField(
        _("canale"), max_length=10, choices=AuditChannel.choices, blank=True, default=""
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("evento di audit")
        verbose_name_plural = _("registro delle modifiche")
        permissions = [("view_auditlog", _("Può leggere il registro delle modifiche"))]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The log's filters, each in the log's order (newest first).
            models.Index(fields=["ente", "-at"], name="auditevent_ente_at_idx"),
            models.Index(fields=["channel", "-at"], name="auditevent_channel_at_idx"),
            models.Index(fields=["actor_repr", "-at"], name="auditevent_actor_at_idx"),
            models.Index(fields=["content_type", "-at"], name="auditevent_type_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events cannot be deleted.")

    @property
    def model_name(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model else self.content_type.model


class AuditLink(models.Model):
    """Which records' histories an event belongs to (the record itself and its owners)."""

    event = models.ForeignKey(AuditEvent, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "content_type", "object_id"], name="auditlink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.content_type_id}:{self.object_id}"


class AlertDelivery(models.Model):
    """One due item e-mailed to one user, once: makes `ponti scadenze` idempotent.

    A row is claimed before the e-mail is sent (`sent_at` empty) and marked sent only after
    the mail server took it; a failed send drops the claim, so the next run tries again. A
    claim left by a run that died is taken over after an hour.
    """

    key = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="alert_delivered_once")
        ]

    def __str__(self) -> str:
        return self.key


# The import engine's tables (ponti/core/importing), declared here so that Django finds them.
from .importing.models import (  # noqa: E402,F401
    ImportBatch,
    ImportedRecord,
    ImportMapping,
    ImportRow,
)
