"""Pages of saved searches: save the list's filters by name, reopen one, delete one.
Each is its owner's only: another user gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.permissions import can
from ponti.core.typing import AuthedRequest

from . import saved_searches
from .models import Opportunity


def _ente(request: AuthedRequest) -> object:
    enti = list(request.user.enti.all())
    wanted = request.POST.get("ente", "")
    chosen = next((e for e in enti if str(e.pk) == wanted), None)
    if chosen is None and len(enti) == 1:
        chosen = enti[0]
    return chosen


@login_required
@require_POST
def saved_search_create(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, "view", Opportunity):
        raise PermissionDenied
    ente = _ente(request)
    back = reverse("opportunities:list")
    if ente is None:
        messages.error(request, _("Scegli l'ente (filtro «Ente») prima di salvare la ricerca."))
        return redirect(back)
    try:
        search = saved_searches.create_saved_search(
            user=request.user, ente=ente, name=request.POST.get("name", ""), params=request.POST
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, _("Ricerca «%(name)s» salvata.") % {"name": search.name})
    return redirect(search.list_url())


@login_required
def saved_search_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reapply the search, and count its new matches from now."""
    search = saved_searches.get_own(request.user, pk)
    saved_searches.mark_seen(search, user=request.user)
    return redirect(search.list_url())


@login_required
@require_POST
def saved_search_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    search = saved_searches.get_own(request.user, pk)
    saved_searches.delete_saved_search(search, user=request.user)
    messages.success(request, _("Ricerca «%(name)s» eliminata.") % {"name": search.name})
    return redirect(reverse("opportunities:list"))
