"""A membership's roles, working groups and fees: one form page each, and deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ponti.core.edit import save_edit
from ponti.core.permissions import require, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.partners.models import Person

from .. import services
from ..forms import FeeForm, RoleForm, WorkingGroupForm
from ..models import Fee, Membership, MembershipRole, WorkingGroup
from ..queries import membership_for

# model, form, related name on Membership, titles (new, edit), saved message
PARTS: dict[str, tuple[Any, Any, str, Any, Any, Any]] = {
    "role": (
        MembershipRole,
        RoleForm,
        "roles",
        gettext_lazy("Nuovo ruolo"),
        gettext_lazy("Modifica ruolo"),
        gettext_lazy("Ruolo salvato."),
    ),
    "group": (
        WorkingGroup,
        WorkingGroupForm,
        "working_groups",
        gettext_lazy("Nuovo gruppo di lavoro o forum"),
        gettext_lazy("Modifica gruppo di lavoro o forum"),
        gettext_lazy("Gruppo di lavoro salvato."),
    ),
    "fee": (
        Fee,
        FeeForm,
        "fees",
        gettext_lazy("Nuova quota annuale"),
        gettext_lazy("Modifica quota annuale"),
        gettext_lazy("Quota salvata."),
    ),
}


def _part(membership: Membership, related: str, part_pk: int | None) -> Any:
    if part_pk is None:
        return None
    obj = getattr(membership, related).filter(pk=part_pk).first()
    if obj is None:
        raise Http404
    return obj


@login_required
def part_edit(request: HttpRequest, pk: int, part: str, part_pk: int | None = None) -> HttpResponse:
    """Add (no part_pk) or change a role, a working group or a fee of the membership."""
    model, form_class, related, title_new, title_edit, saved = PARTS[part]
    user = request.user
    membership, _can_edit = membership_for(user, pk)
    require(user, "change" if part_pk else "add", model)
    instance = _part(membership, related, part_pk)
    extra: dict[str, Any] = {}
    if model is WorkingGroup:
        extra["people"] = visible_queryset(user, Person)
    elif model is Fee:
        extra["user"] = user
    form = limit_choices(
        form_class(request.POST or None, instance=instance, membership=membership, **extra),
        request.user,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():

        def save(version: int | None) -> Any:
            if model is WorkingGroup:
                hidden = (
                    list(instance.representatives.exclude(pk__in=extra["people"]))
                    if instance
                    else []
                )
                return services.save_working_group(
                    form.instance,
                    user=user,
                    representatives=[*form.cleaned_data["representatives"], *hidden],
                    expected_version=version,
                )
            if model is Fee:
                return services.save_fee(
                    form.instance,
                    user=user,
                    budget_line_id=form.cleaned_data["budget_line"],
                    expected_version=version,
                )
            return services.save_role(form.instance, user=user, expected_version=version)

        edit = save_edit(request, form, save)
        if edit.saved:
            messages.success(request, str(saved))
            return redirect(membership.get_absolute_url() + f"#{related.replace('_', '-')}")
        conflict = edit.conflict
    return render(
        request,
        "networks/part_form.html",
        {
            "form": form,
            "m": membership,
            "part": part,
            "obj": instance,
            "conflict": conflict,
            "title": title_edit if instance else title_new,
            "can_delete": instance is not None
            and user.has_perm(f"networks.delete_{model._meta.model_name}"),
        },
    )


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, part: str, part_pk: int) -> HttpResponse:
    model, _form, related, *_titles = PARTS[part]
    membership, _can_edit = membership_for(request.user, pk)
    require(request.user, "delete", model)
    obj = _part(membership, related, part_pk)
    try:
        services.delete(obj, user=request.user)
    except models.ProtectedError:  # pragma: no cover - nothing protects a part today
        messages.error(request, _("Altri record dipendono da questo: non può essere eliminato."))
    else:
        messages.success(request, _("«%(o)s» eliminato.") % {"o": obj})
    return redirect(membership.get_absolute_url() + f"#{related.replace('_', '-')}")
