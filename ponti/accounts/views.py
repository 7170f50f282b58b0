from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ponti.core.audit import acting_as
from ponti.core.roles import ROLE_DEFINITIONS, Role, roles_of
from ponti.core.typing import AuthedRequest

from .forms import LoginForm, TokenForm
from .models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("La password è stata cambiata."))
        return super().form_valid(form)


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with acting_as(user):
            token, new_token = ApiToken.issue(user, form.cleaned_data["name"])
        messages.success(request, _("Token creato. Copialo ora: non sarà più mostrato."))
        form = TokenForm()
    roles = [Role(r).label for r in roles_of(user)]
    clearance = max((ROLE_DEFINITIONS[r].clearance for r in roles_of(user)), default=0)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": user.api_tokens.all(),
            "roles": roles,
            "clearance": clearance,
            "enti": user.enti.all(),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    with acting_as(request.user):
        token.revoke()
    messages.success(request, _("Token «%(name)s» revocato.") % {"name": token.name})
    return redirect("accounts:profile")
