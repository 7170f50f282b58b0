"""The JSON API at /api/v1/: one NinjaAPI that mounts each app's router."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from ponti.core.api import SessionAuth, TokenAuth, field_errors, refuse_forbidden_text
from ponti.core.money import JsonNumber
from ponti.core.services import ConflictError

DESCRIPTION = """\
Le relazioni internazionali della Città metropolitana: partner, persone, incarichi, accordi,
reti, incontri, opportunità (bandi, ricerche di partner, eventi), obiettivi del DUP, indicatori e
risorse finanziarie.

**Autenticazione**: `Authorization: Bearer <token personale>` oppure la sessione del browser
(con il token CSRF nell'intestazione `X-CSRFToken` per POST, PUT, PATCH e DELETE).

**Permessi**: gli stessi delle pagine. Senza credenziali valide la risposta è 401; senza il
permesso del proprio ruolo 403; un record che il proprio livello di riservatezza non permette
di leggere è 404, come se non esistesse.

**Concorrenza**: ogni record modificabile ha una `version` (organizzazioni, persone, incarichi,
accordi, impegni, adesioni con ruoli, gruppi di lavoro e quote, membri delle reti, incontri,
richieste di visita, azioni di follow-up, doni, opportunità, obiettivi, indicatori, capitoli e
importi).
Ogni modifica (PUT o PATCH) indica la versione letta; se nel frattempo qualcuno ha salvato,
la risposta è 409 con le modifiche intercorse e la versione attuale.

**Dati in ingresso**: i tipi JSON sono rigidi (niente `"5"` per un intero); le lunghezze
seguono il modello; il testo libero è ripulito dagli spazi ai lati; i caratteri di controllo
(tranne tabulazione, a capo e ritorno carrello), NUL e surrogati sono rifiutati con 422 in ogni
campo, parametro e file; i campi sconosciuti,
compresi quelli di sola lettura come `id` o `kind_label`, sono rifiutati con 422
(`additionalProperties: false`), così un refuso non va perso in silenzio. JSON malformato: 400.
Gli importi sono un numero JSON o un testo come `"1234.56"`: più di 2 decimali, esponenti
(`1e3`), NaN, Infinity e cifre non ASCII sono rifiutati, mai arrotondati.
Corpo oltre %(max_mb).1f MB: 413.

**Errori**: `{"detail": "…"}`; i 422 aggiungono `errors`, campo → messaggi, con i nomi dei
campi dell'API (es. `parent_id`, `other_names.0.language`, `person.email`).

Lo storico (`…/history`) è di sola lettura, come il registro delle modifiche (`/audit-events`:
per l'Amministratore e il Revisore, con gli eventi dei propri enti e del proprio livello di
riservatezza, filtrabili per tipo di record, utente, date, canale, azione ed ente).
"""


class StrictJSONParser(Parser):
    """JSON without NaN or Infinity, which no JSON standard allows and no column can store.

    Numbers with a fraction or an exponent are floats that remember how they were written
    (`JsonNumber`), so that amounts are read from the client's digits, never through a float.
    The body is parsed once per request: the text check reads it before the operation does.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        cached = getattr(request, "_ponti_json", None)
        if cached is not None:
            return cached[0]

        def refuse(name: str) -> Any:
            raise ValueError(f"{name} is not valid JSON")

        data = json.loads(request.body, parse_constant=refuse, parse_float=JsonNumber)
        request._ponti_json = (data,)  # type: ignore[attr-defined]
        return data


def _max_mb() -> float:
    from django.conf import settings

    return (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / (1024 * 1024)


def _merged(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **{k: _merged(old.get(k), v) for k, v in new.items()}}
    return new


class PontiAPI(NinjaAPI):
    def create_temporal_response(self, request: HttpRequest) -> HttpResponse:
        """Called by every operation after authentication and before its input is read: the
        one place where the text of every request is checked (`refuse_forbidden_text`)."""
        refuse_forbidden_text(request, self.parser.parse_body)
        return super().create_temporal_response(request)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's document, with each operation's status codes as strings, once.

        `response={200: …}` gives integer keys and an operation's `openapi_extra` string
        keys; left side by side, the JSON has "200" twice, which Swagger UI refuses to
        render ("duplicated mapping key"). The string entry, written by hand, wins.
        """
        schema = super().get_openapi_schema(**kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                responses = operation.get("responses") if isinstance(operation, dict) else None
                if isinstance(responses, dict):
                    merged: dict[str, Any] = {}
                    for code in sorted(responses, key=lambda c: isinstance(c, str)):
                        merged[str(code)] = _merged(merged.get(str(code)), responses[code])
                    operation["responses"] = merged
        return schema


api = PontiAPI(
    title="Ponti API",
    version="1",
    description=DESCRIPTION % {"max_mb": _max_mb()},
    auth=[TokenAuth(), SessionAuth()],
    parser=StrictJSONParser(),
    # Swagger UI from ninja's own static files ("ninja" is in INSTALLED_APPS): no CDN, and no
    # call to validator.swagger.io from the user's browser.
    docs=Swagger(settings={"validatorUrl": None}),
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
    obj: Any = exc.obj
    # The version now in the database, which may be newer than the object the view loaded.
    current = type(obj)._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
    return api.create_response(
        request,
        {
            "detail": _("Il record è stato modificato da qualcun altro dopo che l'hai aperto."),
            "current_version": current if current is not None else obj.version,
            "changes": [{**c, "at": c["at"].isoformat()} for c in exc.changes],
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
    response = api.create_response(request, {"detail": _("Autenticazione richiesta.")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="ponti"'
    return response


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Il corpo della richiesta supera %(mb).1f MB.") % {"mb": _max_mb()}},
        status=413,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


def _mount() -> None:
    from ponti.accounts.api import router as accounts_router
    from ponti.agreements.api import router as agreements_router
    from ponti.agreements.bond_api import router as bonds_router
    from ponti.core.audit_api import router as audit_router
    from ponti.core.importing.api import router as imports_router
    from ponti.meetings.api import router as meetings_router
    from ponti.networks.api import router as networks_router
    from ponti.opportunities.api import router as opportunities_router
    from ponti.opportunities.saved_api import router as saved_searches_router
    from ponti.partners.api import router as partners_router
    from ponti.planning.api import router as planning_router
    from ponti.reports.api import router as reports_router

    api.add_router("/", partners_router)
    api.add_router("/", agreements_router)
    api.add_router("/", bonds_router)
    api.add_router("/", networks_router)
    api.add_router("/", meetings_router)
    api.add_router("/", planning_router)
    api.add_router("/", saved_searches_router)  # before /opportunities/{id}
    api.add_router("/", opportunities_router)
    api.add_router("/", reports_router)
    api.add_router("/", accounts_router)
    api.add_router("/", audit_router)
    api.add_router("/", imports_router)


_mount()
