"""Content-Security-Policy pieces that settings alone cannot say (the policy is in settings.py).

Scripts run only from our own origin or with the request's nonce. Two inline scripts stay out of
reach of the nonce: design-django-theme's base template writes them outside any block, so Ponti's
base cannot give them a nonce without forking the theme. They are allowed by their SHA-256 hash,
computed here from the installed theme itself, so a new theme version with different scripts gets
the right hashes (and a changed script is never allowed by a stale hash).
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from django.http import HttpResponseBase
from django.template import Context, Template, loader

THEME_BASE = "bootstrap-italia-base.html"

# An inline script is a <script> tag with no attributes (the theme's have none) and a body.
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def source_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline script or style body."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def theme_script_hashes() -> tuple[str, ...]:
    """Hashes of the inline scripts in the theme's base, rendered as a page renders them.

    Their bodies hold template tags (the fonts' static path), so each body is rendered with the
    theme's tag libraries before hashing; the result depends only on the static files storage,
    fixed for the life of the process.
    """
    template = loader.get_template(THEME_BASE)
    source: str = template.template.source  # type: ignore[attr-defined]
    hashes = []
    for body in _INLINE_SCRIPT.findall(source):
        rendered = Template("{% load django_bootstrap_italia static %}" + body).render(Context())
        hashes.append(source_hash(rendered))
    return tuple(hashes)


def allow_inline_styles(response: HttpResponseBase, html: str) -> None:
    """Let a standalone document (the HTML of a DUP sheet) use its own <style> blocks.

    The document is also printed by WeasyPrint, which reads no external stylesheet (it fetches
    nothing), so its CSS must be inline; each block is allowed by its hash, on this response only.
    """
    hashes = [source_hash(body) for body in _INLINE_STYLE.findall(html)]
    if hashes:
        update = dict(getattr(response, "_csp_update", None) or {})
        update["style-src"] = [*update.get("style-src", []), *hashes]
        response._csp_update = update  # type: ignore[attr-defined]
