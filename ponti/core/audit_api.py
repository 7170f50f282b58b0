"""GET /api/v1/audit-events: the change log, read-only, with the page's filters and readers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from .api import LIST, HistoryEventOut, IsoDate, page, user_of
from .audit import event_out
from .audit_log import (
    NO_ENTE,
    AuditFilterForm,
    filtered_events,
    kind_key,
    require_log_reader,
)
from .confidentiality import Confidentiality
from .models import AuditAction, AuditChannel, AuditEvent

router = Router(tags=["Registro delle modifiche"])


class AuditEventFilters(Schema):
    limit: int = Field(25, ge=1, le=100, description="Quanti eventi per pagina (al più 100).")
    offset: int = Field(0, ge=0, le=2_147_483_647, description="Quanti eventi saltare.")
    q: str | None = Field(None, max_length=200, description="Parte del nome del record.")
    kind: str | None = Field(
        None, max_length=100, description="Tipo di record, es. partners.organisation."
    )
    actor: str | None = Field(
        None,
        max_length=150,
        description="Lo username di chi ha agito; «(sistema)» per gli eventi senza utente.",
    )
    action: AuditAction | None = None
    channel: AuditChannel | None = None
    date_from: IsoDate | None = Field(None, description="Dal giorno (incluso).")
    date_to: IsoDate | None = Field(None, description="Al giorno (incluso).")
    ente_id: int | None = Field(
        None, ge=0, description="Solo un tuo ente; 0 per il registro condiviso (nessun ente)."
    )


class AuditEventOut(HistoryEventOut):
    channel_label: str
    kind: str = Field(description="Tipo di record, es. partners.organisation.")
    kind_label: str
    ente_id: int | None
    confidentiality: Confidentiality


class AuditEventPage(Schema):
    count: int = Field(description="Quanti eventi corrispondono ai filtri, in tutto.")
    limit: int
    offset: int
    items: list[AuditEventOut]


# The API's names for the form's fields, in errors.
_API_NAMES = {"ente": "ente_id"}


def _out(reader: Any) -> Any:
    def out(event: AuditEvent) -> dict[str, Any]:
        model = event.content_type.model_class()
        return {
            **event_out(event, reader),
            "channel_label": event.get_channel_display(),
            "kind": kind_key(model) if model else event.content_type.model,
            "kind_label": event.model_name,
            "ente_id": event.ente_id,
            "confidentiality": event.confidentiality,
        }

    return out


@router.get("/audit-events", response={200: AuditEventPage, **LIST})
def list_audit_events(request: HttpRequest, filters: Query[AuditEventFilters]) -> Any:
    """The change log of your enti, newest first, as your clearance allows: the Amministratore
    and the Revisore read it. Names of linked records you may not see are hidden."""
    user = user_of(request)
    require_log_reader(user)
    values = filters.dict(exclude={"limit", "offset"}, exclude_none=True)
    data: dict[str, Any] = {k: v for k, v in values.items() if k != "ente_id"}
    for name in ("date_from", "date_to"):
        if name in data:
            data[name] = data[name].isoformat()
    if "ente_id" in values:
        data["ente"] = str(values["ente_id"] or NO_ENTE)
    form = AuditFilterForm(data, reader=user)
    if not form.is_valid():
        raise ValidationError({_API_NAMES.get(k, k): v for k, v in form.errors.as_data().items()})
    return page(filtered_events(user, form.cleaned_data), filters, _out(user))
