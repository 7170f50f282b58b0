"""Absolute addresses for what leaves the site (e-mails, documents): the site's address comes
from PONTI_BASE_URL, never from a request's Host header, which a client chooses."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def site_url() -> str:
    base = (getattr(settings, "PONTI_BASE_URL", "") or "").rstrip("/")
    if not base:
        raise ImproperlyConfigured(
            "PONTI_BASE_URL is not set: e-mails need the site's address, "
            "e.g. PONTI_BASE_URL=https://ponti.example.org"
        )
    return base


def absolute(path: str) -> str:
    """`path` (e.g. "/accordi/3/") as a full address on this site."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url() + "/" + path.lstrip("/")
