"""The office of an ente's Amministratore: the users of the enti they run."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.edit import save_edit
from ponti.core.forms import SearchField, errors_to_form
from ponti.core.ids import parse_id
from ponti.core.models import AuditEvent
from ponti.core.roles import Role
from ponti.core.typing import AuthedRequest

from .. import scope, services
from ..models import ApiToken, Membership
from ..office_forms import PlaceFields, UserCreateForm, UserEditForm

PAGE = 25


@login_required
def users(request: AuthedRequest) -> HttpResponse:
    scope.require_office(request.user)
    enti = scope.administered_enti(request.user)
    qs = scope.users_for(request.user)
    try:  # the text of the search box, refused as every search box refuses it (a NUL…)
        q = SearchField().clean(request.GET.get("q", "")[:100]).strip()
        refused = False
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        q, refused = "", True
    if refused:
        qs = qs.none()
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    ente = request.GET.get("ente", "")
    if ente_id := parse_id(ente):
        qs = qs.filter(memberships__ente_id=ente_id)
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(memberships__role=role, memberships__ente__in=enti)
    state = request.GET.get("state", "")
    if state in {"active", "inactive"}:
        qs = qs.filter(is_active=state == "active")
    qs = (
        qs.distinct()
        .annotate(
            live_tokens=Count(
                "api_tokens",
                filter=Q(
                    api_tokens__revoked_at__isnull=True, api_tokens__expires_at__gt=timezone.now()
                ),
                distinct=True,
            )
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(ente__in=enti).select_related("ente"),
                to_attr="places",
            )
        )
        .order_by("username")
    )
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/office/users.html",
        {
            "page": page,
            "enti": enti,
            "roles": Role.choices,
            "filters": {"q": q, "ente": ente, "role": role, "state": state},
            "query": _query_without_page(request),
        },
        status=400 if refused else 200,
    )


def _query_without_page(request: AuthedRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def user_create(request: AuthedRequest) -> HttpResponse:
    scope.require_office(request.user)
    enti = scope.administered_enti(request.user)
    own = request.user.memberships.filter(ente__in=enti).order_by("ente_id").first()
    form = UserCreateForm(
        request.POST or None, enti=enti, initial={"ente": own.ente_id if own else None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                by=request.user,
                username=data["username"],
                ente=data["ente"],
                role=data["role"],
                clearance=data["clearance"] or None,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                invite=data["invite"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Utente «%(user)s» creato: ha ricevuto l'invito per e-mail.")
                % {"user": user.username}
                if data["invite"]
                else _(
                    "Utente «%(user)s» creato: inviagli il collegamento per la password quando serve."
                )
                % {"user": user.username},
            )
            return redirect("office:user", pk=user.pk)
    return render(request, "accounts/office/user_form.html", {"form": form, "creating": True})


@login_required
def user_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    target = scope.user_for(request.user, pk)
    enti = scope.administered_enti(request.user)
    places = target.memberships.select_related("ente").order_by("ente__name")
    events = (
        AuditEvent.objects.for_object(target).visible_to(request.user)[:20]
        if request.user.has_perm("core.change_ente")
        else []
    )
    return render(
        request,
        "accounts/office/user_detail.html",
        {
            "target": target,
            "places": [(m, m.ente_id in scope.administered_ente_ids(request.user)) for m in places],
            "place_form": PlaceFields(enti=enti),
            "tokens": target.api_tokens.all(),
            "whole_account": scope.runs_whole_account(request.user, target),
            "events": events,
        },
    )


@login_required
def user_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    target = scope.user_for(request.user, pk)
    initial = {f: getattr(target, f) for f in services.USER_FIELDS} | {"version": target.version}
    form = UserEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        edit = save_edit(
            request,
            form,
            lambda version: services.update_user(
                target, by=request.user, data=data, expected_version=version
            ),
            record=target,
        )
        if edit.saved:
            messages.success(request, _("Dati dell'utente salvati."))
            return redirect("office:user", pk=target.pk)
        conflict = edit.conflict
        target.refresh_from_db()
    return render(
        request,
        "accounts/office/user_form.html",
        {"form": form, "target": target, "conflict": conflict, "creating": False},
    )


@login_required
@require_POST
def place_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give the user a role and a clearance in one of the enti the Amministratore runs."""
    target = scope.user_for(request.user, pk)
    form = PlaceFields(request.POST, enti=scope.administered_enti(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_membership(
                target,
                by=request.user,
                ente=data["ente"],
                role=data["role"],
                clearance=data["clearance"] or None,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Permesso negato."))
    if form.errors:
        return render(
            request,
            "accounts/office/place_form.html",
            {"form": form, "target": target},
            status=422,
        )
    messages.success(request, _("Ruolo salvato."))
    return redirect("office:user", pk=target.pk)


@login_required
@require_POST
def place_remove(request: AuthedRequest, pk: int, ente_pk: int) -> HttpResponse:
    target = scope.user_for(request.user, pk)
    ente = scope.ente_for(request.user, ente_pk)
    try:
        services.remove_membership(target, by=request.user, ente=ente)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'utente non ha più un ruolo in «%(ente)s».") % {"ente": ente})
    if scope.users_for(request.user).filter(pk=target.pk).exists():
        return redirect("office:user", pk=target.pk)
    return redirect("office:users")


@login_required
@require_POST
def user_active(request: AuthedRequest, pk: int) -> HttpResponse:
    target = scope.user_for(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(target, by=request.user, active=active)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Utente riattivato.")
            if active
            else _("Utente disattivato: le sue sessioni e i suoi token sono stati chiusi."),
        )
    return redirect("office:user", pk=target.pk)


@login_required
@require_POST
def user_access_link(request: AuthedRequest, pk: int) -> HttpResponse:
    target = scope.user_for(request.user, pk)
    try:
        services.send_access_link(target, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Inviato a %(email)s il collegamento per scegliere una nuova password.")
            % {"email": target.email},
        )
    return redirect("office:user", pk=target.pk)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not services.tokens_visible_to(request.user, token.user):
        raise PermissionDenied
    services.revoke_token(token, by=request.user)
    messages.success(request, _("Token «%(name)s» revocato.") % {"name": token.name})
    return redirect("office:user", pk=token.user_id)
