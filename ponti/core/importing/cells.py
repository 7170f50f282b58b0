"""Reading typed values from cells as offices write them, for every import kind.

Each reader returns the value, or raises `CellError` with a message that says what was
expected; the importer adds the column, the engine the row.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from ponti.core import countries
from ponti.core.dates import DatePrecision, ImpreciseDate

from .files import cell_text, normalise_name

EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Spreadsheet day numbers Ponti accepts: 1 Jan 1910 (3,653) to 31 Dec 2099 (73,050). Smaller
# whole numbers are years (1958), never days of 1905.
SERIAL_DAYS = (3_653, 73_050)


class CellError(ValueError):
    pass


def excel_serial(value: float) -> datetime.date:
    return EXCEL_EPOCH + datetime.timedelta(days=int(value))


def parse_day(value: Any) -> datetime.date | None:
    """A day: a spreadsheet date, an Excel serial number, «03/07/1954», «3.7.1954» or «1954-07-03»."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if SERIAL_DAYS[0] <= value <= SERIAL_DAYS[1]:
            return excel_serial(value)
        raise CellError(_("«%(value)s» non è una data.") % {"value": cell_text(value)})
    text = cell_text(value)
    if re.fullmatch(r"\d{4,5}(\.0+)?", text) and SERIAL_DAYS[0] <= float(text) <= SERIAL_DAYS[1]:
        return excel_serial(float(text))
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if not match:
            raise CellError(
                _("«%(value)s» non è una data: scrivi per esempio 03/07/1954.") % {"value": text}
            )
        day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("«%(value)s» non è una data esistente.") % {"value": text}) from None


def parse_imprecise(value: Any) -> ImpreciseDate:
    """A date known in part: a spreadsheet date or serial (a day), a number 1000–2200 (a
    year), or text: «1998», «03/2004», «marzo 2004», «12/03/2004», «2004-03-12»."""
    if value is None or value == "":
        return ImpreciseDate.unknown()
    if isinstance(value, (datetime.date, datetime.datetime)):
        return ImpreciseDate.of(parse_day(value), DatePrecision.DAY)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1000 <= value <= 2200 and float(value).is_integer():
            return ImpreciseDate(datetime.date(int(value), 1, 1), DatePrecision.YEAR)
        return ImpreciseDate.of(parse_day(value), DatePrecision.DAY)
    text = cell_text(value)
    try:
        return ImpreciseDate.parse(text)
    except ValueError:
        pass
    try:
        return ImpreciseDate.of(parse_day(text), DatePrecision.DAY)
    except CellError:
        raise CellError(
            _(
                "«%(value)s» non è una data: scrivi il giorno (03/07/1998), il mese (07/1998) o l'anno (1998)."
            )
            % {"value": text}
        ) from None


def parse_int(value: Any, *, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value)
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(_("«%(value)s» non è un numero intero.") % {"value": text})
    number = int(text)
    if not low <= number <= high:
        raise CellError(
            _("%(value)s è fuori dall'intervallo ammesso (%(low)s–%(high)s).")
            % {"value": number, "low": low, "high": high}
        )
    return number


def parse_coordinate(value: Any, *, limit: int) -> Decimal | None:
    if value is None or value == "":
        return None
    text = cell_text(value).replace(",", ".")
    try:
        number = Decimal(text)
    except ArithmeticError:
        raise CellError(
            _("«%(value)s» non è una coordinata in gradi decimali.") % {"value": text}
        ) from None
    if not number.is_finite() or abs(number) > limit:
        raise CellError(
            _("%(value)s è fuori da ±%(limit)s gradi.") % {"value": text, "limit": limit}
        )
    return number.quantize(Decimal("0.000001"))


def parse_country(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 from «DE», «DEU», «Germania», «Germany» or «Deutschland»."""
    text = cell_text(value)
    if not text:
        return None
    code = countries.parse_country(text)
    if code is None:
        raise CellError(
            _(
                "«%(value)s» non è un paese riconosciuto: scrivi il nome in italiano o in inglese, o il codice ISO (DE)."
            )
            % {"value": text}
        )
    return code


def parse_choice(
    value: Any, choices: Any, *, aliases: Mapping[str, str] | None = None
) -> str | None:
    """A TextChoices value from its key or its label in Italian or English («Attivo», «active»)."""
    text = cell_text(value)
    if not text:
        return None
    wanted = normalise_name(text)
    table = {normalise_name(k): v for k, v in (aliases or {}).items()}
    for key, label in choices.choices:
        table.setdefault(normalise_name(key), key)
        for language in ("it", "en"):
            with translation.override(language):
                table.setdefault(normalise_name(str(label)), key)
    if wanted in table:
        return table[wanted]
    raise CellError(
        _("«%(value)s» non è tra i valori ammessi: %(allowed)s.")
        % {"value": text, "allowed": ", ".join(str(label) for _key, label in choices.choices)}
    )


def parse_bool(value: Any) -> bool | None:
    text = normalise_name(cell_text(value))
    if not text:
        return None
    if text in {"si", "s", "yes", "y", "true", "vero", "1", "x"}:
        return True
    if text in {"no", "n", "false", "falso", "0"}:
        return False
    raise CellError(_("«%(value)s» non è né sì né no.") % {"value": cell_text(value)})
