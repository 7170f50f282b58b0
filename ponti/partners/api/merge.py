"""Merging a duplicate organisation into the one that stays."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from ponti.core.api import ErrorOut
from ponti.core.permissions import get_for_user

from .. import services
from ..models import Organisation
from ..schemas import MergeIn, OrganisationOut, QueryId
from .common import BODY, READ, _user, router
from .organisations import _organisation_response


@router.post(
    "/organisations/{organisation_id}/merge",
    response={200: OrganisationOut, **READ, **BODY, 409: ErrorOut},
)
def merge_organisation(request: HttpRequest, organisation_id: QueryId, payload: MergeIn) -> Any:
    """Merge the duplicate `duplicate_id` into this organisation, which stays: every link of
    the duplicate (people, names, notes, agreements, meetings, memberships…) moves here, empty
    fields are filled from it, and its history stays readable in this one's. Needs the
    permission to merge (Amministratore, Ufficio); both must be visible to you. Audited."""
    user = _user(request)
    target, _can_edit = get_for_user(user, Organisation, organisation_id)
    source, _can_edit = get_for_user(user, Organisation, payload.duplicate_id)
    if not user.has_perm("partners.merge_organisation"):
        raise PermissionDenied
    if source.pk == target.pk:
        raise ValidationError(
            {"duplicate_id": [_("Non si può unire un'organizzazione con sé stessa.")]}
        )
    try:
        services.merge_organisations(source, target, user=user)
    except ValidationError as exc:  # both hold the same record with dependants
        raise HttpError(409, " ".join(exc.messages)) from exc
    return _organisation_response(user, target.pk)
