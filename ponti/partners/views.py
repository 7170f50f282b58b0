"""Pages of the partner registry. Permissions are checked first, by core.permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, ProtectedError, RestrictedError
from django.forms.utils import ErrorList
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.confidentiality import visible_levels
from ponti.core.edit import save_edit
from ponti.core.exports import export_format, export_response
from ponti.core.forms import SearchField, errors_to_form, search_refused
from ponti.core.ids import parse_id
from ponti.core.permissions import can, get_for_user, require, visible_in, visible_queryset
from ponti.core.pickers import limit_choices
from ponti.core.text import fold
from ponti.core.typing import AuthedRequest

from . import services
from .forms import (
    NoteForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    PositionForm,
)
from .gdpr.access import may_erase, may_export, may_review
from .models import Organisation, OrganisationNote, Person, Position
from .tables import (
    ORGANISATION_COLUMNS,
    PERSON_COLUMNS,
    organisations_for_export,
    people_for_export,
)

# --- organisations -------------------------------------------------------------------


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponseBase:
    qs = visible_in(request.user, Organisation.objects.all())
    filters = OrganisationFilterForm(request.GET or None)
    sort = "name"
    refused = search_refused(filters)
    if refused:
        qs = qs.none()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            qs = qs.search(data["q"], reader=request.user)
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["country"]:
            qs = qs.filter(country=data["country"])
        if data["sector"]:
            qs = qs.filter(sectors=data["sector"])
        if data["tag"]:
            qs = qs.filter(tags__name__iexact=data["tag"])
        sort = data["sort"] or "name"
    qs = qs.order_by(sort, "id")
    if (fmt := export_format(request)) and not refused:
        rows = organisations_for_export(qs, request.user)
        return export_response(ORGANISATION_COLUMNS, rows, fmt, filename=_("organizzazioni"))
    qs = qs.only("id", "name", "kind", "country", "city", "confidentiality")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "can_add": can(request.user, "add", Organisation),
    }
    template = (
        "partners/partials/organisation_results.html"
        if request.htmx
        else "partners/organisation_list.html"
    )
    return render(request, template, context, status=400 if refused else 200)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org, can_edit = get_for_user(request.user, Organisation, pk)
    levels = visible_levels(request.user)
    positions = org.positions.filter(person__confidentiality__in=levels).select_related("person")
    current = [p for p in positions if p.is_current]
    past = [p for p in positions if not p.is_current]
    notes = (
        OrganisationNote.objects.for_user(request.user)
        .filter(organisation=org)
        .select_related("author", "ente")
    )
    context = {
        "org": org,
        "can_edit": can_edit,
        "can_delete": can(request.user, "delete", Organisation),
        "can_merge": request.user.has_perm("partners.merge_organisation"),
        "can_add_position": can(request.user, "add", Position),
        "can_add_note": can(request.user, "add", OrganisationNote),
        "current_positions": current,
        "past_positions": past,
        "children": org.children.filter(confidentiality__in=levels).order_by("name"),
        "parent": org.parent if org.parent and org.parent.confidentiality in levels else None,
        "notes": notes,
        "history": services.history_for_organisation(org).visible_to(request.user)[:10],
        "merged_from": org.merged_from.all(),
        "position_form": limit_choices(PositionForm(), request.user),
        "note_form": NoteForm(),
    }
    return render(request, "partners/organisation_detail.html", context)


@login_required
def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    org, _can_edit = get_for_user(request.user, Organisation, pk)
    page = Paginator(services.history_for_organisation(org).visible_to(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "partners/history.html",
        {
            "object": org,
            "page": page,
            "back": org.get_absolute_url() if hasattr(org, "get_absolute_url") else None,
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "add", Organisation)
    form = limit_choices(OrganisationForm(request.POST or None), request.user)
    duplicates: list[Organisation] = []
    if request.method == "POST" and form.is_valid():
        duplicates = services.possible_duplicates(
            form.cleaned_data["name"], reader=request.user, **_match_data(form.cleaned_data)
        )
        if duplicates and not request.POST.get("confirm_duplicate"):
            messages.warning(
                request, _("Esistono organizzazioni simili: controlla prima di salvare.")
            )
        else:
            try:
                org = services.create_organisation(
                    user=request.user,
                    data=form.model_data(),
                    other_names=form.cleaned_data["other_names_text"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request, _("Organizzazione «%(name)s» creata.") % {"name": org.name}
                )
                return redirect("partners:organisation_detail", pk=org.pk)
    return render(
        request, "partners/organisation_form.html", {"form": form, "duplicates": duplicates}
    )


@login_required
def organisation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    org, _can_edit = get_for_user(request.user, Organisation, pk, action="change")
    form = limit_choices(OrganisationForm(request.POST or None, instance=org), request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda version: services.update_organisation(
                org,
                user=request.user,
                data=form.model_data(),
                expected_version=version,
                other_names=form.cleaned_data["other_names_text"],
            ),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("partners:organisation_detail", pk=org.pk)
        conflict = edit.conflict
    return render(
        request, "partners/organisation_form.html", {"form": form, "org": org, "conflict": conflict}
    )


def _match_data(data: dict[str, Any]) -> dict[str, Any]:
    """What the matcher reads from the organisation form, besides the name."""
    other = data.get("other_names_text")
    return {
        "country": data.get("country") or "",
        "wikidata_id": data.get("wikidata_id") or "",
        "other_names": list(other.values()) if isinstance(other, dict) else [],
        "latitude": data.get("latitude"),
        "longitude": data.get("longitude"),
    }


@login_required
def organisation_check(request: HttpRequest) -> HttpResponse:
    """htmx: validate the form as the user types; answers one field's feedback."""
    require(request.user, "view", Organisation)
    pk = request.POST.get("pk", "")
    # Only an organisation the user may see: the form must not be checked against a hidden one.
    instance = (
        visible_queryset(request.user, Organisation).filter(pk=key).first()
        if (key := parse_id(pk))
        else None
    )
    form = limit_choices(OrganisationForm(request.POST, instance=instance), request.user)
    form.is_valid()
    field = request.headers.get("HX-Trigger-Name") or request.GET.get("field", "")
    duplicates: list[Organisation] = []
    name = form.cleaned_data.get("name")  # absent when refused (a NUL, too long…)
    if field in {"name", "city"} and name:
        duplicates = services.possible_duplicates(
            name,
            reader=request.user,
            exclude_pk=instance.pk if instance else None,
            **_match_data(form.cleaned_data),
        )
    errors: ErrorList | list[str] = form.errors.get(field, []) if field in form.fields else []
    return render(
        request,
        "partners/partials/field_feedback.html",
        {"errors": errors, "duplicates": duplicates, "field": field},
    )


