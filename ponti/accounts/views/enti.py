"""The enti an Amministratore runs: the tree, a new ente under one of them, and its data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponti.core.edit import save_edit
from ponti.core.forms import errors_to_form
from ponti.core.typing import AuthedRequest

from .. import scope, services
from ..office_forms import EnteForm


def _tree(enti: list) -> list:
    """(ente, depth) in tree order, children under their parent."""
    by_parent: dict = {}
    ids = {e.pk for e in enti}
    for e in enti:
        by_parent.setdefault(e.parent_id if e.parent_id in ids else None, []).append(e)
    out: list = []

    def walk(parent: object, depth: int) -> None:
        for child in sorted(by_parent.get(parent, []), key=lambda e: e.name):
            out.append((child, depth))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return out


@login_required
def enti(request: AuthedRequest) -> HttpResponse:
    scope.require_office(request.user)
    rows = list(
        scope.administered_enti(request.user)
        .select_related("parent", "organisation")
        .annotate(n_users=Count("memberships", distinct=True))
    )
    return render(
        request,
        "accounts/office/enti.html",
        {"tree": _tree(rows), "can_top": request.user.is_superuser},
    )


@login_required
def ente_create(request: AuthedRequest) -> HttpResponse:
    scope.require_office(request.user)
    parents = scope.administered_enti(request.user)
    # Under the ente asked for, or else under the Amministratore's own ente.
    own = request.user.memberships.filter(ente__in=parents).order_by("ente_id").first()
    parent = request.GET.get("parent") or (own.ente_id if own else None)
    initial = {"parent": parent, "kind": "comune", "country": "IT"}
    form = EnteForm(
        request.POST or None, initial=initial, parents=parents, top_level=request.user.is_superuser
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            ente = services.create_ente(
                by=request.user,
                data=data,
                parent=data.pop("parent"),
                organisation=data.pop("organisation"),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error("parent", str(exc))
        else:
            messages.success(request, _("Ente «%(ente)s» creato.") % {"ente": ente})
            return redirect("office:enti")
    return render(request, "accounts/office/ente_form.html", {"form": form, "creating": True})


@login_required
def ente_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    ente = scope.ente_for(request.user, pk)
    organisation = getattr(ente, "organisation", None)
    initial = {
        "name": ente.name,
        "short_name": ente.short_name,
        "kind": ente.kind,
        "parent": ente.parent_id,
        "city": ente.city,
        "country": ente.country,
        "organisation": organisation.pk if organisation else None,
        "version": ente.version,
    }
    # A parent the user runs; not the ente itself, nor one under it.
    parents = scope.administered_enti(request.user).exclude(pk__in=ente.descendant_ids())
    form = EnteForm(
        request.POST or None, initial=initial, parents=parents, top_level=request.user.is_superuser
    )
    form.fields["organisation"].disabled = organisation is not None
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "parent"}}
        try:
            edit = save_edit(
                request,
                form,
                lambda version: services.update_ente(
                    ente,
                    by=request.user,
                    data=data,
                    parent=form.cleaned_data["parent"],
                    expected_version=version,
                ),
                record=ente,
            )
        except PermissionDenied as exc:
            form.add_error("parent", str(exc))
        else:
            if edit.saved:
                messages.success(request, _("Ente «%(ente)s» salvato.") % {"ente": ente})
                return redirect("office:enti")
            conflict = edit.conflict
            ente.refresh_from_db()
    return render(
        request,
        "accounts/office/ente_form.html",
        {"form": form, "ente": ente, "conflict": conflict, "creating": False},
    )
