"""Request types for views, so the type checker knows what the middleware adds.

`HtmxMiddleware` sets `request.htmx`; a view behind `login_required` has a real user, not
`AnonymousUser`. The user model is imported for the type checker only: core imports no
other Ponti app at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from ponti.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    """The request of a view behind `login_required`."""

    user: User
