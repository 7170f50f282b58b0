"""Starting, confirming and undoing imports: the one way in for the page, the API and the command."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from ponti.core import audit
from ponti.core.confidentiality import CONFIDENTIALITY_LEVELS
from ponti.core.roles import clearance_in

from . import kinds
from .models import BatchStatus, ImportBatch, ImportMapping


def start(
    *,
    user: Any,
    ente: Any,
    kind: str,
    filename: str,
    data: bytes,
    mapping: dict[str, str] | None = None,
    channel: str = "web",
    background: bool = True,
) -> ImportBatch:
    """Record a batch with its file and check it (the dry run): in the worker, or here."""
    importer_class = kinds.get(kind)
    if importer_class is None:
        raise ValidationError({"kind": _("Tipo di dati sconosciuto: «%(kind)s».") % {"kind": kind}})
    refusal = importer_class(ente=ente, user=user).refusal()
    if refusal:
        raise PermissionDenied(refusal)
    # The report names what the file holds, which may be as confidential as anything its author
    # reads in that ente: the batch is read only by those who read as much.
    level = max(clearance_in(user, ente.pk), 0)
    confidentiality = next(n for n, v in CONFIDENTIALITY_LEVELS.items() if v == level)
    with audit.acting_as(user), audit.in_channel(channel), transaction.atomic():
        batch = ImportBatch(
            ente=ente,
            user=user,
            confidentiality=confidentiality,
            kind=kind,
            filename=filename[:255],
            mapping=mapping or {},
            channel=channel,
            status=BatchStatus.QUEUED,
        )
        batch.file.save(filename[-100:] or "import", ContentFile(data), save=False)
        batch.save()
    return _run_later(batch, "check") if background else _run_now(batch, "check")


def remap(
    batch: ImportBatch, mapping: dict[str, str], *, user: Any, background: bool = True
) -> ImportBatch:
    """Check again with the headers the user mapped."""
    _require_idle(
        batch, {BatchStatus.MAPPING, BatchStatus.REFUSED, BatchStatus.CHECKED, BatchStatus.FAILED}
    )
    with audit.acting_as(user), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(mapping=mapping, status=BatchStatus.QUEUED)
    batch.mapping = mapping
    batch.status = BatchStatus.QUEUED
    return _run_later(batch, "check") if background else _run_now(batch, "check")


def confirm(batch: ImportBatch, *, user: Any, background: bool = True) -> ImportBatch:
    """Write the checked batch (all or nothing). A batch whose worker died may be run again."""
    _require_idle(batch, {BatchStatus.CHECKED, BatchStatus.FAILED}, stalled_ok=True)
    _queue(batch, user)
    return _run_later(batch, "commit") if background else _run_now(batch, "commit")


def undo(batch: ImportBatch, *, user: Any, background: bool = True) -> ImportBatch:
    _require_idle(batch, {BatchStatus.DONE})
    from .engine import undo_refusal

    problems = undo_refusal(batch)
    if problems:
        raise ValidationError(problems)
    with audit.acting_as(user), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.UNDOING)
    batch.status = BatchStatus.UNDOING
    return _run_later(batch, "undo") if background else _run_now(batch, "undo")


def save_mapping(
    *, user: Any, ente: Any, kind: str, name: str, mapping: dict[str, str]
) -> ImportMapping:
    with audit.acting_as(user), transaction.atomic():
        saved, _created = ImportMapping.objects.update_or_create(
            ente=ente, kind=kind, name=name[:120], defaults={"mapping": mapping}
        )
    return saved


def _queue(batch: ImportBatch, user: Any) -> None:
    with audit.acting_as(user), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.QUEUED, file_errors=[])
    batch.status = BatchStatus.QUEUED


def _require_idle(batch: ImportBatch, allowed: set[str], *, stalled_ok: bool = False) -> None:
    if batch.status in allowed or (stalled_ok and batch.stalled):
        return
    raise ValidationError(
        _("L'importazione è «%(status)s»: non si può fare ora.")
        % {"status": batch.get_status_display()}
    )


def _run_later(batch: ImportBatch, step: str) -> ImportBatch:
    from . import tasks

    task = {"check": tasks.check_batch, "commit": tasks.commit_batch, "undo": tasks.undo_batch}[
        step
    ]
    # After the batch's own row is committed, so the worker finds it.
    transaction.on_commit(lambda: task.enqueue(batch.pk))
    return batch


def _run_now(batch: ImportBatch, step: str) -> ImportBatch:
    from . import engine

    run = {"check": engine.check, "commit": engine.commit, "undo": engine.undo}[step]
    return run(batch)
