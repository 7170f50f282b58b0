"""Forms of logging in and of a user's own tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import lockout
from .models import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nome utente o password non corretti. Dopo troppi tentativi falliti l'accesso "
            "viene bloccato per alcuni minuti."
        ),
        "locked": _(
            "Troppi tentativi falliti per questo utente: l'accesso è bloccato per altri "
            "%(minutes)s minuti. Ogni nuovo errore dopo il blocco lo raddoppia. Se hai "
            "dimenticato la password, chiedine una nuova."
        ),
    }
    locked = False

    def clean(self) -> dict[str, Any]:
        until = lockout.locked_until(self.data.get("username"))
        if until is not None:
            self.locked = True
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": lockout.minutes_left(until)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            # This failure may have been the one that locks the account: say so now.
            until = lockout.locked_until(self.data.get("username"))
            if until is None:
                raise
            self.locked = True
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": lockout.minutes_left(until)},
            ) from None


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=TOKEN_DEFAULT_DAYS)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nome del token"),
        max_length=80,
        help_text=_("Per ricordare a cosa serve, es. «script di importazione»."),
    )
    expires_on = forms.DateField(
        label=_("Scade il"),
        required=False,
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Al più tardi fra un anno; vuoto: fra 90 giorni. Dopo quel giorno il token non "
            "funziona più."
        ),
    )

    def clean_expires_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["expires_on"] or _default_expiry()
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Scegli un giorno dopo oggi."))
        if day > today + datetime.timedelta(days=TOKEN_MAX_DAYS):
            raise forms.ValidationError(
                _("Un token dura al massimo %(days)s giorni.") % {"days": TOKEN_MAX_DAYS}
            )
        return day

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day, in the site's time zone."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
