"""Forms of the planning pages: objectives, indicators and their values, budget lines and amounts.

Money and indicator values are typed the Italian way ("1.234,56", "1234,56" or "1234.56") and read
by `ponti.core.forms.AmountField` (`ponti.core.money.parse_amount`, the reader of the imports and API).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ponti.core.confidentiality import Confidentiality, clearance
from ponti.core.forms import AmountField, EnteFilterField, SearchField, VersionField, field_of
from ponti.core.ids import parse_id
from ponti.core.models import Ente

from .models import (
    BudgetAmount,
    BudgetCode,
    BudgetLine,
    CodeLevel,
    Indicator,
    Objective,
    ObjectiveLevel,
    Side,
)
from .registry import metric_choices

YEAR_INPUT = forms.NumberInput(attrs={"inputmode": "numeric", "min": 2000, "max": 2100})


def years_only(form: forms.BaseForm, *names: str) -> None:
    """A year input offers 2000–2100 (the model's range), not the 0 a positive integer field would."""
    for name in names:
        form.fields[name].widget.attrs.update({"min": 2000, "max": 2100})


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BudgetCode) -> str:
        return f"{obj.display_code} - {obj.name}"


class SidedCodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BudgetCode) -> str:
        return (
            f"{obj.get_side_display()} · {obj.get_level_display()} {obj.display_code} - {obj.name}"
        )


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.get_level_display()}: {obj}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def confidentiality_choices(user: Any) -> list[tuple[str, str]]:
    """The levels the user may give a record: never one the user could not read back."""
    level = clearance(user)
    return [(c.value, str(c.label)) for c in Confidentiality if c.level <= level]


class _EnteOwnedForm(forms.ModelForm):
    """An objective or a line: of the user's ente (chosen when the user works for several)."""

    version = VersionField()

    def __init__(
        self, *args: Any, user: Any, enti: list[Ente] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field_of(self, "confidentiality", forms.ChoiceField).choices = confidentiality_choices(user)
        enti = enti or []
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)
        elif len(enti) > 1:
            self.fields["ente"] = forms.ModelChoiceField(
                Ente.objects.filter(pk__in=[e.pk for e in enti]),
                label=_("Ente"),
            )
        elif enti:
            self.instance.ente = enti[0]

    def chosen_ente_id(self) -> int | None:
        if self.instance.ente_id:
            return int(self.instance.ente_id)
        raw = str((self.data.get("ente") if self.is_bound else self.initial.get("ente")) or "")
        return parse_id(raw)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ente"):
            self.instance.ente = data["ente"]
        return data


