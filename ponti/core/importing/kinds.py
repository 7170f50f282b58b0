"""The kinds of data that can be imported: each app registers an `Importer` in `<app>/importers.py`.

An importer reads what it needs once (`prepare`), checks one row at a time without writing
(`check`, which fills the row's report and returns a plan), and writes a chunk of plans
(`apply`, one plan at a time through `apply_one`, which returns what it wrote so that the batch
can be undone). The helpers every importer shares (a cell read into a row error, a row about
the same thing as an earlier one, a record's validation messages) are here too. The engine
(`engine.py`) streams the file, calls them, and owns transactions, progress and the report.
Rules that join rows (a parent later in the file) go in `check_together`; a kind whose rows
must all be seen at once sets `whole_file` (its file is one chunk).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from ponti.core.discovery import import_app_modules
from ponti.core.permissions import can
from ponti.core.services import ConflictError

from .cells import CellError, parse_choice
from .columns import Column, Mapping
from .files import JsonRecords
from .models import RecordAction, RowStatus


@dataclass
class RowReport:
    number: int  # the row number as the user sees it in the file
    status: str = RowStatus.ERROR
    label: str = ""  # what the row is about, e.g. "Kassel (DE)"
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # old → new, for the dry run

    def error(self, column: Any, message: str) -> None:
        """An error naming the column: «paese: "Germanie" non è un paese riconosciuto…»."""
        self.errors.append(f"{column}: {message}" if column else message)

    def invalid(self, exc: ValidationError, model: type[models.Model] | None = None) -> None:
        """Every message of a record's `full_clean`, naming its field (by the model's name for
        it, with `model`); a rule of the whole record names none."""
        for name, messages in exc.message_dict.items():
            if name == NON_FIELD_ERRORS:
                column = ""
            else:
                column = verbose_name(model, name) if model is not None else name
            for message in messages:
                self.error(column, message)


def verbose_name(model: type[models.Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


@dataclass
class Written:
    """A record an import created or updated; `before` holds the changed fields as they were."""

    obj: models.Model
    action: str = RecordAction.CREATED
    before: dict[str, Any] = field(default_factory=dict)


class DataChanged(Exception):
    """Raised by `apply` when a record changed after it was read: the whole batch is rolled back."""


@contextmanager
def changed_meanwhile(message: str) -> Iterator[None]:
    """A versioned save refused because someone else changed the record during the import
    (`ConflictError`) is `DataChanged`, with `message`."""
    try:
        yield
    except ConflictError:
        raise DataChanged(message) from None


class Importer:
    kind: ClassVar[str]
    label: ClassVar[Any]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[Sequence[Column]]
    description: ClassVar[Any] = ""
    # Headers known but not read (a list's own bookkeeping): never asked about, never stored.
    ignored_columns: ClassVar[tuple[str, ...]] = ()
    # A kind that also reads a JSON document (a portal's export) says how it becomes rows
    # (`files.JsonRecords`; declare it with staticmethod). None: CSV, XLSX and ODS only.
    json_records: ClassVar[JsonRecords | None] = None
    # Kinds whose rows belong to no ente (the shared registry) still run for an ente: the
    # importing office, which the batch and its audit events carry.
    # True: the whole file is checked as ONE chunk, so that `check_together` sees every row
    # (for small reference files whose rows refer to each other, e.g. a parent code that comes
    # later in the file); the default streams chunks of `engine.CHUNK` rows.
    whole_file: ClassVar[bool] = False

    def __init__(self, *, ente: Any, user: Any, mapping: Mapping | None = None) -> None:
        self.ente = ente
        self.user = user
        self.mapping = mapping
        self.seen: dict[Any, int] = {}  # what a row is about → the first row about it

    def refusal(self) -> str | None:
        """Why this user may not import this kind into this ente (None: they may)."""
        if not can(self.user, "add", self.model, self.ente):
            return _("Non hai il permesso di importare «%(kind)s» per l'ente «%(ente)s».") % {
                "kind": self.label,
                "ente": self.ente,
            }
        return None

    def header_errors(self) -> list[str]:
        """What is wrong with the file's columns as a whole, once mapped (empty: nothing)."""
        return []

    def prepare(self) -> None:
        """Read once what checking every row needs (existing records, codes, names)."""

    def check(self, row: RowReport, cells: list[Any]) -> Any:
        """Check one row without writing; fill `row` (status, label, errors…); return a plan or None."""
        raise NotImplementedError

    def check_together(self, checked: list[tuple[RowReport, Any]]) -> None:
        """Rules across the rows of a chunk, after each row's `check` and before the chunk is
        reported or written: add errors to the reports (the engine then drops their plans) or
        replace a plan in place. `checked` holds (report, plan or None) in row order."""

    def apply(self, plans: list[Any]) -> list[Written]:
        """Write a chunk of plans (in row order) and say what was written: each plan by
        `apply_one`; a rule only the database could check names the row that broke it."""
        written: list[Written] = []
        for plan in plans:
            try:
                self.apply_one(plan, written)
            except ValidationError as exc:
                raise ValidationError(
                    _("Riga %(row)s: %(errors)s")
                    % {"row": plan.row.number, "errors": " ".join(exc.messages)}
                ) from exc
        return written

    def apply_one(self, plan: Any, written: list[Written]) -> None:
        """Write one plan (its `row` is the row's report), adding what it wrote to `written`."""
        raise NotImplementedError

    # Helpers for `check`.
    def has(self, key: str) -> bool:
        """Whether the file has the column."""
        return self.mapping is not None and key in self.mapping

    def read(self, row: RowReport, cells: list[Any], key: str, reader: Callable[[Any], Any]) -> Any:
        """The cell read by `reader` (a reader of `cells.py`); a bad value is a row error
        naming the column; None when the file has no such column."""
        if not self.has(key):
            return None
        try:
            return reader(self.cell(cells, key))
        except CellError as exc:
            row.error(self.column_label(key), str(exc))
            return None

    def choice(
        self, row: RowReport, cells: list[Any], key: str, choices: Any, **kwargs: Any
    ) -> Any:
        """A TextChoices value by key or label (`cells.parse_choice`)."""
        return self.read(row, cells, key, lambda v: parse_choice(v, choices, **kwargs))

    def cell(self, cells: list[Any], key: str) -> Any:
        assert self.mapping is not None
        return self.mapping.get(cells, key)

    def text(self, cells: list[Any], key: str) -> str:
        assert self.mapping is not None
        return self.mapping.text(cells, key)

    def repeated(self, row: RowReport, key: Any, column: str, message: str) -> bool:
        """Whether an earlier row of the file was about the same thing (`key`): if so the row
        has an error in `column` (a key, or "" for none) with `message`, whose %(row)s is the
        earlier row; if not, this row is remembered as the first about it."""
        first = self.seen.get(key)
        if first is None:
            self.seen[key] = row.number
            return False
        row.error(self.column_label(column) if column else "", message % {"row": first})
        return True

    def column_label(self, key: str) -> str:
        """The column as the file writes it (or as Ponti names it), for error messages."""
        if self.mapping is not None and key in self.mapping.written:
            return self.mapping.written[key]
        column = next((c for c in self.columns if c.key == key), None)
        return str(column.label) if column else key


_KINDS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _KINDS[importer.kind] = importer
    return importer


def all_kinds() -> dict[str, type[Importer]]:
    import_app_modules("importers")
    return dict(_KINDS)


def get(kind: str) -> type[Importer] | None:
    return all_kinds().get(kind)
