"""An import is a recorded batch: its file, its mapping, its progress, its row report, what it wrote."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.models import AuditedQuerySet, EnteOwned, EnteOwnedQuerySet, TimeStamped, Versioned


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("In coda")
    CHECKING = "checking", _("Verifica in corso")
    CHECKED = "checked", _("Verificata: pronta da confermare")
    REFUSED = "refused", _("Righe da correggere")
    MAPPING = "mapping", _("Colonne da indicare")
    WRITING = "writing", _("Scrittura in corso")
    DONE = "done", _("Importata")
    FAILED = "failed", _("Non importata")
    UNDOING = "undoing", _("Annullamento in corso")
    UNDONE = "undone", _("Annullata")

    @property
    def busy(self) -> bool:
        return self in BUSY


BUSY = {BatchStatus.QUEUED, BatchStatus.CHECKING, BatchStatus.WRITING, BatchStatus.UNDOING}


class RowStatus(models.TextChoices):
    NEW = "nuovo", _("Nuovo")
    UPDATED = "aggiornato", _("Aggiornato")
    UNCHANGED = "invariato", _("Invariato")
    ERROR = "errore", _("Rifiutato")


class ImportBatch(TimeStamped, Versioned, EnteOwned):
    kind = models.CharField(_("tipo di dati"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utente"),
    )
    file = models.FileField(_("file"), upload_to="importazioni/%Y/%m/", max_length=300)
    filename = models.CharField(_("nome del file"), max_length=255)
    mapping = models.JSONField(_("colonne indicate"), default=dict, blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    channel = models.CharField(_("canale"), max_length=10, default="web")
    total_rows = models.PositiveIntegerField(_("righe"), null=True, blank=True)
    counts = models.JSONField(_("esito per riga"), default=dict, blank=True)
    file_errors = models.JSONField(_("errori del file"), default=list, blank=True)
    unknown_columns = models.JSONField(default=list, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_at = models.DateTimeField(_("verificata il"), null=True, blank=True)
    committed_at = models.DateTimeField(_("importata il"), null=True, blank=True)
    undone_at = models.DateTimeField(_("annullata il"), null=True, blank=True)
    seconds = models.FloatField(_("durata (s)"), null=True, blank=True)

    objects = EnteOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        indexes = [models.Index(fields=["ente", "-created_at"], name="import_batch_recent")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind})"

    @property
    def busy(self) -> bool:
        return self.status in BUSY

    @property
    def stalled(self) -> bool:
        """A worker that died mid-run (kill -9) leaves its batch busy: after 2 minutes without
        a sign of life it may be run again (its transaction was rolled back: nothing was kept)."""
        if not self.busy or self.status == BatchStatus.QUEUED:
            return False
        from django.conf import settings

        from . import progress

        limit = int(getattr(settings, "PONTI_IMPORT_STALL_SECONDS", 120))
        meter = progress.read(self.pk)
        if meter is not None:
            return timezone.now().timestamp() - float(meter.get("at", 0)) > limit
        beat = self.heartbeat_at or self.updated_at
        return (timezone.now() - beat).total_seconds() > limit

    def audit_label(self) -> str:
        return str(self)


class ImportRow(models.Model):
    """One row of the report of the batch's last run (dry run, or the run that wrote)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("riga"))
    status = models.CharField(_("esito"), max_length=10, choices=RowStatus.choices)
    label = models.CharField(_("dato"), max_length=300, blank=True)
    # {"errors": […], "warnings": […], "changes": […]}, only the non-empty ones; null when the
    # row has nothing to say (most rows of a clean file): one JSON value per row, not three.
    messages = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "number"]
        indexes = [models.Index(fields=["batch", "status", "number"], name="import_row_status")]

    def __str__(self) -> str:
        return f"{self.number}: {self.status}"

    @property
    def errors(self) -> list[str]:
        return (self.messages or {}).get("errors", [])

    @property
    def warnings(self) -> list[str]:
        return (self.messages or {}).get("warnings", [])

    @property
    def changes(self) -> list[str]:
        return (self.messages or {}).get("changes", [])


class RecordAction(models.TextChoices):
    CREATED = "created", _("creato")
    UPDATED = "updated", _("aggiornato")


class ImportedRecord(models.Model):
    """What a batch wrote, to undo it while nobody has changed it since: one row per chunk,
    kind of record and action, with the ids, their versions after the import and (for
    updates) the changed fields as they were."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=8, choices=RecordAction.choices)
    object_ids = models.JSONField(default=list)
    versions = models.JSONField(default=list)  # None for records without versions
    befores = models.JSONField(default=list)  # {} for created records

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.content_type_id}: {len(self.object_ids)}"

    def entries(self) -> list[tuple[int, int | None, dict[str, Any]]]:
        return list(zip(self.object_ids, self.versions, self.befores, strict=True))


class ImportMapping(TimeStamped, models.Model):
    """A mapping of headers to columns, saved by an ente to reuse with files of the same shape."""

    ente = models.ForeignKey("core.Ente", on_delete=models.CASCADE, verbose_name=_("ente"))
    kind = models.CharField(_("tipo di dati"), max_length=40)
    name = models.CharField(_("nome"), max_length=120)
    mapping = models.JSONField(_("colonne"), default=dict)

    objects = AuditedQuerySet["ImportMapping"].as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("corrispondenza di colonne")
        verbose_name_plural = _("corrispondenze di colonne")
        constraints = [
            models.UniqueConstraint(fields=["ente", "kind", "name"], name="import_mapping_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_confidentiality(self) -> str:
        """The office's working tools, read by the ente's staff."""
        return "interno"
