"""Record ids from the outside (query strings, form fields, typed-in lists): only what a
database column can hold.

SQLite and PostgreSQL keep ids in 64-bit integers: a larger number sent to them is an
OverflowError (SQLite) or a DataError that aborts the transaction (PostgreSQL), a 500 either
way. Django guards `pk=` lookups since 5.0, but not `pk__in=`, related lookups or inserts, so
every id read from a request goes through `parse_id`, and every model choice field of every
form refuses an impossible key as an unknown choice (`install_choice_check`, once at start-up).
"""

from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1  # the largest bigint; ids are never 0 or negative


def parse_id(value: Any) -> int | None:
    """`value` as a record id (1 … 2**63-1), or None: "12", 12 and " 12 " are 12; "0", "-3",
    "1e3", "²", "١٢" and 2**63 are None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        number = int(text)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def is_possible_key(value: Any) -> bool:
    """Whether a database could hold `value` as an integer key (any other key passes)."""
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit():
            return text.isascii() and abs(int(text)) <= MAX_ID
        return True
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) <= MAX_ID
    return True


def install_choice_check() -> None:
    """Every ModelChoiceField and ModelMultipleChoiceField answers "not one of the choices" to
    a key no column can hold, before querying (Django sends it to the database)."""
    from django import forms
    from django.core.exceptions import ValidationError

    single = forms.ModelChoiceField.to_python
    if getattr(single, "ponti_checks_ids", False):
        return

    def to_python(self: forms.ModelChoiceField, value: Any) -> Any:
        if value not in self.empty_values and not is_possible_key(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return single(self, value)

    many = forms.ModelMultipleChoiceField._check_values  # type: ignore[attr-defined]

    def check_values(self: forms.ModelMultipleChoiceField, value: Any) -> Any:
        try:
            values = frozenset(value)
        except TypeError:
            values = frozenset()
        for each in values:
            if not is_possible_key(each):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(each)[:20]},
                )
        return many(self, value)

    to_python.ponti_checks_ids = True  # type: ignore[attr-defined]
    forms.ModelChoiceField.to_python = to_python  # type: ignore[method-assign]
    forms.ModelMultipleChoiceField._check_values = check_values  # type: ignore[attr-defined]
