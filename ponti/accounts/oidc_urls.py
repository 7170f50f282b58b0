"""Single sign-on (`oidc.py`) under /oidc/: the library's two URLs and names (it reverses
"oidc_authentication_callback" itself), served by Ponti's views, which answer 404 unless
single sign-on is configured. Logging out is /accounts/logout/, for every kind of login."""

from django.urls import path

from . import oidc

urlpatterns = [
    path("authenticate/", oidc.AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
]
