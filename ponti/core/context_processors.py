from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .roles import roles_of


def ponti(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "PONTI_AUTHORITY_NAME": settings.PONTI_AUTHORITY_NAME,
        "PONTI_AUTHORITY_URL": settings.PONTI_AUTHORITY_URL,
        "PONTI_CONTACT_EMAIL": settings.PONTI_CONTACT_EMAIL,
        "ponti_roles": roles_of(user) if user is not None else [],
    }


def csp(request: HttpRequest) -> dict[str, Any]:
    """The request's CSP nonce as `csp_nonce`, the name Django 6's own CSP support uses.

    Lazy: the nonce is made, and put in the header, only if a template writes it.
    """
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
