"""The router, the status-code maps and the helpers the operations share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from ponti.core.api import ErrorOut, FieldErrorOut, check_clearance, choose_ente
from ponti.core.permissions import can, get_for_user, visible_queryset
from ponti.partners.models import Organisation

from ..models import Meeting

router = Router(tags=["incontri"])

AUTH = {401: ErrorOut, 403: ErrorOut}
READ = {**AUTH, 404: ErrorOut, 422: FieldErrorOut}
WRITE = {**READ, 400: ErrorOut, 413: ErrorOut}
LIST = {**AUTH, 422: FieldErrorOut}

# The M2M fields of a meeting, as the API names them.
M2M_IDS = {"counterpart_ids": "counterparts", "agreement_ids": "agreements"}


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _get(user: Any, model: type[Any], pk: int, *, action: str = "view") -> Any:
    obj, _editable = get_for_user(user, model, pk, action=action)
    return obj


def _ente(user: Any, ente_id: int | None, errors: dict[str, list[str]], model: Any = None) -> Any:
    return choose_ente(user, ente_id, errors, model)


def _check_level(
    user: Any, data: dict[str, Any], errors: dict[str, list[str]], ente: Any = None
) -> None:
    check_clearance(user, data.get("confidentiality"), errors, ente)


def _not_null(data: dict[str, Any], keys: tuple[str, ...], errors: dict[str, list[str]]) -> None:
    for key in keys:
        if key in data and data[key] is None:
            errors.setdefault(key, []).append(_("Non può essere vuoto."))


def _renamed(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "message_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


def _visible_orgs(
    user: Any, ids: list[int], field: str, errors: dict[str, list[str]]
) -> list[Organisation]:
    found = list(visible_queryset(user, Organisation).filter(pk__in=ids))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        errors.setdefault(field, []).append(
            _("Organizzazioni inesistenti: %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        )
    return found


def _visible_org(
    user: Any, pk: int | None, field: str, errors: dict[str, list[str]]
) -> Organisation | None:
    if pk is None:
        return None
    found = _visible_orgs(user, [pk], field, errors)
    return found[0] if found else None


def _visible_meeting_for(
    user: Any, pk: int | None, ente: Any, errors: dict[str, list[str]], field: str = "meeting_id"
) -> Meeting | None:
    if pk is None:
        return None
    meeting = (
        Meeting.objects.for_user(user).filter(pk=pk).first() if can(user, "view", Meeting) else None
    )
    if meeting is None:
        errors.setdefault(field, []).append(_("Incontro inesistente."))
    elif ente is not None and meeting.ente_id != ente.pk:
        errors.setdefault(field, []).append(_("L'incontro è di un altro ente."))
    return meeting
