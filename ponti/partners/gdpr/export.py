"""An export of a person's data, as a file, recorded in the audit trail (access to personal
data is itself an event: who exported whom, when, in what format)."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from ponti.core import audit
from ponti.core.models import AuditAction

from ..models import Person
from . import export_pdf
from .collect import collect

FORMATS = {"json": "application/json", "pdf": "application/pdf"}


def export(person: Person, *, user: Any, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the export in `fmt` ("json" or "pdf")."""
    data = collect(person, user)
    if fmt == "pdf":
        content = export_pdf.render(data)
    else:
        content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    with audit.acting_as(user), transaction.atomic():
        audit.record(
            person,
            AuditAction.ACCESS,
            {"format": fmt},
            note=_("Esportazione dei dati personali (art. 15 GDPR)"),
        )
    return content, FORMATS[fmt], f"dati-personali-{person.pk}.{fmt}"
