"""Budget lines and their yearly amounts, from the accounting system, through the import engine.

The rules of each row (codes, years within the objective's horizon, amounts in Italian style,
new lines defined once) are in `imports.py`; this module plugs them into `ponti.core.importing`
and writes in bulk: a chunk of rows costs a few queries, not a few per row, and the audit
records one bulk event per chunk and kind (with every id), not one event per row.
The budget classification is the kind `budget-codes`, in `import_codes.py`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponti.core.importing.columns import Column
from ponti.core.importing.kinds import DataChanged, Importer, RowReport, Written, register
from ponti.core.importing.models import RecordAction, RowStatus
from ponti.core.models import locked_values

from . import (
    import_codes,  # noqa: F401 - registers the kind «budget-codes» (the classification)
    imports,
)
from .import_files import RowReport as LineReport
from .models import BudgetAmount, BudgetLine


def _column(key: str, label: Any, *aliases: str, required: bool = False) -> Column:
    return Column(key, label, tuple(aliases), required)


# The labels are the headers the export writes (planning's budget lines export), in either language.
BUDGET_COLUMNS = [
    _column("capitolo", gettext_lazy("Capitolo"), "numero_capitolo", required=True),
    _column("tipo", gettext_lazy("Entrata o spesa"), "entrata_spesa", "E/S", required=True),
    _column("anno", gettext_lazy("Anno"), "esercizio", required=True),
    _column("previsione_iniziale", gettext_lazy("Previsione iniziale"), "stanziamento_iniziale"),
    _column(
        "previsione_assestata",
        gettext_lazy("Previsione assestata"),
        "previsione_definitiva",
        "stanziamento_assestato",
    ),
    _column(
        "impegnato_accertato",
        gettext_lazy("Impegnato o accertato"),
        "accertato_impegnato",
        "impegnato",
        "accertato",
    ),
    _column(
        "pagato_riscosso",
        gettext_lazy("Pagato o riscosso"),
        "riscosso_pagato",
        "pagato",
        "riscosso",
    ),
    _column("descrizione", gettext_lazy("Descrizione")),
    _column("titolo", gettext_lazy("Titolo")),
    _column("classificazione", gettext_lazy("Classificazione"), "tipologia", "macroaggregato"),
    _column("programma", gettext_lazy("Programma")),
    _column("obiettivo", gettext_lazy("Obiettivo")),
]
AMOUNT_FIELDS = tuple(imports.AMOUNT_FIELDS.values())


@register
class BudgetImporter(Importer):
    kind = "budget"
    label = gettext_lazy("Capitoli e importi di bilancio")
    model = BudgetAmount
    columns = BUDGET_COLUMNS
    description = gettext_lazy(
        "Una riga per capitolo e anno: capitolo, E o S, anno, e gli importi (1.234,56). "
        "Un capitolo nuovo si crea con descrizione e titolo."
    )

    def refusal(self) -> str | None:
        from ponti.core.permissions import can

        if not can(self.user, "change", BudgetAmount, self.ente):
            return _("Non hai il permesso di modificare gli importi di bilancio.")
        return None

    def header_errors(self) -> list[str]:
        assert self.mapping is not None
        if any(name in self.mapping for name in imports.AMOUNT_FIELDS):
            return []
        return [
            _("Il file non ha colonne di importi: indica almeno una tra %(names)s.")
            % {"names": ", ".join(imports.AMOUNT_FIELDS)}
        ]

    def prepare(self) -> None:
        self.context = imports.Context(self.ente, self.user)
        self.seen: dict[tuple[str, str, int], int] = {}

    def check(self, row: RowReport, cells: list[Any]) -> Any:
        line_report = LineReport(number=row.number, status=RowStatus.ERROR, line="", year=None)
        plan = imports.check_row(line_report, cells, self.mapping, self.context, self.seen)  # type: ignore[arg-type]
        row.status = line_report.status
        row.label = line_report.line + (f" ({line_report.year})" if line_report.year else "")
        row.errors, row.warnings, row.changes = (
            line_report.errors,
            line_report.warnings,
            line_report.changes,
        )
        return plan

    def apply(self, plans: list[Any]) -> list[Written]:
        written: list[Written] = []
        new_lines, seen = [], set()
        for plan in plans:
            if plan.line.pk is None and id(plan.line) not in seen:
                seen.add(id(plan.line))
                new_lines.append(plan.line)
        if new_lines:
            BudgetLine.objects.bulk_create(new_lines)
            written.extend(Written(line) for line in new_lines)
        new_amounts = [
            BudgetAmount(line=plan.line, year=plan.year, **plan.figures)
            for plan in plans
            if plan.stored is None
        ]
        if new_amounts:
            BudgetAmount.objects.bulk_create(new_amounts)
            written.extend(Written(amount) for amount in new_amounts)
        updated = [
            p for p in plans if p.stored is not None and p.report.status != RowStatus.UNCHANGED
        ]
        if updated:
            written.extend(self._update(updated))
        return written

    def _update(self, plans: list[Any]) -> list[Written]:
        """Amounts changed since they were read make the whole import fail (nothing is kept)."""
        fields = [*AMOUNT_FIELDS, "version", "updated_at"]
        current = locked_values(BudgetAmount, [p.stored.pk for p in plans], fields)
        out, amounts = [], []
        now = timezone.now()
        for plan in plans:
            stored = plan.stored
            if current.get(stored.pk, {}).get("version") != stored.version:
                raise DataChanged(
                    _(
                        "Gli importi del capitolo %(line)s sono stati modificati da qualcun altro durante l'importazione."
                    )
                    % {"line": plan.report.line}
                )
            amount = BudgetAmount(
                pk=stored.pk,
                line=plan.line,
                year=plan.year,
                version=stored.version + 1,
                updated_at=now,
                **plan.figures,
            )
            amounts.append(amount)
            before = {
                f: None if getattr(stored, f) is None else str(getattr(stored, f))
                for f in AMOUNT_FIELDS
                if getattr(stored, f) != plan.figures[f]
            }
            out.append(Written(amount, RecordAction.UPDATED, before))
        BudgetAmount.objects.bulk_update(amounts, fields, before=current)
        return out
