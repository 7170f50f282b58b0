"""The briefing dossier as an API operation (tag "incontri"), beside the meetings router.

It lives here, not in ponti.meetings.api: reports reads every app, and no app imports reports.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from ponti.core.api import ErrorOut, FieldErrorOut
from ponti.core.permissions import get_for_user
from ponti.meetings.models import Meeting
from ponti.partners.schemas import QueryId

from . import dossier

router = Router(tags=["incontri"])

READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorOut}


class DossierQuery(Schema):
    format: Literal["pdf", "docx"] = "pdf"
    lang: Literal["it", "en"] = "it"


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _get(user: Any, model: type[Any], pk: int) -> Any:
    obj, _editable = get_for_user(user, model, pk)
    return obj


@router.get(
    "/meetings/{meeting_id}/dossier",
    response={200: None, **READ},
    openapi_extra={
        "responses": {
            "200": {
                "description": "Il dossier (PDF o DOCX), con ciò che l'utente può vedere.",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def meeting_dossier(request: HttpRequest, meeting_id: QueryId, params: Query[DossierQuery]) -> Any:
    """The briefing dossier of the meeting, generated now."""
    user = _user(request)
    meeting = _get(user, Meeting, meeting_id)
    content, name = dossier.render(user, fmt=params.format, language=params.lang, meeting=meeting)
    response = HttpResponse(content, content_type=dossier.FORMATS[params.format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
