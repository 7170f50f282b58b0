"""Dossier downloads: /report/dossier/incontro/<id>.pdf|docx, /report/dossier/partner/<id>.pdf|docx.

`?lang=it|en` picks the language (default: the page's). A meeting or partner the user may
not see is a 404, before anything is collected: never a file.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation

from . import dossier
from .dossier.data import meeting_for, organisation_for


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or translation.get_language() or "it"
    lang = lang.split("-")[0]
    if lang not in dossier.LANGUAGES:
        raise Http404
    return lang


def _file(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=dossier.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def meeting_dossier(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = meeting_for(request.user, pk)
    content, name = dossier.render(
        request.user, fmt=fmt, language=_language(request), meeting=meeting
    )
    return _file(content, name, fmt)


@login_required
def partner_dossier(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    org = organisation_for(request.user, pk)
    content, name = dossier.render(
        request.user, fmt=fmt, language=_language(request), organisation=org
    )
    return _file(content, name, fmt)
