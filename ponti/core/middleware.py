from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase


class ItalianFirstMiddleware:
    """Italian is the default whatever the browser asks: only the IT/EN switch changes it.

    Runs before LocaleMiddleware, which would otherwise follow Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header (policy in settings), plus the hashes of the theme's inline scripts.

    See ponti.core.csp for why those two scripts are allowed by hash rather than by nonce.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        from .csp import theme_script_hashes

        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        update["script-src"] = [*update.get("script-src", []), *theme_script_hashes()]
        providers = sso_origins()
        if providers:
            update["form-action"] = [*update.get("form-action", []), *providers]
        parts.update = update
        return parts


def sso_origins() -> list[str]:
    """With single sign-on, logging out sends the browser on to the provider's end-session
    endpoint; form-action also governs where a submitted form is redirected, so the provider's
    origin is allowed there (and only there)."""
    from urllib.parse import urlsplit

    if not getattr(settings, "PONTI_OIDC_ENABLED", False):
        return []
    origins = []
    for address in (
        settings.PONTI_OIDC_ISSUER,
        getattr(settings, "PONTI_OIDC_END_SESSION_ENDPOINT", ""),
    ):
        if address:
            parts = urlsplit(address)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header: browser features Ponti never uses are off for every page.

    Django has no setting for it; the policy is `PONTI_PERMISSIONS_POLICY` in settings.py.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PONTI_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