@login_required
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    org, _can_edit = get_for_user(request.user, Organisation, pk, action="delete")
    if request.method == "POST":
        name = org.name
        try:
            services.delete_organisation(org, user=request.user)
        except (ProtectedError, RestrictedError):  # the same refusal as the API's 409
            messages.error(
                request,
                _("Altri record dipendono da questa organizzazione: non può essere eliminata."),
            )
            return redirect(org)
        messages.success(request, _("Organizzazione «%(name)s» eliminata.") % {"name": name})
        return redirect("partners:organisation_list")
    return render(
        request,
        "partners/confirm_delete.html",
        {"object": org, "cancel": "partners:organisation_detail"},
    )


@login_required
def suggest(request: HttpRequest, kind: str) -> HttpResponse:
    """htmx: <option>s for the organisation or person chooser (only records the user may
    see, found only by words the user may see); a text that cannot be searched is a 400."""
    raw = request.GET.get("q") or next(
        (request.GET.get(k, "") for k in request.GET if k != "q"), ""
    )
    try:
        text = SearchField().clean(raw[:200])
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain")
    if kind == "people":
        items = (
            visible_in(request.user, Person.objects.all()).search(text).order_by("last_name")[:15]
            if fold(text)
            else []
        )
        options = [(p.pk, f"{p.full_name}") for p in items]
    else:
        items = (
            visible_in(request.user, Organisation.objects.all())
            .search(text, reader=request.user)
            .order_by("name")[:15]
            if fold(text)
            else []
        )
        options = [(o.pk, f"{o.name} ({o.city or o.country})") for o in items]
    return render(request, "core/partials/suggest_options.html", {"options": options})


# --- people ----------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponseBase:
    qs = visible_in(request.user, Person.objects.all())
    filters = PersonFilterForm(request.GET or None)
    refused = search_refused(filters)
    if refused:
        qs = qs.none()
    elif filters.is_valid() and filters.cleaned_data["q"]:
        qs = qs.search(filters.cleaned_data["q"])
    if (fmt := export_format(request)) and not refused:
        rows = people_for_export(qs.order_by("last_name", "first_name", "id"), request.user)
        return export_response(PERSON_COLUMNS, rows, fmt, filename=_("persone"))
    # A person's current positions, in organisations the user may see.
    current = (
        Position.objects.current()
        .filter(organisation__confidentiality__in=visible_levels(request.user))
        .select_related("organisation")
    )
    qs = qs.prefetch_related(Prefetch("positions", queryset=current, to_attr="current_positions"))
    page = Paginator(qs.order_by("last_name", "first_name", "id"), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/person_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "can_add": can(request.user, "add", Person),
            "can_review": may_review(request.user),
        },
        status=400 if refused else 200,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person, can_edit = get_for_user(request.user, Person, pk)
    levels = visible_levels(request.user)
    positions = person.positions.filter(organisation__confidentiality__in=levels).select_related(
        "organisation"
    )
    return render(
        request,
        "partners/person_detail.html",
        {
            "person": person,
            "can_edit": can_edit,
            "positions": positions,
            "can_delete": can(request.user, "delete", Person),
            "history": _history(person).visible_to(request.user)[:10],
            "gdpr": {"export": may_export(request.user), "erase": may_erase(request.user)},
        },
    )


