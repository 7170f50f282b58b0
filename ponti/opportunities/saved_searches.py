"""Saved searches: create, open (reapply and mark seen), delete, and what matches them.

Personal: only the owner reaches a search (anyone else gets a 404, as if it did not exist).
The matches are what the owner may read in the search's ente (`queries.opportunities_for`);
writes run as the owner, in a transaction, audited.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ponti.core.audit import acting_as
from ponti.core.permissions import can
from ponti.core.text import forbidden_character_message

from .forms import OpportunityFilterForm
from .models import Opportunity, OpportunityQuerySet
from .queries import opportunities_for
from .watching import SavedSearch, clean_params


def searches_of(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False):
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user, ente__in=user.enti.all()).select_related("ente")


def get_own(user: Any, pk: Any) -> SavedSearch:
    found = searches_of(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _filters(params: dict[str, Any]) -> dict[str, Any]:
    form = OpportunityFilterForm(params)
    if not form.is_valid():
        raise ValidationError({"params": [_("Filtri non validi: %(e)s") % {"e": form.errors}]})
    data = {k: v for k, v in form.cleaned_data.items() if k in clean_params(params)}
    return data


def create_saved_search(*, user: Any, ente: Any, name: str, params: Any) -> SavedSearch:
    if not can(user, "view", Opportunity) or ente not in list(user.enti.all()):
        raise PermissionDenied(_("Non puoi salvare ricerche per questo ente."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Indica un nome per la ricerca.")]})
    kept = clean_params(params)
    # Characters no text may hold (NUL…) are refused here: PostgreSQL cannot store them.
    for field, text in (("name", name), *(("params", v) for v in kept.values())):
        problem = forbidden_character_message(text, field)
        if problem:
            raise ValidationError({field: [problem]})
    _filters(kept)  # refused now, not when reapplied
    try:
        with acting_as(user), transaction.atomic():
            return SavedSearch.objects.create(
                owner=user, ente=ente, name=name[:120], params=kept, last_seen_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError({"name": [_("Hai già una ricerca con questo nome.")]}) from None


def delete_saved_search(search: SavedSearch, *, user: Any) -> None:
    if search.owner_id != user.pk:
        raise Http404
    with acting_as(user), transaction.atomic():
        search.delete()


def mark_seen(search: SavedSearch, *, user: Any) -> None:
    """The owner has looked at the results: new matches are counted from now."""
    with acting_as(user), transaction.atomic():
        search.last_seen_at = timezone.now()
        search.save(update_fields=["last_seen_at", "updated_at"])


def matches(search: SavedSearch) -> OpportunityQuerySet:
    try:
        filters = _filters(search.params)
    except ValidationError:
        return Opportunity.objects.none()
    return opportunities_for(search.owner, ente=search.ente_id, **filters)


def new_matches(search: SavedSearch, since: datetime.datetime | None = None) -> OpportunityQuerySet:
    return matches(search).filter(created_at__gt=since or search.last_seen_at)
