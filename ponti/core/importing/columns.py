"""The columns of an import kind, and how a file's header is mapped onto them.

A kind declares its columns once (`Column`): a key, a label (translatable, Italian first) and
aliases. A header cell is recognised when, without case, accents or punctuation, it equals the
key, the label in Italian or in English, or an alias; exports write the same labels, so that an
exported file imports again unchanged. A mapping (`{"header as written": "key" | ""}`, saved per
ente and kind to reuse) decides the headers the automatic mapping does not know; "" ignores one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .files import FileError, cell_text, normalise_name

LANGUAGES = ("it", "en")
# The office's own notes and a foreign list's row ids: read by nobody, refused by nobody
# (a kind that reads one of them declares it as a column, which wins).
DEFAULT_IGNORED = ("note", "nota", "notes", "annotazioni", "id")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translatable string
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: Any = ""  # what the column holds, shown on the import page and in errors
    also: tuple[Any, ...] = ()  # other translatable labels, e.g. the export's for the same data

    def names(self) -> set[str]:
        """Every normalised header that means this column."""
        names = {normalise_name(self.key), *(normalise_name(a) for a in self.aliases)}
        for language in LANGUAGES:
            with translation.override(language):
                names.update(normalise_name(str(label)) for label in (self.label, *self.also))
        return names


@dataclass
class Mapping:
    """Which cell holds each column: position by key, and the header as written."""

    index: dict[str, int]
    written: dict[str, str]
    ignored: list[str] = field(default_factory=list)

    def get(self, cells: Sequence[Any], key: str) -> Any:
        position = self.index.get(key)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def text(self, cells: Sequence[Any], key: str) -> str:
        return cell_text(self.get(cells, key))

    def __contains__(self, key: str) -> bool:
        return key in self.index


class MappingNeeded(FileError):
    """Some headers are not known: the user maps them (or ignores them) and runs again."""

    def __init__(self, message: str, unknown: list[str], missing: list[str]) -> None:
        super().__init__(message)
        self.unknown = unknown
        self.missing = missing


def map_header(
    header: list[str],
    columns: Iterable[Column],
    *,
    chosen: dict[str, str] | None = None,
    ignored: Iterable[str] = (),
) -> Mapping:
    """Recognise the header; raise MappingNeeded naming unknown, repeated and missing columns."""
    columns = list(columns)
    by_name: dict[str, str] = {}
    for column in columns:
        for name in column.names():
            by_name.setdefault(name, column.key)
    keys = {c.key for c in columns}
    chosen = {normalise_name(k): v for k, v in (chosen or {}).items()}
    skip = {normalise_name(n) for n in ignored}
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[str] = []
    problems: list[str] = []
    ignored_names: list[str] = []
    for position, name in enumerate(header):
        normal = normalise_name(name)
        if not normal:
            continue  # a blank header cell: its column is not read (checked per row below)
        if normal in chosen:
            key = chosen[normal]
            if not key:
                ignored_names.append(name)
                continue
            if key not in keys:
                problems.append(
                    _("La scelta per la colonna «%(name)s» non è valida.") % {"name": name}
                )
                continue
        elif normal in by_name:
            key = by_name[normal]
        elif normal in skip:
            ignored_names.append(name)
            continue
        else:
            unknown.append(name)
            continue
        if key in index:
            problems.append(
                _(
                    "Le colonne «%(first)s» e «%(second)s» indicano lo stesso dato: lasciane una sola."
                )
                % {"first": written[key], "second": name}
            )
            continue
        index[key] = position
        written[key] = name
    missing = [f"{c.key} ({c.label})" for c in columns if c.required and c.key not in index]
    if unknown:
        problems.append(
            _("Colonne non riconosciute: %(names)s. Indica a quale dato corrispondono, o ignorale.")
            % {"names": ", ".join(f"«{n}»" for n in unknown)}
        )
    if missing:
        problems.append(
            _("Mancano le colonne obbligatorie: %(names)s.") % {"names": ", ".join(missing)}
        )
    if problems:
        raise MappingNeeded("\n".join(problems), unknown, missing)
    return Mapping(index=index, written=written, ignored=ignored_names)


def unnamed_data(header: list[str], cells: Sequence[Any]) -> str | None:
    """The first column with data under a blank header cell (a merged or missing header)."""
    from openpyxl.utils import get_column_letter

    for position in _unnamed_positions(tuple(header), len(cells)):
        if cell_text(cells[position]):
            return get_column_letter(position + 1)
    return None


@lru_cache(maxsize=64)
def _unnamed_positions(header: tuple[str, ...], width: int) -> tuple[int, ...]:
    return tuple(p for p in range(width) if p >= len(header) or not normalise_name(header[p]))