class ObjectiveForm(_EnteOwnedForm):
    parent = ObjectiveChoiceField(
        Objective.objects.none(),
        required=False,
        label=_("Livello superiore"),
        empty_label=_("Nessuno"),
        help_text=_(
            "Un obiettivo strategico sta sotto un indirizzo, un operativo sotto uno strategico, "
            "un'attività sotto un operativo."
        ),
    )
    missione = CodeChoiceField(
        BudgetCode.objects.filter(level=CodeLevel.MISSIONE),
        required=False,
        label=_("Missione"),
        empty_label=_("Nessuna"),
    )
    programma = CodeChoiceField(
        BudgetCode.objects.filter(level=CodeLevel.PROGRAMMA),
        required=False,
        label=_("Programma"),
        empty_label=_("Nessuno"),
    )
    responsible_user = UserChoiceField(
        get_user_model().objects.none(),
        required=False,
        label=_("Responsabile (utente di Ponti)"),
        empty_label=_("Nessuno: scrivo il nome"),
    )

    class Meta:
        model = Objective
        fields = [
            "level",
            "parent",
            "code",
            "title",
            "mandate",
            "responsible_user",
            "responsible_name",
            "missione",
            "programma",
            "start_year",
            "end_year",
            "description",
            "position",
            "confidentiality",
        ]
        widgets = {
            "start_year": YEAR_INPUT,
            "end_year": YEAR_INPUT,
            "description": forms.Textarea(attrs={"rows": 8}),
            "position": forms.NumberInput(attrs={"min": 0}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ente_id = self.chosen_ente_id()
        objectives = Objective.objects.for_user(self.user).exclude(level=ObjectiveLevel.ATTIVITA)
        users = get_user_model().objects.filter(is_active=True)
        if ente_id:
            objectives = objectives.filter(ente_id=ente_id)
            users = users.filter(enti=ente_id)
        if self.instance.pk:
            objectives = objectives.exclude(pk=self.instance.pk)
        level = (
            (self.data.get("level") if self.is_bound else None)
            or self.initial.get("level")
            or self.instance.level
        )
        if level in ObjectiveLevel.values:
            above = ObjectiveLevel(level).parent_level
            objectives = objectives.filter(level=above) if above else objectives.none()
        field_of(self, "parent", forms.ModelChoiceField).queryset = objectives.order_by(
            "level", "code", "title"
        )
        field_of(self, "responsible_user", forms.ModelChoiceField).queryset = users.order_by(
            "last_name", "first_name", "username"
        )
        self.fields["start_year"].label = _("Primo anno")
        self.fields["end_year"].label = _("Ultimo anno")
        years_only(self, "start_year", "end_year")
        self.fields["responsible_name"].help_text = _(
            "Il nome come compare nel DUP, se il Responsabile non è un utente di Ponti."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parent = data.get("parent")
        if parent is not None and self.instance.ente_id and parent.ente_id != self.instance.ente_id:
            self.add_error("parent", _("Il livello superiore è di un altro ente."))
        code = (data.get("code") or "").strip()
        if code and self.instance.ente_id:
            clash = Objective.objects.filter(ente_id=self.instance.ente_id, code=code)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "code", _("Esiste già un obiettivo con il codice %(code)s.") % {"code": code}
                )
        return data


class IndicatorForm(forms.ModelForm):
    version = VersionField()
    baseline = AmountField(allow_negative=True, label=_("Valore di partenza"))
    metric = forms.ChoiceField(
        label=_("Calcolo automatico"),
        required=False,
        help_text=_(
            "Se scegli un calcolo, Ponti conta ogni anno il valore effettivo sui propri dati; "
            "altrimenti lo inserisci a mano con la sua fonte."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "baseline",
            "baseline_year",
            "metric",
            "example",
            "position",
        ]
        widgets = {"baseline_year": YEAR_INPUT, "position": forms.NumberInput(attrs={"min": 0})}

    def __init__(self, *args: Any, objective: Objective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.objective = objective
        years_only(self, "baseline_year")
        field_of(self, "metric", forms.ChoiceField).choices = [
            ("", _("Nessuno: valore inserito a mano")),
            *metric_choices(),
        ]
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class IndicatorValuesForm(forms.Form):
    """A target per year of the objective's horizon; for indicators without a metric also actual and source."""

    # The values are saved as a change of the indicator: a save made on values read before
    # someone else's is refused, as for any record.
    version = VersionField()

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", indicator.version)
        self.indicator = indicator
        self.years = indicator.objective.years
        stored = {v.year: v for v in indicator.values.all()}
        self.rows: list[dict[str, Any]] = []
        for year in self.years:
            value = stored.get(year)
            self.fields[f"target_{year}"] = AmountField(
                allow_negative=True,
                label=_("Obiettivo atteso %(year)s") % {"year": year},
                initial=value.target if value else None,
            )
            row: dict[str, Any] = {"year": year, "target": f"target_{year}"}
            if not indicator.metric:
                self.fields[f"actual_{year}"] = AmountField(
                    allow_negative=True,
                    label=_("Valore effettivo %(year)s") % {"year": year},
                    initial=value.actual if value else None,
                )
                self.fields[f"source_{year}"] = forms.CharField(
                    label=_("Fonte del valore %(year)s") % {"year": year},
                    required=False,
                    max_length=300,
                    initial=value.source if value else "",
                )
                row |= {"actual": f"actual_{year}", "source": f"source_{year}"}
            self.rows.append(row)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The model says the same (IndicatorValue.clean); said here too, every error shows at once.
        for year in self.years:
            if (
                data.get(f"actual_{year}") is not None
                and not (data.get(f"source_{year}") or "").strip()
            ):
                self.add_error(f"source_{year}", _("Indica la fonte del valore effettivo."))
        return data

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {key: (self[name] if key != "year" else name) for key, name in row.items()}
            for row in self.rows
        ]

    def values(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            year: {
                "target": data.get(f"target_{year}"),
                "actual": data.get(f"actual_{year}"),
                "source": (data.get(f"source_{year}") or "").strip(),
            }
            for year in self.years
        }


class BudgetLineForm(_EnteOwnedForm):
    titolo = SidedCodeChoiceField(
        BudgetCode.objects.filter(level=CodeLevel.TITOLO).order_by("side", "code"),
        label=_("Titolo"),
        empty_label=_("Scegli un Titolo"),
    )
    category = SidedCodeChoiceField(
        BudgetCode.objects.filter(
            level__in=[CodeLevel.TIPOLOGIA, CodeLevel.MACROAGGREGATO]
        ).order_by("side", "code"),
        required=False,
        label=_("Tipologia (entrata) o Macroaggregato (spesa)"),
        empty_label=_("Nessuna"),
    )
    programma = CodeChoiceField(
        BudgetCode.objects.filter(level=CodeLevel.PROGRAMMA),
        required=False,
        label=_("Programma (solo spesa)"),
        empty_label=_("Nessuno"),
    )
    objective = ObjectiveChoiceField(
        Objective.objects.none(),
        required=False,
        label=_("Obiettivo"),
        empty_label=_("Nessuno"),
    )

    class Meta:
        model = BudgetLine
        fields = [
            "side",
            "number",
            "description",
            "titolo",
            "category",
            "programma",
            "objective",
            "example",
            "confidentiality",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objectives = Objective.objects.for_user(self.user)
        ente_id = self.chosen_ente_id()
        if ente_id:
            objectives = objectives.filter(ente_id=ente_id)
        field_of(self, "objective", forms.ModelChoiceField).queryset = objectives.order_by(
            "level", "code", "title"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        ente_id = self.instance.ente_id
        if ente_id and data.get("side") and data.get("number"):
            clash = BudgetLine.objects.filter(
                ente_id=ente_id, side=data["side"], number=data["number"]
            )
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "number",
                    _("Esiste già un capitolo di %(side)s con questo numero.")
                    % {"side": Side(data["side"]).label.lower()},
                )
        return data


class AmountForm(forms.ModelForm):
    """A line's figures for one year. Labels follow the side: accertato/riscosso or impegnato/pagato."""

    version = VersionField()
    revised = AmountField(
        label=_("Previsione assestata"),
        help_text=_("Lascia vuoto finché il bilancio non è variato: vale la previsione iniziale."),
    )
    committed = AmountField(label=_("Impegnato"))
    cashed = AmountField(label=_("Pagato"))

    class Meta:
        model = BudgetAmount
        fields = ["initial", "revised", "committed", "cashed", "source"]
        widgets = {"source": forms.TextInput()}

    def __init__(self, *args: Any, line: BudgetLine, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.line = line
        self.instance.year = year
        # Declared here: a class attribute named "initial" would hide the form's `initial` dict.
        self.fields["initial"] = AmountField(
            label=_("Previsione iniziale"),
            required=True,
            help_text=_("In euro, per esempio 1.234,56."),
        )
        self.order_fields(["initial", "revised", "committed", "cashed", "source"])
        if line.side == Side.ENTRATA:
            self.fields["committed"].label = _("Accertato")
            self.fields["cashed"].label = _("Riscosso")
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def clean_committed(self) -> Decimal:
        return self.cleaned_data.get("committed") or Decimal("0.00")

    def clean_cashed(self) -> Decimal:
        return self.cleaned_data.get("cashed") or Decimal("0.00")


class LineFilterForm(forms.Form):
    """The budget lines' query string, validated: bad values fall back to the defaults, never a 500."""

    q = SearchField(max_length=100, help_text=_("Numero o descrizione del capitolo."))
    side = forms.ChoiceField(
        label=_("Entrata o spesa"),
        required=False,
        choices=[("", _("Entrate e spese")), *Side.choices],
    )
    objective = ObjectiveChoiceField(
        Objective.objects.none(), required=False, label=_("Obiettivo"), empty_label=_("Tutti")
    )
    year = forms.IntegerField(
        label=_("Anno"), required=False, min_value=2000, max_value=2100, widget=YEAR_INPUT
    )
    ente = EnteFilterField()

    def __init__(self, *args: Any, objectives: QuerySet[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "objective", forms.ModelChoiceField).queryset = objectives

    def year_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year
