"""/api/v1/imports: the same batches as the import pages; the work runs in the background worker.

POST a file to start a batch (its dry run is queued: 202), poll GET /imports/{id} for the
status and progress, read the report from /imports/{id}/rows, then POST …/commit to write it
(all or nothing) and …/undo to take it back while its records are unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from ponti.core import uploads
from ponti.core.api import AUTH, BODY, READ, ErrorOut, FieldErrorOut, page, user_of
from ponti.core.ids import parse_id
from ponti.core.models import Ente

from . import access, kinds, progress, services
from .models import BatchStatus, ImportBatch, RowStatus

router = Router(tags=["Importazioni"])


class ColumnOut(Schema):
    key: str
    label: str
    required: bool


class KindOut(Schema):
    kind: str
    label: str
    description: str
    columns: list[ColumnOut]
    ente_ids: list[int]


class ProgressOut(Schema):
    done: int
    total: int | None
    phase: str


class BatchOut(Schema):
    id: int
    kind: str
    ente_id: int
    user: str
    filename: str
    status: BatchStatus
    status_label: str
    busy: bool
    stalled: bool
    progress: ProgressOut | None
    total_rows: int | None
    counts: dict[str, int]
    file_errors: list[str]
    unknown_columns: list[str]
    mapping: dict[str, str]
    created_at: str
    checked_at: str | None
    committed_at: str | None
    undone_at: str | None
    seconds: float | None
    version: int


class BatchPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[BatchOut]


class RowOut(Schema):
    number: int
    status: RowStatus
    label: str
    errors: list[str]
    warnings: list[str]
    changes: list[str]


class RowPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[RowOut]


class Paging(Schema):
    limit: int = Field(25, ge=1, le=500)
    offset: int = Field(0, ge=0, le=2_147_483_647)


class RowFilters(Paging):
    status: RowStatus | None = None


class MappingIn(Schema):
    mapping: dict[str, str] = Field(
        ...,
        description='Intestazione come scritta nel file → chiave della colonna, o "" per ignorarla.',
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def batch_out(batch: ImportBatch) -> dict[str, Any]:
    meter = progress.read(batch.pk) if batch.busy else None
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "ente_id": batch.ente_id,
        "user": str(batch.user),
        "filename": batch.filename,
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "busy": batch.busy,
        "stalled": batch.stalled,
        "progress": meter,
        "total_rows": batch.total_rows,
        "counts": batch.counts or {},
        "file_errors": [str(e) for e in batch.file_errors],
        "unknown_columns": batch.unknown_columns,
        "mapping": batch.mapping,
        "created_at": batch.created_at.isoformat(),
        "checked_at": _iso(batch.checked_at),
        "committed_at": _iso(batch.committed_at),
        "undone_at": _iso(batch.undone_at),
        "seconds": batch.seconds,
        "version": batch.version,
    }


@router.get("/imports/kinds", response={200: list[KindOut], **AUTH})
def import_kinds(request: HttpRequest) -> Any:
    """What the user may import, where, and the columns each kind reads."""
    allowed = access.allowed(user_of(request))
    out = []
    for kind, importer_class in kinds.all_kinds().items():
        if kind not in allowed:
            continue
        out.append(
            {
                "kind": kind,
                "label": str(importer_class.label),
                "description": str(importer_class.description),
                "columns": [
                    {"key": c.key, "label": str(c.label), "required": c.required}
                    for c in importer_class.columns
                ],
                "ente_ids": [e.pk for e in allowed[kind]],
            }
        )
    return out


@router.get("/imports", response={200: BatchPageOut, **AUTH, 422: FieldErrorOut})
def list_imports(request: HttpRequest, params: Query[Paging]) -> Any:
    return page(access.batches_for(user_of(request)), params, batch_out)


@router.post("/imports", response={202: BatchOut, **AUTH, **BODY})
def start_import(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[str],
    ente_id: Form[int | None] = None,
    mapping: Form[str] = "",
) -> Any:
    """Upload a file: the batch is recorded and its dry run queued (202). Nothing is written
    until POST /imports/{id}/commit."""
    user = user_of(request)
    allowed = access.allowed(user)
    if kind not in kinds.all_kinds():
        raise ValidationError({"kind": [f"Tipo sconosciuto: {', '.join(kinds.all_kinds())}."]})
    if kind not in allowed:
        raise PermissionDenied
    enti = allowed[kind]
    ente: Ente | None
    if ente_id is None:
        ente = enti[0] if len(enti) == 1 else None
    else:
        ente = next((e for e in enti if e.pk == parse_id(ente_id)), None)
    if ente is None:
        raise ValidationError(
            {"ente_id": ["Indica uno dei tuoi enti in cui puoi importare questi dati."]}
        )
    chosen: dict[str, str] = {}
    if mapping:
        try:
            chosen = json.loads(mapping)
        except ValueError:
            chosen = None  # type: ignore[assignment]
        if not isinstance(chosen, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in chosen.items()
        ):
            raise ValidationError(
                {"mapping": ["Un oggetto JSON: intestazione → chiave della colonna."]}
            )
    try:
        upload = uploads.read_upload(file, allowed=(uploads.CSV, uploads.XLSX, uploads.ODS))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    batch = services.start(
        user=user,
        ente=ente,
        kind=kind,
        filename=upload.name,
        data=upload.data,
        mapping=chosen,
        channel="api",
    )
    batch.refresh_from_db()
    return Status(202, batch_out(batch))


@router.get("/imports/{batch_id}", response={200: BatchOut, **READ})
def get_import(request: HttpRequest, batch_id: int) -> Any:
    return batch_out(access.get_batch(user_of(request), batch_id))


@router.get("/imports/{batch_id}/rows", response={200: RowPageOut, **READ})
def import_rows(request: HttpRequest, batch_id: int, params: Query[RowFilters]) -> Any:
    batch = access.get_batch(user_of(request), batch_id)
    rows = batch.rows.all()
    if params.status:
        rows = rows.filter(status=params.status)
    return page(
        rows,
        params,
        lambda r: {
            "number": r.number,
            "status": r.status,
            "label": r.label,
            "errors": r.errors,
            "warnings": r.warnings,
            "changes": r.changes,
        },
    )


def _act(request: HttpRequest, batch_id: int, action: str, body: Any = None) -> Any:
    user = user_of(request)
    batch = access.get_batch(user, batch_id)
    if kinds.all_kinds()[batch.kind](ente=batch.ente, user=user).refusal():
        raise PermissionDenied
    if action == "commit":
        services.confirm(batch, user=user)
    elif action == "undo":
        services.undo(batch, user=user)
    else:
        services.remap(batch, body.mapping, user=user)
    batch.refresh_from_db()
    return Status(202, batch_out(batch))


ACT = {202: BatchOut, **READ, 409: ErrorOut}


@router.post("/imports/{batch_id}/commit", response=ACT)
def commit_import(request: HttpRequest, batch_id: int) -> Any:
    """Write the checked batch, all or nothing, in the background (202)."""
    return _act(request, batch_id, "commit")


@router.post("/imports/{batch_id}/undo", response=ACT)
def undo_import(request: HttpRequest, batch_id: int) -> Any:
    """Take the batch back (202), or 422 naming the records changed since."""
    return _act(request, batch_id, "undo")


@router.post("/imports/{batch_id}/mapping", response={**ACT, **BODY})
def map_import(request: HttpRequest, batch_id: int, body: MappingIn) -> Any:
    """Say which column each unknown header is (or "" to ignore it): the dry run runs again."""
    return _act(request, batch_id, "mapping", body)
