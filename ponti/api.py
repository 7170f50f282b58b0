"""The JSON API at /api/v1/: one NinjaAPI that mounts each app's router."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ponti.core.api import SessionAuth, TokenAuth, field_errors
from ponti.core.services import ConflictError

api = NinjaAPI(
    title="Ponti API",
    version="1",
    description=(
        "Le relazioni internazionali della Città metropolitana: partner, persone, incarichi. "
        "Autenticazione: `Authorization: Bearer <token personale>` oppure la sessione del browser."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def _loc_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        errors.setdefault(_loc_name(list(err.get("loc", []))), []).append(str(err.get("msg")))
    return api.create_response(
        request, {"detail": _("Dati non validi."), "errors": errors}, status=422
    )


@api.exception_handler(ValidationError)
def on_django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Dati non validi."), "errors": field_errors(exc)}, status=422
    )


@api.exception_handler(ConflictError)
def on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _("Il record è stato modificato da qualcun altro dopo che l'hai aperto."),
            "current_version": exc.obj.version,  # type: ignore[attr-defined]
            "changes": [
                {**c, "at": c["at"].isoformat()} for c in exc.changes
            ],
        },
        status=409,
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _("Permesso negato.")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Non trovato.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Autenticazione richiesta.")}, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _mount() -> None:
    from ponti.partners.api import router as partners_router

    api.add_router("/", partners_router)


_mount()
