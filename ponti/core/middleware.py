from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ItalianFirstMiddleware:
    """Italian is the default whatever the browser asks: only the IT/EN switch changes it.

    Runs before LocaleMiddleware, which would otherwise follow Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
