"""Single sign-on with OpenID Connect (mozilla-django-oidc), on only when PONTI_OIDC_* is set.

The login page offers "Accedi con l'identità dell'ente"; `/oidc/authenticate/` sends the browser
to the provider with a state, a nonce and a PKCE challenge; `/oidc/callback/` exchanges the code,
verifies the ID token (RS256 with the provider's published keys, issuer, audience, expiry, nonce)
and hands the claims to `claims.provision`, which finds or creates the user and sets their places.
The library checks neither the audience nor the issuer, and fetches the userinfo without
comparing its `sub`: those checks are added here. The provider's endpoints come from its
discovery document (`PONTI_OIDC_ISSUER`), fetched when first needed and kept an hour, or from
the explicit PONTI_OIDC_*_ENDPOINT variables. Logging out of Ponti also ends the session at the
provider when it offers an `end_session_endpoint` (RP-initiated logout).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from ponti.core.backends import PasswordBackend

from . import claims

LOGGER = logging.getLogger("ponti.accounts.oidc")
DISCOVERY_SECONDS = 3600
ALGORITHM = "RS256"
# Where the backend leaves the reason a person was refused, for the callback to show it.
REFUSAL = "_ponti_sso_refusal"


def enabled() -> bool:
    return bool(getattr(settings, "PONTI_OIDC_ENABLED", False))


def login_label() -> str:
    return settings.PONTI_OIDC_LOGIN_LABEL or _(
        "Accedi con l'identità dell'ente (SPID, CIE, account dell'ente)"
    )


# --- the provider's endpoints ---------------------------------------------------------------


class ProviderUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Provider:
    issuer: str  # "" when configured by endpoints alone: the ID token's issuer is then not checked
    authorization: str
    token: str
    userinfo: str
    jwks: str
    end_session: str


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def _discover(issuer: str) -> dict[str, Any]:
    cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc}") from exc
    # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was asked for.
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} names another issuer")
    _discovered[issuer] = (time.monotonic(), document)
    return document


def provider() -> Provider:
    """The endpoints: the explicit settings, completed by discovery when an issuer is set."""
    explicit = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.PONTI_OIDC_END_SESSION_ENDPOINT,
    }
    issuer = settings.PONTI_OIDC_ISSUER
    document: dict[str, Any] = {}
    if issuer and not all(list(explicit.values())[:4]):
        document = _discover(issuer)
        issuer = str(document["issuer"])
    found = {key: value or str(document.get(key) or "") for key, value in explicit.items()}
    missing = [key for key, value in list(found.items())[:4] if not value]
    if missing:
        raise ProviderUnavailable(f"no {', '.join(missing)}")
    return Provider(
        issuer=issuer,
        authorization=found["authorization_endpoint"],
        token=found["token_endpoint"],
        userinfo=found["userinfo_endpoint"],
        jwks=found["jwks_uri"],
        end_session=found["end_session_endpoint"],
    )


def logout_url(request: HttpRequest, id_token: str | None) -> str | None:
    """The provider's end-session address for this login (RP-initiated logout), if it has one."""
    if not (enabled() and settings.PONTI_OIDC_LOGOUT_AT_PROVIDER and id_token):
        return None
    try:
        end_session = provider().end_session
    except ProviderUnavailable as exc:
        LOGGER.warning("Logout at the identity provider skipped: %s", exc)
        return None
    if not end_session:
        return None
    params = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(
            resolve_url(settings.LOGOUT_REDIRECT_URL)
        ),
        "client_id": settings.OIDC_RP_CLIENT_ID,
    }
    return f"{end_session}{'&' if '?' in end_session else '?'}{urlencode(params)}"


# --- the backend ----------------------------------------------------------------------------


def _refuse(request: HttpRequest | None, message: str) -> None:
    if request is not None:
        setattr(request, REFUSAL, message)


class OIDCBackend(OIDCAuthenticationBackend, PasswordBackend):
    """mozilla-django-oidc's backend with Ponti's checks and claims (`claims.py`).

    Permissions are answered by `RolePermissionBackend` alone: PasswordBackend, next in the
    MRO, grants nothing from groups or per-user permissions.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for each permission check: read no provider here.
        self.UserModel = get_user_model()
        self.op: Provider | None = None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        # Only the callback, which passes the nonce and PKCE verifier it kept in the session,
        # may log in by code: never a password form posted to a URL with ?code=…&state=….
        if request is None or not enabled():
            return None
        if not kwargs.get("nonce") or not kwargs.get("code_verifier"):
            return None
        try:
            self.op = provider()
        except ProviderUnavailable as exc:
            LOGGER.warning("Identity provider unavailable: %s", exc)
            _refuse(request, _("Il servizio di identità non risponde: riprova più tardi."))
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = self.op.token
        self.OIDC_OP_USER_ENDPOINT = self.op.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = self.op.jwks
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, KeyError) as exc:
            LOGGER.warning("Single sign-on refused: %s", exc)
            return None

    def get_payload_data(self, token: str | bytes, key: Any) -> dict[str, Any]:
        """The verified claims of a token: signature, issuer, audience, expiry (the library
        checks only the signature, and the nonce afterwards)."""
        if jwt.get_unverified_header(token).get("alg") != ALGORITHM:
            raise SuspiciousOperation("ID token not signed with RS256")
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=(self.op.issuer if self.op else "") or None,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        # OpenID Connect Core 3.1.3.7: with several audiences, we must be the authorised party.
        audience = payload["aud"]
        several = isinstance(audience, list) and len(audience) > 1
        if several and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences, not authorised to us")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo must be about the ID token's subject.
        if not isinstance(userinfo, dict) or str(userinfo.get("sub")) != str(payload.get("sub")):
            raise SuspiciousOperation("The userinfo's sub is not the ID token's")
        try:
            return claims.provision({**payload, **userinfo}, create=bool(settings.OIDC_CREATE_USER))
        except claims.Refused as refusal:
            LOGGER.info("Single sign-on of %s refused: %s", payload.get("sub"), refusal)
            _refuse(self.request, str(refusal))
            return None

    def get_user(self, user_id: Any) -> Any:
        # The library's get_user would keep a deactivated user's session alive.
        return PasswordBackend.get_user(self, user_id)


# --- the views ------------------------------------------------------------------------------


def _login_page(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE challenge kept in the session)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library's reads settings that may not be set

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization
        except ProviderUnavailable as exc:
            LOGGER.warning("Identity provider unavailable: %s", exc)
            return _login_page(
                request, _("Il servizio di identità non risponde: riprova più tardi.")
            )
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"ui_locales": translation.get_language() or settings.LANGUAGE_CODE}


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend does the rest."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as exc:  # a state this browser never asked for
            LOGGER.warning("Single sign-on callback refused: %s", exc)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, REFUSAL, None)
        return _login_page(
            self.request,
            refusal
            or _(
                "Accesso con l'identità dell'ente non riuscito: riprova, "
                "o accedi con nome utente e password."
            ),
        )

    def login_success(self) -> HttpResponse:
        response = super().login_success()  # auth.login: user_logged_in fires as for a password
        user = self.user
        if not user.is_superuser and not user.memberships.exists():
            messages.info(
                self.request,
                _(
                    "Sei entrato in Ponti, ma non hai ancora un ruolo in nessun ente: "
                    "chiedi all'Amministratore del tuo ente."
                ),
            )
        return response
