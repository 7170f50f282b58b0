"""The import pages' forms: a new batch, and the mapping of unknown headers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ponti.core import uploads
from ponti.core.forms import field_of

from .columns import Column
from .models import ImportMapping


class NewImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Dati da importare"))
    ente = forms.ChoiceField(label=_("Per l'ente"))
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (separato da ; o ,), XLSX o ODS; la prima riga contiene i nomi delle colonne."
        ),
    )
    saved_mapping = forms.ChoiceField(label=_("Corrispondenza di colonne salvata"), required=False)

    def __init__(
        self, *args: Any, allowed: dict[str, list[Any]], labels: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        field_of(self, "kind", forms.ChoiceField).choices = [(k, labels[k]) for k in allowed]
        enti = {e.pk: e for es in allowed.values() for e in es}
        field_of(self, "ente", forms.ChoiceField).choices = [
            (pk, str(e)) for pk, e in sorted(enti.items(), key=lambda p: str(p[1]))
        ]
        if len(enti) == 1:
            self.fields["ente"].widget = forms.HiddenInput()
            self.fields["ente"].initial = next(iter(enti))
        mappings = ImportMapping.objects.filter(ente__in=list(enti.values()))
        field_of(self, "saved_mapping", forms.ChoiceField).choices = [
            ("", _("Nessuna: riconosci le colonne"))
        ] + [(m.pk, f"{m.name} ({m.ente})") for m in mappings]
        if not mappings:
            del self.fields["saved_mapping"]

    def clean_file(self) -> uploads.Upload:
        try:
            return uploads.read_upload(
                self.cleaned_data["file"], allowed=(uploads.CSV, uploads.XLSX, uploads.ODS)
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, ente_id = data.get("kind"), data.get("ente")
        if kind and ente_id:
            ente = next((e for e in self.allowed.get(kind, []) if str(e.pk) == str(ente_id)), None)
            if ente is None:
                self.add_error("ente", _("In questo ente non puoi importare questi dati."))
            data["ente_obj"] = ente
        chosen = data.get("saved_mapping")
        data["mapping"] = {}
        if chosen:
            saved = ImportMapping.objects.filter(
                pk=chosen, kind=kind, ente=data.get("ente_obj")
            ).first()
            if saved is None:
                self.add_error(
                    "saved_mapping", _("Questa corrispondenza è di un altro tipo di dati o ente.")
                )
            else:
                data["mapping"] = saved.mapping
        return data


class MappingForm(forms.Form):
    """One select per unknown header: which column it is, or ignore it."""

    save_as = forms.CharField(
        label=_("Salva questa corrispondenza con il nome"),
        required=False,
        max_length=120,
        help_text=_("Facoltativo: per riusarla con altri file della stessa forma."),
    )

    def __init__(
        self,
        *args: Any,
        unknown: list[str],
        columns: list[Column],
        current: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Ignora questa colonna"))] + [(c.key, str(c.label)) for c in columns]
        self.headers: list[tuple[str, str]] = []
        for position, header in enumerate(unknown):
            name = f"col_{position}"
            self.fields[name] = forms.ChoiceField(
                label=_("Colonna «%(header)s»") % {"header": header},
                choices=choices,
                required=False,
                initial=current.get(header, ""),
            )
            self.headers.append((name, header))
        self.order_fields([n for n, _h in self.headers] + ["save_as"])

    def mapping(self, current: dict[str, str]) -> dict[str, str]:
        chosen = dict(current)
        for name, header in self.headers:
            chosen[header] = self.cleaned_data.get(name) or ""
        return chosen
