"""Dates known only in part: «1958», «luglio 1958», «3 luglio 1958», or not at all.

One type for every app (agreements, positions, meetings). `ImpreciseDate` is the value;
a model stores it as a pair of columns declared with `imprecise_date_fields`: a DateField
holding the first day of what is known (1958 → 1958-01-01) and a precision. Sorting and
filtering on the date column therefore work as for any date; `last_day` gives the other end.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class DatePrecision(models.TextChoices):
    DAY = "day", gettext_lazy("giorno")
    MONTH = "month", gettext_lazy("mese")
    YEAR = "year", gettext_lazy("anno")
    UNKNOWN = "unknown", gettext_lazy("sconosciuta")


_RANK: dict[str, int] = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}

# Month names read in either language, whatever the page's language (lower case, no accents).
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("gennaio", "gen", "january", "jan"),
            ("febbraio", "feb", "february"),
            ("marzo", "mar", "march"),
            ("aprile", "apr", "april"),
            ("maggio", "mag", "may"),
            ("giugno", "giu", "june", "jun"),
            ("luglio", "lug", "july", "jul"),
            ("agosto", "ago", "august", "aug"),
            ("settembre", "set", "sett", "september", "sep", "sept"),
            ("ottobre", "ott", "october", "oct"),
            ("novembre", "nov", "november"),
            ("dicembre", "dic", "december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_YEAR = r"(\d{4})"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_YEAR}"), "y"),
    (re.compile(rf"(\d{{1,2}})[/.\-]{_YEAR}"), "my"),
    (re.compile(rf"{_YEAR}-(\d{{1,2}})"), "ym"),
    (re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-]{_YEAR}"), "dmy"),
    (re.compile(rf"{_YEAR}-(\d{{1,2}})-(\d{{1,2}})"), "ymd"),
    (re.compile(rf"([a-z]+)\.?,?\s+{_YEAR}"), "Ny"),
    (re.compile(rf"(\d{{1,2}})(?:o|°|st|nd|rd|th)?\s+([a-z]+)\.?,?\s+{_YEAR}"), "dNy"),
    (re.compile(rf"([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}"), "Ndy"),
]
UNKNOWN_WORDS = {"sconosciuta", "data sconosciuta", "ignota", "unknown", "unknown date", "?"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


@total_ordering
@dataclass(frozen=True, eq=True)
class ImpreciseDate:
    """A date known to the day, the month, the year, or not at all.

    Built normalised: the value is the first day of what is known (1958 → 1958-01-01), and an
    unknown date has no value. Unknown dates sort after every known one.
    """

    value: datetime.date | None
    precision: str = DatePrecision.DAY

    def __post_init__(self) -> None:
        precision = DatePrecision(self.precision)
        value = self.value
        if isinstance(value, datetime.datetime):
            value = value.date()
        if value is None or precision == DatePrecision.UNKNOWN:
            value, precision = None, DatePrecision.UNKNOWN
        elif precision == DatePrecision.MONTH:
            value = value.replace(day=1)
        elif precision == DatePrecision.YEAR:
            value = value.replace(month=1, day=1)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "precision", precision)

    @classmethod
    def unknown(cls) -> ImpreciseDate:
        return cls(None, DatePrecision.UNKNOWN)

    @classmethod
    def of(cls, value: datetime.date | None, precision: str | None) -> ImpreciseDate:
        """From a stored pair. A date is never dropped: with no precision, or «unknown»
        left over from when it was empty, it is a day."""
        if value is not None and precision in (None, "", DatePrecision.UNKNOWN):
            precision = DatePrecision.DAY
        return cls(value, precision or DatePrecision.UNKNOWN)

    @classmethod
    def parse(cls, text: str) -> ImpreciseDate:
        """«1958», «07/1958», «luglio 1958», «July 1958», «1958-07», «03/07/1958»,
        «1958-07-03», «3 luglio 1958», «July 3, 1958»; empty is unknown. Raises ValueError."""
        folded = _fold(text or "")
        if not folded or folded in UNKNOWN_WORDS:
            return cls.unknown()
        for pattern, shape in _PATTERNS:
            match = pattern.fullmatch(folded)
            if match is None:
                continue
            parts = dict(zip(shape, match.groups(), strict=True))
            year = int(parts["y"])
            if "N" in parts:
                if parts["N"] not in _MONTH_NAMES:
                    break
                month = _MONTH_NAMES[parts["N"]]
            else:
                month = int(parts.get("m", 1))
            day = int(parts.get("d", 1))
            precision = (
                DatePrecision.DAY
                if "d" in parts
                else DatePrecision.MONTH
                if "m" in parts or "N" in parts
                else DatePrecision.YEAR
            )
            if year < 1000:
                break
            try:
                return cls(datetime.date(year, month, day), precision)
            except ValueError:
                break
        raise ValueError(text)

    # --- reading ------------------------------------------------------------------------

    @property
    def is_known(self) -> bool:
        return self.value is not None

    @property
    def year(self) -> int | None:
        return self.value.year if self.value else None

    @property
    def first_day(self) -> datetime.date | None:
        return self.value

    @property
    def last_day(self) -> datetime.date | None:
        if self.value is None:
            return None
        if self.precision == DatePrecision.YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision == DatePrecision.MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=days)
        return self.value

    def contains(self, day: datetime.date) -> bool:
        return self.value is not None and self.value <= day <= (self.last_day or day)

    def as_input(self) -> str:
        """The numeric form a text input shows, read back by `parse` in any language."""
        if self.value is None:
            return ""
        if self.precision == DatePrecision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.value.month:02d}/{self.value.year:04d}"
        return f"{self.value.day:02d}/{self.value.month:02d}/{self.value.year:04d}"

    def __str__(self) -> str:
        """In the active language: «1958», «luglio 1958», «3 luglio 1958», «data sconosciuta»."""
        if self.value is None:
            return _("data sconosciuta")
        if self.precision == DatePrecision.YEAR:
            return str(self.value.year)
        if self.precision == DatePrecision.MONTH:
            return f"{_month_name(self.value.month)} {self.value.year}"
        if _lower_case_months():
            return f"{self.value.day} {_month_name(self.value.month)} {self.value.year}"
        return date_format(self.value, "j F Y")

    def _key(self) -> tuple[bool, datetime.date, int]:
        return (self.value is None, self.value or datetime.date.min, _RANK.get(self.precision, 3))

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ImpreciseDate):
            return NotImplemented
        return self._key() < other._key()


def _lower_case_months() -> bool:
    # Django's Italian month names are capitalised (for headings); in a date Italian writes them
    # in lower case («3 luglio 1958»), as do French, Spanish and Portuguese. English keeps «July».
    return (get_language() or "it").split("-")[0] in {"it", "fr", "es", "pt", "ca"}


def _month_name(month: int) -> str:
    name = str(MONTHS[month])
    return name.lower() if _lower_case_months() else name


# --- storage ----------------------------------------------------------------------------


class FirstDayField(models.DateField):
    """The date column of an imprecise date: on save it holds the first day of what its
    precision column says is known, and an empty date makes the precision unknown."""

    def __init__(self, *args: Any, precision_field: str = "", **kwargs: Any) -> None:
        self.precision_field = precision_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["precision_field"] = self.precision_field
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        stored = ImpreciseDate.of(
            getattr(model_instance, self.attname),
            getattr(model_instance, self.precision_field, None),
        )
        setattr(model_instance, self.attname, stored.value)
        setattr(model_instance, self.precision_field, str(stored.precision))
        return stored.value


def imprecise_date_fields(
    verbose_name: Any, *, precision_field: str, help_text: Any = ""
) -> tuple[FirstDayField, models.CharField[str, str]]:
    """The two columns of an imprecise date, declared the same way by every model:

    signed_on, signed_precision = imprecise_date_fields(
        _("data della firma"), precision_field="signed_precision"
    )
    """
    return (
        FirstDayField(
            verbose_name,
            null=True,
            blank=True,
            help_text=help_text,
            precision_field=precision_field,
        ),
        models.CharField(
            gettext_lazy("precisione"),
            max_length=7,
            choices=DatePrecision.choices,
            default=DatePrecision.DAY,
        ),
    )


def imprecise(date_field: str, precision_field: str) -> property:
    """A read-only attribute giving the pair as an ImpreciseDate: `signed = imprecise(...)`."""

    def get(obj: Any) -> ImpreciseDate:
        return ImpreciseDate.of(getattr(obj, date_field), getattr(obj, precision_field))

    return property(get)


def ends_on_or_after(date_field: str, precision_field: str, day: datetime.date) -> Q:
    """Records whose imprecise date's last day is `day` or later (a position ending «2004»
    is still held on 10 June 2004)."""
    return (
        Q(**{precision_field: DatePrecision.DAY, f"{date_field}__gte": day})
        | Q(**{precision_field: DatePrecision.MONTH, f"{date_field}__gte": day.replace(day=1)})
        | Q(
            **{
                precision_field: DatePrecision.YEAR,
                f"{date_field}__gte": day.replace(month=1, day=1),
            }
        )
    )


def pair_in(data: dict[str, Any], date_field: str, precision_field: str) -> ImpreciseDate | None:
    """The imprecise date a dict of changes sets (`{"signed_on": …, "signed_precision": …}`),
    or None when it touches neither. A date without a precision is a day."""
    if date_field not in data and precision_field not in data:
        return None
    return ImpreciseDate.of(data.get(date_field), data.get(precision_field))


# --- forms ------------------------------------------------------------------------------

FORMATS_HELP = gettext_lazy(
    "Anche solo in parte: «1958», «07/1958», «luglio 1958», «03/07/1958». Vuoto se non è nota."
)


class ImpreciseDateFormField(forms.Field):
    """One text input for a date known in part; cleans to an ImpreciseDate (unknown if empty)."""

    default_error_messages = {
        "invalid": gettext_lazy(
            "«%(value)s» non è una data: scrivi l'anno (1958), mese e anno (07/1958 o "
            "luglio 1958) o il giorno (03/07/1958)."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", FORMATS_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": 40}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, ImpreciseDate):
            return value.as_input()
        if isinstance(value, datetime.date):
            return ImpreciseDate(value).as_input()
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, ImpreciseDate):
            return value
        text = str(value or "").strip()
        try:
            return ImpreciseDate.parse(text)
        except ValueError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text}
            ) from None

    def validate(self, value: Any) -> None:
        if self.required and not value.is_known:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ImpreciseDatesMixin:
    """For a ModelForm: each imprecise date is one text input named like its date column
    (`imprecise_dates = {"signed_on": "signed_precision"}`); cleaned, the form gives both
    columns, as the services take them."""

    imprecise_dates: dict[str, str] = {}

    def init_imprecise_dates(self) -> None:
        form: Any = self
        for date_field, precision_field in self.imprecise_dates.items():
            if form.instance.pk:
                form.initial.setdefault(
                    date_field,
                    ImpreciseDate.of(
                        getattr(form.instance, date_field),
                        getattr(form.instance, precision_field),
                    ),
                )

    def expand_imprecise_dates(self, data: dict[str, Any]) -> None:
        for date_field, precision_field in self.imprecise_dates.items():
            value = data.get(date_field)
            if isinstance(value, ImpreciseDate):
                data[date_field], data[precision_field] = value.value, str(value.precision)

    def _post_clean(self) -> None:
        # The model's own checks (clean, constraints) see the dates as typed.
        form: Any = self
        for date_field, precision_field in self.imprecise_dates.items():
            if precision_field in form.cleaned_data:
                setattr(form.instance, date_field, form.cleaned_data[date_field])
                setattr(form.instance, precision_field, form.cleaned_data[precision_field])
        super()._post_clean()  # type: ignore[misc]  # ModelForm's private hook
