"""Return addresses ("next") from the request: followed only when they stay on this site.

A form that sends the user back where they were posts the page's path as `next`; anything else
there (`//evil.example`, `https://evil.example`, `/\\evil.example`, `javascript:…`) would turn
Ponti into an open redirect, so it is ignored and the view's own fallback is used.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, fallback: Any) -> str:
    """`candidate` if it is an address on this site, otherwise `fallback` (a URL or a URL name)."""
    if (
        candidate
        # a path or an absolute address: anything else would be reversed as a URL name
        and candidate.startswith(("/", "http://", "https://"))
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return resolve_url(fallback)


def redirect_back(
    request: HttpRequest, fallback: Any, *, field: str = "next"
) -> HttpResponseRedirect:
    """Redirect to the request's `next` (POST, then GET) if safe, else to `fallback`."""
    candidate = request.POST.get(field) or request.GET.get(field)
    return redirect(safe_next(request, candidate, fallback))
