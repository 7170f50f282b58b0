"""One's own profile: places in the enti, API tokens, browser sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.audit import acting_as
from ponti.core.typing import AuthedRequest

from .. import services
from ..forms import TokenForm
from ..models import ApiToken
from ..sessions import end_sessions


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with acting_as(user):
            _token, new_token = ApiToken.issue(
                user, form.cleaned_data["name"], expires_at=form.expires_at()
            )
        messages.success(request, _("Token creato. Copialo ora: non sarà più mostrato."))
        form = TokenForm()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": user.api_tokens.all(),
            "memberships": list(user.memberships.select_related("ente").order_by("ente__name")),
            "sessions": user.browser_sessions.all(),
            "current_session": request.session.session_key,
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(token, by=request.user)
    messages.success(request, _("Token «%(name)s» revocato.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    ended = end_sessions(request.user, keep=request.session.session_key)
    messages.success(request, _("Sessioni chiuse sugli altri dispositivi: %(n)s.") % {"n": ended})
    return redirect("accounts:profile")
