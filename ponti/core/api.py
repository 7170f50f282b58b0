"""API plumbing shared by every app's router: authentication, error shapes, the status codes an
operation declares, and the small helpers the routers share (paging, versions, clearance, enti)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from .audit import set_actor, set_channel
from .confidentiality import CONFIDENTIALITY_LEVELS, clearance
from .models import AuditAction
from .money import MAX_AMOUNT, AmountError, parse_amount
from .permissions import enti_for
from .roles import clearance_in
from .services import ConflictError
from .text import forbidden_in


def _iso_date(value: Any) -> Any:
    """Only "YYYY-MM-DD" strings: no timestamps, no datetimes."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("date_format", "Scrivi la data come AAAA-MM-GG, es. 2024-05-31.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_invalid", "Data inesistente.") from None


# Dates in bodies and query strings: "YYYY-MM-DD" only, never a timestamp such as 0.
IsoDate = Annotated[
    datetime.date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})
]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ponti_…` with a personal token (only its hash is stored)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from django.apps import apps

        ApiToken = apps.get_model("accounts", "ApiToken")  # core imports no app
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
            set_actor(user)
            set_channel("api")
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods.

    The CSRF check runs only when the session authenticates someone: a request with
    neither a valid token nor a session is a 401, not a CSRF 403.
    """

    param_name = "sessionid"

    def __init__(self) -> None:
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(
                403, _("Verifica CSRF non riuscita: invia il token nell'intestazione X-CSRFToken.")
            )
        set_channel("api")  # the middleware set "web": this request is the API's
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class FieldChangeOut(Schema):
    field: str
    old: str
    new: str


class ChangeOut(Schema):
    at: datetime.datetime
    by: str
    fields: list[FieldChangeOut]


class HistoryEventOut(Schema):
    """One entry of a record's history (`core.audit.event_out`)."""

    id: int
    at: datetime.datetime
    actor: str | None = Field(description="Lo username di chi ha agito; nullo per il sistema.")
    action: AuditAction
    action_label: str
    object_type: str = Field(description="Es. organisation, position, organisationname.")
    object_id: str = Field(description="«*» per un'operazione massiva su più record.")
    object_repr: str
    object_version: int | None
    changes: dict[str, Any] = Field(
        description="Campo → [vecchio, nuovo]; per le relazioni molti-a-molti {added, removed}; "
        "per le operazioni massive anche count e ids (i record interessati)."
    )
    note: str
    channel: str = Field(
        description="Da dove: web, api, command, import, system; vuoto se non registrato."
    )


class ConflictOut(Schema):
    detail: str
    current_version: int
    changes: list[ChangeOut]


def field_errors(exc: Any) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}."""
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in getattr(exc, "messages", [str(exc)])]}


# Every status an operation can answer, so that the OpenAPI document is truthful.
AUTH = {401: ErrorOut, 403: ErrorOut}
LIST = {**AUTH, 422: FieldErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
BODY = {400: ErrorOut, 413: ErrorOut, 422: FieldErrorOut}
CREATE = {**AUTH, **BODY}
CREATE_UNDER = {**READ, **BODY}
UPDATE = {**READ, **BODY}
UPDATE_VERSIONED = {**UPDATE, 409: ConflictOut}
DELETE = {**READ, 409: ErrorOut}


# --- exports: `GET /<list>/export?format=csv|xlsx|ods` with the list's own filters -----------


class ExportQuery(Schema):
    format: Literal["csv", "xlsx", "ods"] = Field(
        "csv", description="csv (UTF-8 con BOM), xlsx oppure ods."
    )


def export_doc(what: str) -> dict[str, Any]:
    """The OpenAPI of an export: a file in one of three types (core.exports)."""
    from .exports import CONTENT_TYPES

    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "description": (
            f"{what}: tutti i record visibili che rispondono ai filtri dell'elenco (la paginazione "
            "non si applica), come file CSV, XLSX o ODS; intestazioni nella lingua della richiesta, "
            "la prima colonna è l'ID. Le stesse intestazioni valgono per l'importazione."
        ),
        "responses": {
            "200": {"description": what, "content": dict.fromkeys(CONTENT_TYPES.values(), binary)}
        },
    }


def user_of(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def page(qs: Any, params: Any, out: Any) -> dict[str, Any]:
    """One page of `qs` (`params.offset`, `params.limit`) with the total, each item through `out`."""
    count = qs.count()
    items = list(qs[params.offset : params.offset + params.limit])
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "items": [out(i) for i in items],
    }


def stale(obj: Any, version: int) -> None:
    """Refuse a stale version before looking at the data: the edit was made on old values."""
    if obj.version != version:
        raise ConflictError(obj, version)


def check_clearance(user: Any, level: Any, errors: dict[str, list[str]], ente: Any = None) -> None:
    """A record may not be given a level its author could not read: in its ente, when it has one."""
    allowed = clearance(user) if ente is None else clearance_in(user, getattr(ente, "pk", ente))
    if level is not None and CONFIDENTIALITY_LEVELS[str(level)] > allowed:
        errors.setdefault("confidentiality", []).append(
            _("Non puoi assegnare un livello di riservatezza che non potresti leggere.")
        )


def check_imprecise_date(
    data: dict[str, Any],
    date_field: str,
    precision_field: str,
    errors: dict[str, list[str]],
    current: Any = None,
) -> None:
    """An imprecise date in a body is two fields, as stored (see `core.dates`): the first day
    known (`"signed_on": "1958-01-01"`) and its precision (`"signed_precision": "year"`).
    A date sent without a precision is a day; a precision of day, month or year needs a date.
    Adjusts `data` in place; `current` is the record a PATCH changes."""
    from .dates import DatePrecision

    if date_field not in data and precision_field not in data:
        return
    if data.get(precision_field) is None:
        if date_field in data:
            data[precision_field] = DatePrecision.DAY if data[date_field] else DatePrecision.UNKNOWN
        else:
            data.pop(precision_field, None)
            return
    if data[precision_field] == DatePrecision.UNKNOWN:
        data[date_field] = None
        return
    value = data[date_field] if date_field in data else getattr(current, date_field, None)
    if value is None and data[precision_field] != DatePrecision.UNKNOWN:
        errors.setdefault(date_field, []).append(
            _("Indica la data (il primo giorno del mese o dell'anno) con la precisione «%(p)s».")
            % {"p": DatePrecision(data[precision_field]).label}
        )


def choose_ente(
    user: Any, ente_id: int | None, errors: dict[str, list[str]], model: Any = None
) -> Any:
    """One of the user's enti: the one named, or the only one (else an error on `ente_id`).
    With `model`, only the enti where the user's role may add such a record."""
    enti = enti_for(user, "add", model) if model is not None else list(user.enti.all())
    if ente_id:
        ente = next((e for e in enti if e.pk == ente_id), None)
        if ente is None and user.is_superuser:  # the installation's operators
            from .models import Ente

            ente = Ente.objects.filter(pk=ente_id).first()
    else:
        ente = enti[0] if len(enti) == 1 else None
    if ente is None:
        errors.setdefault("ente_id", []).append(
            _("Indica uno dei tuoi enti.") if enti else _("Non appartieni a nessun ente.")
        )
    return ente


@contextmanager
def api_errors(rename: dict[str, str] | None = None) -> Iterator[None]:
    """Model errors named as the API names its fields (`parent` is `parent_id`); a unique
    constraint lost to a concurrent save is a 422, never a 500."""
    rename = rename or {}
    try:
        yield
    except ValidationError as exc:
        out: dict[str, list[str]] = {}
        for key, messages in field_errors(exc).items():
            out.setdefault(rename.get(key, key), []).extend(messages)
        raise ValidationError(out) from exc
    except IntegrityError as exc:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("I dati sono in conflitto con un altro record: ricarica e riprova.")
                ]
            }
        ) from exc


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def refuse_forbidden_text(request: HttpRequest, parse_body: Callable[[HttpRequest], Any]) -> None:
    """Refuse a request whose query string, form fields or JSON body hold a control character
    (or another character no text may hold), wherever it is: every operation and every field,
    without each schema opting in. Raises a ValidationError naming each field (a 422)."""
    problems: dict[str, str] = {}
    for data in (request.GET, _form(request)):
        if data:
            values = {key: data.getlist(key) for key in data}
            problems |= forbidden_in({k: v[0] if len(v) == 1 else v for k, v in values.items()})
    if not _is_form(request) and request.body:
        try:
            body = parse_body(request)
        except Exception:  # noqa: S110 - malformed JSON is the parser's 400, answered later
            body = None
        problems |= forbidden_in(body)
    if problems:
        raise ValidationError({path: [message] for path, message in problems.items()})


def _form(request: HttpRequest) -> Any:
    if not _is_form(request):
        return None
    try:
        return request.POST
    except Exception:  # a malformed multipart body is answered by ninja's own reading of it
        return None


def _is_form(request: HttpRequest) -> bool:
    return (request.content_type or "").startswith(FORM_TYPES)


@dataclass(frozen=True)
class ApiAmount:
    """An API amount, as pydantic metadata: `Annotated[Decimal, ApiAmount("Euro…")]`.

    A JSON number or a string such as "1234.56", read by `parse_amount` as every form and
    import reads amounts: never more than 2 decimals, never rounded, no exponent, no NaN.
    `maximum` is what the model's column holds.
    """

    description: str
    maximum: Decimal = MAX_AMOUNT
    negative: bool = False

    def validate(self, value: Any) -> Decimal:
        if not isinstance(value, str | int | float | Decimal) or isinstance(value, bool):
            raise PydanticCustomError(
                "amount_invalid",
                "{message}",
                {"message": _("Scrivi un numero, come 1234.56, o un testo come «1234.56».")},
            )
        try:
            amount = parse_amount(value, api=True, negative=self.negative, maximum=self.maximum)
        except AmountError as exc:
            raise PydanticCustomError(
                "amount_invalid", "{message}", {"message": str(exc)}
            ) from None
        if amount is None:
            raise PydanticCustomError(
                "amount_blank", "{message}", {"message": _("Scrivi un importo, come 1234.56.")}
            )
        return amount

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        whole = len(str(int(self.maximum)))
        sign = "-?" if self.negative else ""
        lowest = -float(self.maximum) if self.negative else 0
        return {
            "anyOf": [
                {"type": "number", "minimum": lowest, "maximum": float(self.maximum)},
                {"type": "string", "pattern": rf"^{sign}[0-9]{{1,{whole}}}(\.[0-9]{{1,2}})?$"},
            ],
            "description": self.description,
        }
