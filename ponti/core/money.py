"""Euros in the Italian style, and amounts read from what people type or export.

Money is Decimal with two places, never float: "1.234,56" and "1234.56" both read as
Decimal("1234.56"); "12,345" (three decimals) and "abc" are refused with a message.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
_ITALIAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
# "1.234.567": dots as thousands. A lone "1.234" is ambiguous and refused.
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}$")


class AmountError(ValueError):
    """The text is not an amount in euros; the message says why, in the user's language."""


def parse_amount(value: Any) -> Decimal | None:
    """Read an amount; None for an empty cell. Raises AmountError for anything else that is not one."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(_("«%(value)s» non è un importo.") % {"value": value})
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # A spreadsheet cell: repr gives the shortest decimal that reads back as the same float.
        if value != value or value in (float("inf"), float("-inf")):
            raise AmountError(_("«%(value)s» non è un importo.") % {"value": value})
        amount = Decimal(repr(value))
    else:
        text = str(value).strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if re.match(r"^[+-]?\d{1,3}\.\d{3}$", text):
            # "13.000": thirteen thousand in Italian, thirteen in English. Never guess.
            raise AmountError(
                _("«%(value)s» è ambiguo: scrivi %(plain)s oppure %(italian)s.")
                % {"value": text, "plain": text.replace(".", ""), "italian": f"{text},00"}
            )
        if ("," in text and _ITALIAN.match(text)) or _THOUSANDS.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif not _PLAIN.match(text):
            raise AmountError(
                _("«%(value)s» non è un importo: scrivi per esempio 1234,56 oppure 1.234,56.")
                % {"value": str(value).strip()}
            )
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise AmountError(_("«%(value)s» non è un importo.") % {"value": value}) from None
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            # Typed text: "12,340" has three decimals even if the last is a zero.
            raise AmountError(
                _("«%(value)s» ha più di 2 decimali: gli importi sono in euro e centesimi.")
                % {"value": str(value).strip()}
            )
    if not amount.is_finite():
        raise AmountError(_("«%(value)s» non è un importo.") % {"value": value})
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(CENT):
        raise AmountError(
            _("«%(value)s» ha più di 2 decimali: gli importi sono in euro e centesimi.")
            % {"value": value}
        )
    return amount.quantize(CENT)


def format_number(value: Decimal | int | float | None, places: int = 2) -> str:
    """1234567.5 → "1.234.567,50" (Italian grouping and decimal comma)."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    sign = "-" if number < 0 else ""
    whole, _dot, frac = f"{abs(number):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if places else f"{sign}{text}"


def format_euro(value: Decimal | int | float | None) -> str:
    """1234.5 → "1.234,50 €"; empty for None."""
    return "" if value is None else f"{format_number(value)}\u00a0€"
