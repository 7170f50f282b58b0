from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nome utente o password non corretti. Dopo troppi tentativi falliti l'accesso "
            "viene bloccato per alcuni minuti."
        ),
    }


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nome del token"),
        max_length=80,
        help_text=_("Per ricordare a cosa serve, es. «script di importazione»."),
    )
