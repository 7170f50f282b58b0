"""Text: folding for accent- and case-insensitive search ("Fes" finds "Fès"), and the
characters no text may hold (refused in every form, API field and import)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Letters that do not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
    }
)


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced text."""
    if not text:
        return ""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


# --- Characters no text may hold -------------------------------------------------------------
#
# Control characters (Unicode category Cc) other than tab, newline and carriage return break
# the documents Ponti writes: XML (DOCX, ODT, XLSX) cannot hold them, PostgreSQL cannot store
# NUL. Lone surrogates cannot be encoded, and U+FFFE/U+FFFF are not characters at all (lxml
# refuses them). Every form, API field and import refuses them with the same message.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The first character no text may hold, as (1-based position, character); None if none."""
    match = FORBIDDEN.search(text)
    return (match.start() + 1, match.group()) if match else None


def forbidden_character_message(text: str, field: Any = None) -> str | None:
    """Why `text` is refused, in the user's language, naming `field` when given; None if it is fine."""
    found = forbidden_character(text)
    if found is None:
        return None
    position, char = found
    params = {"field": field, "code": f"U+{ord(char):04X}", "position": position}
    if unicodedata.category(char) == "Cc":
        if field:
            return (
                _(
                    "«%(field)s» contiene un carattere di controllo (%(code)s) alla posizione "
                    "%(position)s: cancellalo e riprova."
                )
                % params
            )
        return (
            _(
                "Il testo contiene un carattere di controllo (%(code)s) alla posizione %(position)s: "
                "cancellalo e riprova."
            )
            % params
        )
    if field:
        return (
            _(
                "«%(field)s» contiene un carattere non valido (%(code)s) alla posizione "
                "%(position)s: cancellalo e riprova."
            )
            % params
        )
    return (
        _(
            "Il testo contiene un carattere non valido (%(code)s) alla posizione %(position)s: "
            "cancellalo e riprova."
        )
        % params
    )


def check_text(text: str, field: Any = None) -> None:
    """Raise a ValidationError (code "control_character") if `text` holds a forbidden character."""
    message = forbidden_character_message(text, field)
    if message is not None:
        raise ValidationError(message, code="control_character")


def forbidden_in(data: Any, path: str = "") -> dict[str, str]:
    """Every string in `data` (nested dicts and lists, keys included) that holds a forbidden
    character, as {"dotted.path.0": message}: what an API request or a parsed file is checked with."""
    problems: dict[str, str] = {}
    if isinstance(data, str):
        message = forbidden_character_message(data, path or None)
        if message:
            problems[path or "__all__"] = message
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and forbidden_character(key):
                problems[path or "__all__"] = forbidden_character_message(key, name) or ""
                continue
            problems |= forbidden_in(value, name)
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            problems |= forbidden_in(value, f"{path}.{index}" if path else str(index))
    return problems


def install_form_check() -> None:
    """Every Django form's CharField (and its subclasses: e-mail, URL, slug, tags, amounts…)
    refuses forbidden characters before anything else, so no form has to opt in.

    Checked in `to_python`, on the text as typed: after it, `strip()` would silently remove a
    vertical tab at either end, and the position would no longer be the one the user sees.
    """
    from django import forms

    original = forms.CharField.to_python
    if getattr(original, "ponti_checks_text", False):
        return

    def to_python(self: forms.CharField, value: Any) -> Any:
        if isinstance(value, str):
            check_text(value, self.label)
        return original(self, value)

    to_python.ponti_checks_text = True  # type: ignore[attr-defined]
    forms.CharField.to_python = to_python  # type: ignore[method-assign]
