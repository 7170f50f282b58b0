"""Euros in the Italian style, and amounts read from what people type, import or send to the API.

One reader for every amount (`parse_amount`): forms, imports and the API. Money is Decimal
with two places, never float.
- People (forms, CSV/XLSX cells) write "1.234,56", "1234,56" or "1234.56"; "13.000" is
  ambiguous and refused.
- The API takes a JSON number or a string "1234.56" (a dot for the decimals, no thousands).
- Everywhere: more than 2 decimals is refused, never rounded ("2.675", "12,340"); so are
  exponents ("1e3"), NaN and Infinity, and digits other than 0-9 ("١٢٣", "１２３").
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# The largest amount a money column (max_digits=14, decimal_places=2) holds.
MAX_AMOUNT = Decimal("999999999999.99")
_ITALIAN = re.compile(r"^[+-]?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$|^[+-]?[0-9]+(,[0-9]+)?$")
_PLAIN = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
# "1.234.567": dots as thousands. A lone "1.234" is ambiguous and refused.
_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}$")
_AMBIGUOUS = re.compile(r"^[+-]?[0-9]{1,3}\.[0-9]{3}$")
_API = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_EXPONENT = re.compile(r"^[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+$")
_NOT_FINITE = {
    "nan",
    "+nan",
    "-nan",
    "snan",
    "inf",
    "+inf",
    "-inf",
    "infinity",
    "+infinity",
    "-infinity",
}


class AmountError(ValueError):
    """The value is not an amount in euros; the message says why, in the user's language."""


class JsonNumber(float):
    """A JSON number with a fraction or an exponent, remembering how it was written.

    The API's JSON parser makes these, so that 2.675 is read as the three decimals the client
    sent (and refused), and 1e3 as an exponent (refused), never through float arithmetic.
    Everything else sees an ordinary float.
    """

    text: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number


def parse_amount(
    value: Any,
    *,
    api: bool = False,
    negative: bool = True,
    maximum: Decimal | None = MAX_AMOUNT,
) -> Decimal | None:
    """Read an amount; None for an empty cell or field. Raises AmountError for anything else
    that is not one. `api` reads an API value (a JSON number or "1234.56"); `negative=False`
    refuses amounts below zero; `maximum` is the largest absolute value the column holds."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(_("«%(value)s» non è un importo.") % {"value": value})
    if isinstance(value, JsonNumber | str):
        # Text as typed, or a JSON number as the client wrote it (never through its float).
        text, as_api = (value.text, True) if isinstance(value, JsonNumber) else (value, api)
        parsed = _from_text(text, api=as_api)
        if parsed is None:
            return None
        amount = parsed
    elif isinstance(value, float):
        # A spreadsheet cell: repr gives the shortest decimal that reads back as the same float.
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError(_not_finite(value))
        amount = Decimal(repr(value))
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError(_not_finite(value))
        amount = value
    else:
        raise AmountError(_("«%(value)s» non è un importo.") % {"value": value})
    return _checked(amount, value, negative=negative, maximum=maximum)


def _from_text(value: str, *, api: bool) -> Decimal | None:
    typed = value if api else value.strip()
    text = typed if api else typed.replace("€", "").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    shown = typed[:40]
    foreign = (
        None
        if text.isascii()
        else next(
            (c for c in text if unicodedata.category(c) == "Nd" and c not in "0123456789"), None
        )
    )
    if foreign is not None:
        raise AmountError(
            _(
                "«%(value)s» contiene cifre non ammesse (%(digit)s): scrivi l'importo con le cifre 0-9."
            )
            % {"value": shown, "digit": foreign}
        )
    if text.lower() in _NOT_FINITE:
        raise AmountError(_not_finite(shown))
    if _EXPONENT.match(text):
        raise AmountError(
            _("«%(value)s» è in notazione esponenziale: scrivi l'importo per esteso, es. 1000.")
            % {"value": shown}
        )
    if api:
        if not _API.match(text):
            raise AmountError(
                _(
                    "«%(value)s» non è un importo: scrivi un numero come 1234.56 (il punto per i decimali, senza separatore delle migliaia)."
                )
                % {"value": shown}
            )
    elif _AMBIGUOUS.match(text):
        # "13.000": thirteen thousand in Italian, thirteen in English. Never guess.
        raise AmountError(
            _("«%(value)s» è ambiguo: scrivi %(plain)s oppure %(italian)s.")
            % {"value": text, "plain": text.replace(".", ""), "italian": f"{text},00"}
        )
    elif ("," in text and _ITALIAN.match(text)) or _THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif not _PLAIN.match(text):
        raise AmountError(
            _("«%(value)s» non è un importo: scrivi per esempio 1234,56 oppure 1.234,56.")
            % {"value": shown}
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise AmountError(_("«%(value)s» non è un importo.") % {"value": shown}) from None
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        # Typed text: "12,340" has three decimals even if the last is a zero.
        raise AmountError(_decimals(shown))
    return amount


def _checked(amount: Decimal, value: Any, *, negative: bool, maximum: Decimal | None) -> Decimal:
    if not amount.is_finite():
        raise AmountError(_not_finite(value))
    if amount != amount.quantize(CENT):
        raise AmountError(_decimals(value))
    if amount < 0 and not negative:
        raise AmountError(_("L'importo non può essere negativo."))
    if maximum is not None and abs(amount) > maximum:
        raise AmountError(_("L'importo supera %(maximum)s.") % {"maximum": format_number(maximum)})
    # -0 is stored, and shown, as 0.00.
    return amount.quantize(CENT) if amount else Decimal("0.00")


def _decimals(value: Any) -> str:
    return _("«%(value)s» ha più di 2 decimali: gli importi sono in euro e centesimi.") % {
        "value": value
    }


def _not_finite(value: Any) -> str:
    return _("«%(value)s» non è un importo: serve un numero finito, come 1234,56.") % {
        "value": value
    }


def format_number(value: Decimal | int | float | None, places: int = 2) -> str:
    """1234567.5 → "1.234.567,50" (Italian grouping and decimal comma)."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    if not number:
        number = abs(number)  # -0,00 is shown as 0,00
    # Python's grouping («1,234,567.50»), then the Italian separators swapped in.
    return f"{number:,f}".translate(_ITALIAN_SEPARATORS)


_ITALIAN_SEPARATORS = str.maketrans({",": ".", ".": ","})


def format_euro(value: Decimal | int | float | None) -> str:
    """1234.5 → "1.234,50 €"; empty for None."""
    return "" if value is None else f"{format_number(value)}\u00a0€"
