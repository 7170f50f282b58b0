"""Every list's export as CSV, XLSX and ODS: one streamed mechanism, cells safe to open.

**Export headers are the import headers.** Each app lists its columns once, in `<app>/tables.py`
(`Column`: a key, a translatable label, a getter from the record to a cell value). The export
writes the labels in the reader's language, and the import reads the same labels, in Italian or
in English, back to the same keys: a file exported, then imported, changes nothing. The first
column is always the record's ID, so the import recognises every row.

Cells:
- text goes through `safe_cell`: a cell that starts with = + - @, a tab or a carriage return
  is read as a formula by Excel and LibreOffice (a partner named "=HYPERLINK(…)" would run in
  the office's spreadsheet). As the OWASP guidance on CSV injection says, such text gets a
  leading apostrophe, so it is shown as typed and never evaluated;
- dates are real date cells in XLSX and ODS, ISO (2024-03-01) in CSV; date-times in local
  time;
- amounts are numbers: numeric cells in XLSX and ODS; in CSV without thousands separator,
  with the decimal mark of the CSV's language (below);
- several values (partners, sectors) are joined with "; ";
- choice labels (a column with `choices`), yes/no and every lazy label are translated once per
  export, not once per row: translating 13 columns × 10,000 rows one by one took seconds.

CSV: UTF-8 with a BOM (Excel then reads the accents), and the conventions of the reader's
language, so that a double click opens the file in columns in that language's Excel: Italian
Excel splits on ";" and reads "1234,56" as a number, English Excel splits on "," and reads
"1234.56". The import sniffs the delimiter and reads both decimal marks (`core.money`).

Memory stays flat: a queryset is read with `.iterator(chunk_size=…)` (its prefetches are done
chunk by chunk), or as values by `value_records` (the fastest, for the large lists), and the
three formats are written and sent as they are read (`core.ods`, `core.xlsx`: the zip is
streamed, each sheet written row by row).
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from operator import attrgetter
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import F, Lookup, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx", "ods")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
CHUNK_SIZE = 2000
JOIN = "; "
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Value → label pairs, or a function answering them in the active language (countries).
Choices = Sequence[tuple[Any, Any]] | Callable[[], Iterable[tuple[Any, Any]]]


def safe_cell(value: Any) -> Any:
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for csv.writer.writerow or openpyxl's sheet.append: every text cell made safe."""
    return [safe_cell(value) for value in values]


# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an export (and of the import that reads it back).

    `get` takes the record and answers a cell value: text, a number, a Decimal, a date, a
    date-time, a bool, None, a lazy label, or a list of those (joined with "; "). With
    `choices` (value → label, or a function answering them), the getter's value (or each of
    its values) is shown as its label in the reader's language; `money` marks amounts (two
    decimals in XLSX)."""

    key: str
    label: str | Promise
    get: Callable[[Any], Any]
    choices: Choices | None = None
    money: bool = False


def column(
    key: str,
    label: str | Promise,
    get: Callable[[Any], Any] | str | None = None,
    *,
    choices: Choices | None = None,
    money: bool = False,
) -> Column:
    """A Column whose getter is a function, a dotted attribute path, or the attribute `key`."""
    getter = get if callable(get) else attrgetter(get or key)
    return Column(key, label, getter, choices, money)


def id_column() -> Column:
    return column("id", "ID", "pk")


def ente_column() -> Column:
    """The ente a record belongs to, by name (the enti are read once per export)."""
    from .models import Ente

    return column(
        "ente", _("Ente"), "ente_id", choices=lambda: Ente.objects.values_list("id", "name")
    )


def confidentiality_column() -> Column:
    from .confidentiality import Confidentiality

    return column("confidentiality", _("Riservatezza"), choices=Confidentiality.choices)


def names(related: str, attribute: str = "name") -> Callable[[Any], list[str]]:
    """A getter of the names of a prefetched many-to-many (or reverse) relation, in order.
    The relation must be prefetched (the export reads it once per chunk, not once per row)."""
    get = attrgetter(attribute)

    def names_of(record: Any) -> list[str]:
        items = getattr(record, related)  # a manager, or a list prefetched "to_attr"
        return [get(item) for item in (items if isinstance(items, list) else items.all())]

    return names_of


def labels(columns: Sequence[Column]) -> list[str]:
    """The headers in the active language: the same labels the import maps back to keys."""
    return [str(c.label) for c in columns]


# --- one export: labels resolved once, cells converted --------------------------------------


class _Plan:
    """What one export needs, resolved in the reader's language before the first row: the
    headers, each choice column's labels, yes/no; lazy labels met in rows are resolved once."""

    def __init__(self, columns: Sequence[Column], fmt: str) -> None:
        self.columns = list(columns)
        self.fmt = fmt
        self.language = translation.get_language()
        self.headers = safe_row(labels(columns))
        self.choices = [_resolved(c.choices) if c.choices else None for c in columns]
        self.yes, self.no = gettext("sì"), gettext("no")
        self.decimal_comma = fmt == "csv" and (self.language or "it").startswith("it")
        self.tz = timezone.get_current_timezone()
        self._lazy: dict[int, tuple[Promise, str]] = {}

    def lazy(self, value: Promise) -> str:
        # Keyed by identity (hashing a lazy string translates it); the label is kept alive.
        found = self._lazy.get(id(value))
        if found is None:
            found = self._lazy[id(value)] = (value, str(value))
        return found[1]

    def cell(self, value: Any) -> Any:
        """A Python value ready for the writers: str, int, Decimal, float, date, datetime or None."""
        if value is None or isinstance(value, (str, int, float, Decimal)):
            if isinstance(value, bool):
                return self.yes if value else self.no
            return safe_cell(value)
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value, self.tz).replace(tzinfo=None)
            return value
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, Promise):
            return safe_cell(self.lazy(value))
        if isinstance(value, (list, tuple, set, frozenset)):
            return safe_cell(JOIN.join(self.text(v) for v in value))
        return safe_cell(str(value))

    def text(self, value: Any) -> str:
        """One of several values, as text (the joined cell is made safe as a whole)."""
        if isinstance(value, Promise):
            return self.lazy(value)
        if isinstance(value, datetime.datetime):
            return self.cell(value).isoformat(sep=" ", timespec="minutes")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return "" if value is None else str(value)

    def rows(self, records: Iterable[Any]) -> Iterator[list[Any]]:
        # The hot loop of every export (rows × columns): plain text, integers, dates and lists
        # of text, the most common cells, are handled inline; everything else goes through `cell`.
        getters = [(c.get, choices) for c, choices in zip(self.columns, self.choices, strict=True)]
        cell = self.cell
        join = JOIN.join
        with translation.override(self.language):
            for record in records:
                out: list[Any] = []
                append = out.append
                for get, choices in getters:
                    value = get(record)
                    if choices is not None and value is not None:
                        if isinstance(value, (list, tuple)):
                            value = [choices.get(v, v) for v in value]
                        else:
                            value = choices.get(value, value) if value != "" else None
                    kind = type(value)
                    if kind is str:
                        append("'" + value if value.startswith(FORMULA_STARTS) else value)
                    elif value is None or kind is int or kind is datetime.date:
                        append(value)
                    elif kind is list or kind is tuple:
                        try:  # several values, most often all text: joined at once
                            text = join(value)
                        except TypeError:  # a lazy label, a date, None…: one by one
                            append(cell(value))
                        else:
                            append("'" + text if text.startswith(FORMULA_STARTS) else text)
                    else:
                        append(cell(value))
                yield out


def _resolved(choices: Choices) -> dict[Any, str]:
    pairs = choices() if callable(choices) else choices
    return {value: str(label) for value, label in pairs}


def _records(records: Iterable[Any]) -> Iterable[Any]:
    if isinstance(records, QuerySet):
        return records.iterator(chunk_size=CHUNK_SIZE)
    return records


def value_records(
    qs: Any,
    fields: Sequence[str],
    related: dict[str, Callable[[list[int]], Mapping[int, Sequence[Any]]]] | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[Any]:
    """The records of `qs` as named tuples with the attributes `id`, `fields`, `pk` and those of
    `related`, read with `values_list` a chunk at a time: building model instances (and their
    related managers) is most of the time of a large export. Each `related` loader takes a
    chunk's ids and answers {id: values} (`group`, filtered by `among_ids`): one query per
    chunk for a many-to-many (already narrowed to what the reader may see).

    A chunk waits as the rows the database answered, and each record is made as it is yielded:
    tuples of plain values are not followed by Python's garbage collector, whereas 2,000
    objects alive at once per chunk made it walk every object of the process, twice per
    export of 10,000 records (a quarter of the time)."""
    names = ["id", *fields]
    loaders = list((related or {}).items())
    attributes = [*names, "pk", *(name for name, _load in loaders)]
    record: Any = namedtuple("Record", attributes)  # type: ignore[misc]
    make = record._make
    rows = qs.prefetch_related(None).values_list(*names).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        ids = [values[0] for values in chunk]
        found = [load(ids) for _name, load in loaders]
        for values in chunk:
            pk = values[0]
            yield make((*values, pk, *[values_of.get(pk, ()) for values_of in found]))


class _AmongIds(Lookup):  # type: ignore[type-arg]
    """`field IN (%s, %s, …)` of whole numbers, each bound as it is: Django's `__in` prepares
    and compiles every value on its own, a few milliseconds for a chunk's 2,000 ids."""

    lookup_name = "among_ids"  # used as an expression (`among_ids`), never registered

    def get_prep_lookup(self) -> list[int]:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)


