"""Text folding for accent- and case-insensitive search ("Fes" finds "Fès")."""

from __future__ import annotations

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
