"""Logging in, changing a password, and choosing one from a link (invitation or reset)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .. import oidc
from ..forms import LoginForm
from ..sessions import remember_session


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "locked", False):
            response.status_code = 429  # Too Many Requests: scripts can tell it apart
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # Single sign-on, when configured, next to the local form (which always stays).
        context["sso_label"] = oidc.login_label() if oidc.enabled() else None
        return context


class LogoutView(auth_views.LogoutView):
    """Ends the Ponti session; after a single sign-on, also the provider's, when it offers an
    end-session endpoint (the browser goes there, and the provider sends it back home)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token")  # gone once the session is flushed
        response = super().post(request, *args, **kwargs)
        at_provider = oidc.logout_url(request, id_token)
        return HttpResponseRedirect(at_provider) if at_provider else response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        # Saving the password ends every session and token of the user (sessions.py); Django
        # then gives this browser a new session, which is remembered like a login.
        response = super().form_valid(form)
        remember_session(self.request, form.user)
        messages.success(
            self.request,
            _("La password è stata cambiata: le altre sessioni e i token API sono stati chiusi."),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Anyone may ask for a link; the page never says whether the address is known."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Links point at PONTI_BASE_URL, never at the Host header the request carried.
        parts = urlsplit(settings.PONTI_BASE_URL)
        self.extra_email_context = {"authority": settings.PONTI_AUTHORITY_NAME}
        form.save(
            domain_override=parts.netloc,
            use_https=parts.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            extra_email_context=self.extra_email_context,
        )
        return super(auth_views.PasswordResetView, self).form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        from ..lockout import clear

        response = super().form_valid(form)
        clear(form.user.get_username())  # whoever proved the address may try again
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
