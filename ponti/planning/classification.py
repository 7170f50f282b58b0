"""Import of the budget classification (Missioni, Programmi, Titoli, Tipologie, Macroaggregati).

The file has the columns of `data/budget_classification.csv` (which the migration loads):
`level,side,code,name,parent_code[,source]`. Every row is validated first; only a file without
errors is applied, in one transaction, as an upsert by (level, side, code). Codes missing from
the file are kept: budget lines and objectives refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ponti.core.audit import acting_as, in_channel
from ponti.core.permissions import can

from .import_files import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATED,
    Columns,
    FileError,
    ImportReport,
    RowReport,
    map_columns,
    normalise_name,
    parse_side,
    read_table,
)
from .models import BudgetCode, BudgetLine, CodeLevel, Objective, Side

ALIASES = {
    "level": "level",
    "livello": "level",
    "side": "side",
    "tipo": "side",
    "entrata_spesa": "side",
    "code": "code",
    "codice": "code",
    "name": "name",
    "nome": "name",
    "denominazione": "name",
    "parent_code": "parent_code",
    "parent": "parent_code",
    "codice_superiore": "parent_code",
    "livello_superiore": "parent_code",
    "source": "source",
    "fonte": "source",
}
REQUIRED = ("level", "side", "code", "name", "parent_code")
# Parents before children, so that a new Missione and its Programmi can come in the same file.
LEVEL_ORDER = [
    CodeLevel.MISSIONE,
    CodeLevel.TITOLO,
    CodeLevel.PROGRAMMA,
    CodeLevel.TIPOLOGIA,
    CodeLevel.MACROAGGREGATO,
]

Key = tuple[str, str, str]  # (level, side, code)


@dataclass
class _Planned:
    report: RowReport
    key: Key
    name: str
    parent: Key | None
    source: str | None  # None: keep the stored source


def parent_key(level: str, side: str, parent_code: str) -> Key | None:
    """Where a code's parent sits: Programma → Missione; Tipologia and Macroaggregato → Titolo of the same side."""
    parent_level = CodeLevel(level).parent_level
    if parent_level is None:
        return None
    parent_side = Side.SPESA if parent_level == CodeLevel.MISSIONE else side
    return (parent_level.value, str(parent_side), parent_code)


def import_classification(data: bytes, filename: str, *, user: Any, dry_run: bool) -> ImportReport:
    """Validate every row; unless `dry_run`, upsert them all in one transaction, or none."""
    report = ImportReport()
    if not (can(user, "change", BudgetCode) and can(user, "add", BudgetCode)):
        report.file_errors.append(
            _("Non hai il permesso di modificare la classificazione di bilancio.")
        )
        return report
    try:
        table = read_table(data, filename)
        columns = map_columns(table.header, ALIASES, required=REQUIRED)
    except FileError as exc:
        report.file_errors.extend(str(exc).split("\n"))
        return report
    if dry_run:
        _validate(table.rows, columns, report)
        return report
    try:
        with transaction.atomic(), acting_as(user), in_channel("import"):
            planned = _validate(table.rows, columns, report)
            if not report.ok:
                return report
            _apply(planned, report)
            if not report.ok:
                raise _Rollback
    except _Rollback:
        return report
    except DatabaseError:
        report.file_errors.append(
            _("I dati sono cambiati durante l'importazione e nulla è stato salvato: riprova.")
        )
        return report
    report.applied = True
    return report


class _Rollback(Exception):
    pass


