"""The budget classification (Missioni, Programmi, Titoli, Tipologie, Macroaggregati) through the
import engine: kind `budget-codes`.

The file has the columns of `data/budget_classification.csv` (which the migration loads):
`level,side,code,name,parent_code[,source]`, or their Italian names. Each row is checked alone
(`check`: level, side, code, name, duplicates); the rows are then checked together, since a
parent may come later in the file (`check_together`, the whole file being one chunk). Only a
file without errors is written, in one transaction, as an upsert by (level, side, code),
parents before children. Codes missing from the file are kept: budget lines and objectives
refer to them. The codes are shared by every ente; the batch carries the importing ente.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.importing.columns import Column
from ponti.core.importing.files import normalise_name
from ponti.core.importing.kinds import DataChanged, Importer, RowReport, Written, register
from ponti.core.importing.models import RecordAction, RowStatus
from ponti.core.permissions import can

from .import_files import parse_side
from .models import BudgetCode, BudgetLine, CodeLevel, Objective, Side

CODE_COLUMNS = [
    Column("level", gettext_lazy("Livello"), ("livello",), required=True),
    Column("side", gettext_lazy("Entrata o spesa"), ("tipo", "entrata_spesa"), required=True),
    Column("code", gettext_lazy("Codice"), ("codice",), required=True),
    Column("name", gettext_lazy("Denominazione"), ("nome",), required=True),
    Column(
        "parent_code",
        gettext_lazy("Codice superiore"),
        ("parent", "livello_superiore"),
        required=True,
    ),
    Column("source", gettext_lazy("Fonte"), ("fonte",)),
]
# Parents before children, so that a new Missione and its Programmi can come in the same file.
LEVEL_ORDER = [
    CodeLevel.MISSIONE,
    CodeLevel.TITOLO,
    CodeLevel.PROGRAMMA,
    CodeLevel.TIPOLOGIA,
    CodeLevel.MACROAGGREGATO,
]
ORDER = {level.value: position for position, level in enumerate(LEVEL_ORDER)}

Key = tuple[str, str, str]  # (level, side, code)


@dataclass
class _Planned:
    report: RowReport
    level: CodeLevel
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


@register
class BudgetCodeImporter(Importer):
    kind = "budget-codes"
    label = gettext_lazy("Classificazione di bilancio")
    model = BudgetCode
    columns = CODE_COLUMNS
    description = gettext_lazy(
        "Missioni, Programmi, Titoli, Tipologie e Macroaggregati: livello, entrata o spesa, "
        "codice, denominazione, codice superiore (fonte facoltativa). La classificazione è una "
        "sola per tutti gli enti: l'ente scelto è solo quello che importa. Le voci assenti dal "
        "file restano come sono."
    )
    whole_file = True  # a parent may come later in the file

    def refusal(self) -> str | None:
        if not (
            can(self.user, "change", BudgetCode, self.ente)
            and can(self.user, "add", BudgetCode, self.ente)
        ):
            return _("Non hai il permesso di modificare la classificazione di bilancio.")
        return None

    def prepare(self) -> None:
        self.stored: dict[Key, BudgetCode] = {
            (c.level, c.side, c.code): c for c in BudgetCode.objects.select_related("parent")
        }
        levels = {normalise_name(level.value): level for level in CodeLevel}
        levels |= {normalise_name(str(level.label)): level for level in CodeLevel}
        levels |= {
            "programmi": CodeLevel.PROGRAMMA,
            "missioni": CodeLevel.MISSIONE,
            "titoli": CodeLevel.TITOLO,
            "tipologie": CodeLevel.TIPOLOGIA,
            "macroaggregati": CodeLevel.MACROAGGREGATO,
        }
        self.levels = levels
        self.in_file: dict[Key, int] = {}  # key → row number of its first occurrence

    # --- Each row alone ---------------------------------------------------------------------

    def check(self, row: RowReport, cells: list[Any]) -> _Planned | None:
        errors = row.errors
        level_text = self.text(cells, "level")
        side_text = self.text(cells, "side")
        code = self.text(cells, "code").replace(" ", "")
        name = " ".join(self.text(cells, "name").split())
        parent_code = self.text(cells, "parent_code").replace(" ", "")
        has_source = self.has("source")
        source = self.text(cells, "source") if has_source else ""
        row.label = f"{level_text} {code} – {name}".strip(" –")

        level = self.levels.get(normalise_name(level_text))
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
        code_ok = bool(code) and code.isdigit() and len(code) <= 12
        if not code:
            errors.append(_("code: manca il codice."))
        elif not code_ok:
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
            row.label = f"{level.label} {code} – {name}".strip(" –")
        if level is None or side not in level.sides or not code_ok:
            return None
        assert side is not None

        # Known by its key from here, so that a child row names this row's errors.
        key: Key = (level.value, str(side), code)
        if key in self.in_file:
            errors.append(
                _("code: %(level)s %(code)s (%(side)s) è già alla riga %(row)s del file.")
                % {
                    "level": level.label,
                    "code": code,
                    "side": str(Side(side).label).lower(),
                    "row": self.in_file[key],
                }
            )
            return None
        self.in_file[key] = row.number
        if errors:
            return None

        parent: Key | None = None
        if level.parent_level is None:
            if parent_code:
                errors.append(
                    _(
                        "parent_code: il livello %(level)s non ha livello superiore; lascia vuota la cella."
                    )
                    % {"level": level.label}
                )
                return None
        elif not parent_code:
            errors.append(
                _("parent_code: manca il livello superiore (%(parent)s) a cui appartiene.")
                % {"parent": level.parent_level.label}
            )
            return None
        else:
            parent = parent_key(level, side, parent_code)
        return _Planned(row, level, key, name, parent, source if has_source and source else None)

    # --- The rows together: parents ---------------------------------------------------------

    def check_together(self, checked: list[tuple[RowReport, Any]]) -> None:
        """Parents exist in the file or in the classification, and their rows have no errors.

        Parents are checked before their children (level order), so that a parent refused
        here refuses its children too, wherever they are in the file."""
        failed = {report.number for report, _plan in checked if report.errors}
        plans: list[_Planned] = [plan for _report, plan in checked if plan is not None]
        for plan in sorted(plans, key=lambda p: ORDER[p.key[0]]):
            row = plan.report
            if (
                plan.parent is not None
                and plan.parent not in self.in_file
                and plan.parent not in self.stored
            ):
                parent_level = plan.level.parent_level
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
                        else " "
                        + _("di %(side)s") % {"side": str(Side(plan.parent[1]).label).lower()},
                    }
                )
                failed.add(row.number)
                continue
            if plan.parent is not None and self.in_file.get(plan.parent) in failed:
                row.errors.append(
                    _("parent_code: il livello superiore %(code)s ha errori alla riga %(row)s.")
                    % {"code": plan.parent[2], "row": self.in_file[plan.parent]}
                )
                failed.add(row.number)
                continue
            self._compare(plan)

    def _compare(self, plan: _Planned) -> None:
        """New, updated (what changes, old → new) or unchanged, against the stored code."""
        row = plan.report
        existing = self.stored.get(plan.key)
        if existing is None:
            row.status = RowStatus.NEW
            return
        old_parent = _key(existing.parent) if existing.parent else None
        changed = (
            existing.name != plan.name
            or old_parent != plan.parent
            or (plan.source is not None and plan.source != existing.source)
        )
        row.status = RowStatus.UPDATED if changed else RowStatus.UNCHANGED
        if existing.name != plan.name:
            row.changes.append(
                _("denominazione: «%(old)s» → «%(new)s»") % {"old": existing.name, "new": plan.name}
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

    # --- Writing ----------------------------------------------------------------------------

    def apply(self, plans: list[_Planned]) -> list[Written]:
        """Upsert, parents before children. The created come first in what is returned, so
        that an undo puts the updated codes back under their old parents before it deletes
        the new ones."""
        saved: dict[Key, BudgetCode] = {_key(c): c for c in BudgetCode.objects.all()}
        created: list[Written] = []
        updated: list[Written] = []
        for plan in sorted(plans, key=lambda p: ORDER[p.key[0]]):
            if plan.report.status == RowStatus.UNCHANGED:
                continue
            level, side, code = plan.key
            if plan.parent is not None and plan.parent not in saved:
                raise DataChanged(
                    _("La voce %(code)s è stata eliminata durante l'importazione.")
                    % {"code": plan.parent[2]}
                )
            parent = saved[plan.parent] if plan.parent is not None else None
            obj = saved.get(plan.key)
            if obj is None:
                obj = BudgetCode(level=level, side=side, code=code)
            source = obj.source if plan.source is None else plan.source
            new: dict[str, Any] = {
                "name": plan.name,
                "parent": parent.pk if parent else None,
                "source": source,
            }
            before = {
                f: getattr(obj, "parent_id" if f == "parent" else f)
                for f, value in new.items()
                if getattr(obj, "parent_id" if f == "parent" else f) != value
            }
            obj.name, obj.parent, obj.source = plan.name, parent, source
            if obj.pk is None:
                obj.save()
                created.append(Written(obj))
            elif before:
                obj.save()
                updated.append(Written(obj, RecordAction.UPDATED, before))
            saved[plan.key] = obj
        return created + updated


def _key(code: BudgetCode) -> Key:
    return (code.level, code.side, code.code)


def _usage(code: BudgetCode) -> int:
    lines = BudgetLine.objects.filter(Q(titolo=code) | Q(category=code) | Q(programma=code)).count()
    objectives = Objective.objects.filter(Q(missione=code) | Q(programma=code)).count()
    return lines + objectives