def among_ids(field: str, ids: Iterable[int]) -> Any:
    """A filter for a `value_records` loader: `qs.filter(among_ids("agreement_id", ids))` is
    `qs.filter(agreement_id__in=ids)` for a chunk's ids, compiled at once."""
    return _AmongIds(F(field), list(ids))


def group(pairs: Iterable[tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
    """{first: (rest, …)} of (first, rest…) rows, in their order (a single rest unwrapped).
    Tuples, not lists: a chunk's values wait for their records untracked by the garbage
    collector (see `value_records`)."""
    out: dict[Any, tuple[Any, ...]] = {}
    get = out.get
    for row in pairs:
        first = row[0]
        out[first] = get(first, ()) + (row[1] if len(row) == 2 else row[1:],)
    return out


# --- CSV ------------------------------------------------------------------------------------


class _Echo:
    """csv.writer writes into this; the generator takes the text back after each batch."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> bytes:
        data = "".join(self.parts).encode("utf-8")
        self.parts.clear()
        return data


def _csv_value(plan: _Plan, value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (Decimal, float)) and plan.decimal_comma:
        return str(value).replace(".", ",")
    return value


def row_texts(columns: Sequence[Column], record: Any) -> list[str]:
    """One record's cells as the CSV export writes them in the active language (a formula-like
    text with its apostrophe): what an import compares a row of a file with."""
    plan = _Plan(columns, "csv")
    (values,) = plan.rows([record])
    return ["" if value is None else str(_csv_value(plan, value)) for value in values]


def csv_chunks(plan: _Plan, records: Iterable[Any], batch: int = 500) -> Iterator[bytes]:
    echo = _Echo()
    writer = csv.writer(echo, delimiter=";" if plan.decimal_comma else ",")
    echo.write("\ufeff")
    writer.writerow(plan.headers)
    plain = (str, int, type(None))
    for n, row in enumerate(plan.rows(records), start=1):
        writer.writerow([v if type(v) in plain else _csv_value(plan, v) for v in row])
        if n % batch == 0:
            yield echo.take()
    yield echo.take()


# --- XLSX -----------------------------------------------------------------------------------


def sheet_title(title: str) -> str:
    return _SHEET_NAME_FORBIDDEN.sub(" ", title)[:31] or "Export"


# --- the response ---------------------------------------------------------------------------


def export_format(request: HttpRequest) -> str | None:
    """The format a list page was asked to export (`?export=csv|xlsx|ods`), else None."""
    fmt = request.GET.get("export")
    return fmt if fmt in FORMATS else None


def export_response(
    columns: Sequence[Column],
    records: Iterable[Any],
    fmt: str,
    *,
    filename: str | Promise,
    title: str | Promise = "",
) -> StreamingHttpResponse:
    """The records as a streamed file download in `fmt` ("csv", "xlsx" or "ods"), headers and
    labels in the active language. `filename` is the name without date or extension."""
    from .ods import ods_chunks
    from .xlsx import xlsx_chunks

    if fmt not in FORMATS:
        raise ValueError(fmt)
    plan = _Plan(columns, fmt)
    rows = _records(records)
    name = f"{filename}-{timezone.localdate().isoformat()}.{fmt}"
    sheet = str(title or filename)
    response: StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(plan, rows), content_type=CONTENT_TYPES[fmt])
    elif fmt == "xlsx":
        money = [i for i, c in enumerate(plan.columns) if c.money]
        response = StreamingHttpResponse(
            xlsx_chunks(plan.headers, plan.rows(rows), sheet_title(sheet), money),
            content_type=CONTENT_TYPES[fmt],
        )
    else:
        response = StreamingHttpResponse(
            ods_chunks(plan.headers, plan.rows(rows), sheet_title(sheet)),
            content_type=CONTENT_TYPES[fmt],
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