def _validate(
    rows: list[tuple[int, list[Any]]], columns: Columns, report: ImportReport
) -> list[_Planned]:
    stored: dict[Key, BudgetCode] = {
        (c.level, c.side, c.code): c for c in BudgetCode.objects.select_related("parent")
    }
    levels = {normalise_name(level.value): level for level in CodeLevel}
    levels |= {normalise_name(level.label): level for level in CodeLevel}
    levels |= {
        "programmi": CodeLevel.PROGRAMMA,
        "missioni": CodeLevel.MISSIONE,
        "titoli": CodeLevel.TITOLO,
        "tipologie": CodeLevel.TIPOLOGIA,
        "macroaggregati": CodeLevel.MACROAGGREGATO,
    }
    in_file: dict[Key, int] = {}  # key → row number of its first occurrence
    candidates: list[tuple[_Planned, CodeLevel]] = []

    for number, cells in rows:
        errors: list[str] = []
        warnings: list[str] = []
        level_text = columns.text(cells, "level")
        side_text = columns.text(cells, "side")
        code = columns.text(cells, "code").replace(" ", "")
        name = " ".join(columns.text(cells, "name").split())
        parent_code = columns.text(cells, "parent_code").replace(" ", "")
        source = columns.text(cells, "source") if "source" in columns else ""
        row = RowReport(
            number=number,
            status=ERROR,
            line=f"{level_text} {code} – {name}".strip(" –"),
            year=None,
            errors=errors,
            warnings=warnings,
        )
        report.rows.append(row)

        level = levels.get(normalise_name(level_text))
        if level is None:
            errors.append(
                _("level: «%(value)s» non è un livello della classificazione (%(levels)s).")
                % {"value": level_text, "levels": ", ".join(CodeLevel.values)}
            )
        side: str | None = parse_side(side_text) if side_text else None
        if side_text and side is None:
            errors.append(_("side: «%(value)s» non è né entrata né spesa.") % {"value": side_text})
        elif level is not None:
            allowed = level.sides
            if side is None and len(allowed) == 1:
                side = next(iter(allowed))  # a Missione is always spesa: the column may stay empty
            if side is None:
                errors.append(
                    _("side: manca; per il livello %(level)s scrivi entrata o spesa.")
                    % {"level": level.label}
                )
            elif side not in allowed:
                errors.append(
                    _("side: il livello %(level)s è solo di %(sides)s, non di %(side)s.")
                    % {
                        "level": level.label,
                        "sides": " o ".join(sorted(str(Side(s).label).lower() for s in allowed)),
                        "side": str(Side(side).label).lower(),
                    }
                )
        if not code:
            errors.append(_("code: manca il codice."))
        elif not code.isdigit() or len(code) > 12:
            errors.append(
                _(
                    "code: «%(value)s» non è valido: il codice ha solo cifre (al massimo 12), per esempio 1901."
                )
                % {"value": code}
            )
        if not name:
            errors.append(_("name: manca la denominazione."))
        elif len(name) > 300:
            errors.append(_("name: la denominazione è più lunga di 300 caratteri."))
        if len(source) > 500:
            errors.append(_("source: la fonte è più lunga di 500 caratteri."))
        if level is not None:
            row.line = f"{level.label} {code} – {name}".strip(" –")
        if level is None or side is None or errors:
            continue

        key: Key = (level.value, str(side), code)
        if key in in_file:
            errors.append(
                _("code: %(level)s %(code)s (%(side)s) è già alla riga %(row)s del file.")
                % {
                    "level": level.label,
                    "code": code,
                    "side": str(Side(side).label).lower(),
                    "row": in_file[key],
                }
            )
            continue
        in_file[key] = number

        parent: Key | None = None
        if level.parent_level is None:
            if parent_code:
                errors.append(
                    _(
                        "parent_code: il livello %(level)s non ha livello superiore; lascia vuota la cella."
                    )
                    % {"level": level.label}
                )
        elif not parent_code:
            errors.append(
                _("parent_code: manca il livello superiore (%(parent)s) a cui appartiene.")
                % {"parent": level.parent_level.label}
            )
        else:
            parent = parent_key(level, side, parent_code)
        candidates.append(
            (
                _Planned(
                    row, key, name, parent, source if "source" in columns and source else None
                ),
                level,
            )
        )

    # Parents are checked once every row is known: a parent may come later in the file.
    planned: list[_Planned] = []
    for plan, level in candidates:
        row = plan.report
        if plan.parent is not None and plan.parent not in in_file and plan.parent not in stored:
            parent_level = level.parent_level
            assert parent_level is not None
            row.errors.append(
                _(
                    "parent_code: %(parent)s %(code)s%(side)s non esiste né nel file né nella classificazione."
                )
                % {
                    "parent": parent_level.label,
                    "code": plan.parent[2],
                    "side": ""
                    if parent_level == CodeLevel.MISSIONE
                    else " " + _("di %(side)s") % {"side": str(Side(plan.parent[1]).label).lower()},
                }
            )
            continue
        if (
            plan.parent is not None
            and plan.parent in in_file
            and _row_failed(report, in_file[plan.parent])
        ):
            row.errors.append(
                _("parent_code: il livello superiore %(code)s ha errori alla riga %(row)s.")
                % {"code": plan.parent[2], "row": in_file[plan.parent]}
            )
            continue
        existing = stored.get(plan.key)
        if existing is None:
            row.status = NEW
        else:
            old_parent = (
                (existing.parent.level, existing.parent.side, existing.parent.code)
                if existing.parent
                else None
            )
            changed = (
                existing.name != plan.name
                or old_parent != plan.parent
                or (plan.source is not None and plan.source != existing.source)
            )
            row.status = UPDATED if changed else UNCHANGED
            if existing.name != plan.name:
                row.changes.append(
                    _("denominazione: «%(old)s» → «%(new)s»")
                    % {"old": existing.name, "new": plan.name}
                )
            if old_parent != plan.parent:
                row.changes.append(
                    _("livello superiore: %(old)s → %(new)s")
                    % {
                        "old": old_parent[2] if old_parent else "—",
                        "new": plan.parent[2] if plan.parent else "—",
                    }
                )
                used = _usage(existing)
                if used:
                    row.warnings.append(
                        _(
                            "%(n)s tra capitoli e obiettivi usano questa voce: controlla che restino coerenti col nuovo livello superiore."
                        )
                        % {"n": used}
                    )
        planned.append(plan)
    for row in report.rows:
        if row.errors:
            row.status = ERROR
    return planned


def _row_failed(report: ImportReport, number: int) -> bool:
    return any(row.number == number and row.errors for row in report.rows)


def _usage(code: BudgetCode) -> int:
    lines = BudgetLine.objects.filter(Q(titolo=code) | Q(category=code) | Q(programma=code)).count()
    objectives = Objective.objects.filter(Q(missione=code) | Q(programma=code)).count()
    return lines + objectives


def _apply(planned: list[_Planned], report: ImportReport) -> None:
    saved: dict[Key, BudgetCode] = {(c.level, c.side, c.code): c for c in BudgetCode.objects.all()}
    order = {level.value: position for position, level in enumerate(LEVEL_ORDER)}
    for plan in sorted(planned, key=lambda p: order[p.key[0]]):
        row = plan.report
        if row.status == UNCHANGED:
            continue
        level, side, code = plan.key
        obj = saved.get(plan.key) or BudgetCode(level=level, side=side, code=code)
        obj.name = plan.name
        obj.parent = saved[plan.parent] if plan.parent is not None else None
        if plan.source is not None:
            obj.source = plan.source
        try:
            obj.full_clean()
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                row.errors.extend(f"{field_name}: {m}" for m in messages)
            row.status = ERROR
            continue
        obj.save()
        saved[plan.key] = obj
