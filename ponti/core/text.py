"""Text folding for accent- and case-insensitive search ("Fes" finds "Fès")."""

from __future__ import annotations

import re
import unicodedata

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


# C0 control characters and DEL, except tab, line feed and carriage return (a textarea's new
# lines). NUL cannot even reach PostgreSQL: its driver refuses it in a parameter.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_characters(text: str) -> list[str]:
    """The control characters in `text`, each once, written as code points (e.g. «U+0000»)."""
    found = dict.fromkeys(CONTROL_CHARACTERS.findall(text or ""))
    return [f"U+{ord(c):04X}" for c in found]


def fold(text: str | None) -> str:
    """Lower-case, accent-free, single-spaced text."""
    if not text:
        return ""
    text = text.translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def similarity(a: str, b: str) -> float:
    """A 0..1 likeness of two folded strings, for duplicate warnings."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, fold(a), fold(b)).ratio()