def _history(obj: Any) -> Any:
    from ponti.core.models import AuditEvent

    return AuditEvent.objects.for_object(obj)


@login_required
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person, _can_edit = get_for_user(request.user, Person, pk)
    page = Paginator(_history(person).visible_to(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/history.html", {"object": person, "page": page})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "add", Person)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            person = services.create_person(user=request.user, data=data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Persona «%(name)s» creata.") % {"name": person.full_name})
            return redirect("partners:person_detail", pk=person.pk)
    return render(request, "partners/person_form.html", {"form": form})


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person, _can_edit = get_for_user(request.user, Person, pk, action="change")
    form = PersonForm(request.POST or None, instance=person)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        edit = save_edit(
            request,
            form,
            lambda version: services.update_person(
                person, user=request.user, data=data, expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Modifiche salvate."))
            return redirect("partners:person_detail", pk=person.pk)
        conflict = edit.conflict
    return render(
        request, "partners/person_form.html", {"form": form, "person": person, "conflict": conflict}
    )


@login_required
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person, _can_edit = get_for_user(request.user, Person, pk, action="delete")
    if request.method == "POST":
        name = person.full_name
        try:
            services.delete_person(person, user=request.user)
        except (ProtectedError, RestrictedError):  # the same refusal as the API's 409
            messages.error(
                request, _("Altri record dipendono da questa persona: non può essere eliminata.")
            )
            return redirect(person)
        messages.success(request, _("Persona «%(name)s» eliminata.") % {"name": name})
        return redirect("partners:person_list")
    return render(
        request,
        "partners/confirm_delete.html",
        {"object": person, "cancel": "partners:person_detail"},
    )


# --- positions and notes -------------------------------------------------------------------


@login_required
def position_create(request: HttpRequest, pk: int) -> HttpResponse:
    org, _can_edit = get_for_user(request.user, Organisation, pk)
    require(request.user, "add", Position)
    form = limit_choices(PositionForm(request.POST or None), request.user)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.add_position(
                org,
                user=request.user,
                person=form.cleaned_data.get("person"),
                new_person=form.new_person_data(),
                role=form.cleaned_data["role"],
                start_date=form.cleaned_data.get("start_date"),
                start_precision=form.cleaned_data.get("start_precision"),
                end_date=form.cleaned_data.get("end_date"),
                end_precision=form.cleaned_data.get("end_precision"),
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Incarico aggiunto: %(p)s.") % {"p": position})
            return redirect("partners:organisation_detail", pk=org.pk)
    return render(request, "partners/position_form.html", {"form": form, "org": org})


@login_required
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    position, _can_edit = get_for_user(request.user, Position, pk, action="change")
    get_for_user(request.user, Organisation, position.organisation_id)
    form = limit_choices(PositionForm(request.POST or None, instance=position), request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        edit = save_edit(
            request,
            form,
            lambda version: services.save_position(
                form.instance, user=request.user, expected_version=version
            ),
        )
        if edit.saved:
            messages.success(request, _("Incarico aggiornato."))
            return redirect("partners:organisation_detail", pk=position.organisation_id)
        conflict = edit.conflict
    return render(
        request,
        "partners/position_form.html",
        {"form": form, "org": position.organisation, "position": position, "conflict": conflict},
    )


@login_required
@require_POST
def position_delete(request: HttpRequest, pk: int) -> HttpResponse:
    position, _can_edit = get_for_user(request.user, Position, pk, action="delete")
    org_id = position.organisation_id
    services.delete_position(position, user=request.user)
    messages.success(request, _("Incarico eliminato."))
    return redirect("partners:organisation_detail", pk=org_id)


@login_required
@require_POST
def note_create(request: AuthedRequest, pk: int) -> HttpResponse:
    org, _can_edit = get_for_user(request.user, Organisation, pk)
    require(request.user, "add", OrganisationNote)
    form = NoteForm(request.POST)
    ente = request.user.default_ente()
    if ente is None:
        raise PermissionDenied
    if form.is_valid():
        services.add_note(org, user=request.user, ente=ente, **form.cleaned_data)
        messages.success(request, _("Nota aggiunta."))
    else:
        messages.error(
            request,
            _("La nota non è stata salvata: %(e)s")
            % {"e": " ".join(str(m) for ms in form.errors.values() for m in ms)},
        )
    return redirect("partners:organisation_detail", pk=org.pk)
