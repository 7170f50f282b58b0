"""The budget lines an import of amounts creates, or checks against what the row says.

A row may define a line that does not exist yet (descrizione, titolo, classificazione, programma,
obiettivo); for an existing line those columns change nothing and only warn when they differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ponti.core.confidentiality import can_see

from .import_files import Columns
from .models import BudgetCode, BudgetLine, CodeLevel, Objective, Side

if TYPE_CHECKING:
    from .imports import Context

LINE_COLUMNS = ("descrizione", "titolo", "classificazione", "programma", "obiettivo")
LINE_FIELD_COLUMN = {
    "number": "capitolo",
    "description": "descrizione",
    "side": "tipo",
    "titolo": "titolo",
    "category": "classificazione",
    "programma": "programma",
    "objective": "obiettivo",
}


def normalise_code(text: str, *, level: str) -> str:
    """Codes as the accounting system may write them: «19.01» → 1901, «2.105» → 20105, «1.03» → 103.

    Spreadsheets also drop leading zeros: Programma «101» is 0101.
    """
    text = text.strip().replace(" ", "")
    parts = text.split(".")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        first, second = parts
        if level == CodeLevel.PROGRAMMA:
            return first.zfill(2) + second.zfill(2)
        if level == CodeLevel.TIPOLOGIA:
            return first + second.zfill(4)
        if level == CodeLevel.MACROAGGREGATO:
            return first + second.zfill(2)
    if level == CodeLevel.PROGRAMMA and text.isdigit() and len(text) == 3:
        return text.zfill(4)
    return text


@dataclass
class LineSpec:
    """What a row says about a line that does not exist yet (or about an existing one)."""

    description: str
    titolo: BudgetCode | None
    category: BudgetCode | None
    programma: BudgetCode | None
    objective: Objective | None
    given: set[str]  # the line columns the row filled


def line_spec(
    cells: list[Any], columns: Columns, context: Context, side: str, errors: list[str]
) -> LineSpec:
    """Read and check the line columns; unknown codes are errors even for an existing line."""
    given = {name for name in LINE_COLUMNS if columns.text(cells, name)}
    description = columns.text(cells, "descrizione")
    if len(description) > 300:
        errors.append(_("descrizione: è più lunga di 300 caratteri."))
    side_label = Side(side).label.lower()

    titolo = None
    text = columns.text(cells, "titolo")
    if text:
        titolo = context.code(CodeLevel.TITOLO, side, text)
        if titolo is None:
            errors.append(
                _("titolo: «%(code)s» non è un Titolo di %(side)s della classificazione.")
                % {"code": text, "side": side_label}
            )

    category = None
    text = columns.text(cells, "classificazione")
    if text:
        level = CodeLevel.TIPOLOGIA if side == Side.ENTRATA else CodeLevel.MACROAGGREGATO
        category = context.code(level, side, text)
        if category is None:
            errors.append(
                _(
                    "classificazione: «%(code)s» non è un codice di %(level)s noto (per le %(side)s si indica la %(level)s, per esempio %(example)s)."
                )
                % {
                    "code": text,
                    "level": CodeLevel(level).label,
                    "side": _("entrate") if side == Side.ENTRATA else _("spese"),
                    "example": "20105" if side == Side.ENTRATA else "103",
                }
            )

    programma = None
    text = columns.text(cells, "programma")
    if text:
        if side == Side.ENTRATA:
            errors.append(
                _("programma: le entrate non hanno Missione e Programma; lascia vuota la cella.")
            )
        else:
            programma = context.code(CodeLevel.PROGRAMMA, Side.SPESA, text)
            if programma is None:
                errors.append(
                    _(
                        "programma: «%(code)s» non è un Programma della classificazione (per esempio 1901)."
                    )
                    % {"code": text}
                )

    objective = None
    text = columns.text(cells, "obiettivo")
    if text:
        objective = context.objectives.get(text)
        if objective is None or not can_see(context.user, objective):
            objective = None
            errors.append(
                _(
                    "obiettivo: «%(code)s» non è il codice di un obiettivo dell'ente (per esempio 1901/0159)."
                )
                % {"code": text}
            )
    return LineSpec(description, titolo, category, programma, objective, given)


def new_line(
    context: Context, side: str, number: str, spec: LineSpec, errors: list[str]
) -> BudgetLine | None:
    if not context.may_add_lines:
        errors.append(
            _(
                "capitolo: il capitolo %(number)s non esiste e non hai il permesso di creare capitoli."
            )
            % {"number": number}
        )
        return None
    missing = []
    if not spec.description:
        missing.append("descrizione")
    titolo = spec.titolo or (spec.category.parent if spec.category is not None else None)
    if titolo is None and "titolo" not in spec.given:
        missing.append("titolo")
    if missing:
        errors.append(
            _(
                "capitolo: il capitolo %(number)s non esiste ancora; per crearlo servono anche %(columns)s."
            )
            % {"number": number, "columns": " e ".join(missing)}
        )
        return None
    if titolo is None:
        return None  # an unknown titolo, already reported
    line = BudgetLine(
        ente=context.ente,
        side=side,
        number=number,
        description=spec.description,
        titolo=titolo,
        category=spec.category,
        programma=spec.programma,
        objective=spec.objective,
    )
    try:
        # The codes and the objective come from the context (they exist), and the number is new
        # in the ente (the context holds every line): no query per line, only the fields' own
        # checks and the line's rules between codes (`clean`).
        line.full_clean(
            exclude=["ente", "titolo", "category", "programma", "objective"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors.extend(column_messages(exc, LINE_FIELD_COLUMN))
        return None
    return line


def check_same_definition(
    line: BudgetLine, spec: LineSpec, first_row: int, errors: list[str]
) -> None:
    """A new line spread over several rows (one per year): later rows may repeat its columns, not change them."""
    pairs = {
        "descrizione": (spec.description, line.description),
        "titolo": (spec.titolo, line.titolo),
        "classificazione": (spec.category, line.category),
        "programma": (spec.programma, line.programma),
        "obiettivo": (spec.objective, line.objective),
    }
    for column, (given, defined) in pairs.items():
        if column in spec.given and given is not None and given != defined:
            errors.append(
                _(
                    "%(column)s: diverso da quanto indicato per lo stesso capitolo alla riga %(row)s."
                )
                % {"column": column, "row": first_row}
            )


def warn_ignored_columns(line: BudgetLine, spec: LineSpec, warnings: list[str]) -> None:
    different = []
    if "descrizione" in spec.given and spec.description != line.description:
        different.append("descrizione")
    for column, given, stored in (
        ("titolo", spec.titolo, line.titolo_id),
        ("classificazione", spec.category, line.category_id),
        ("programma", spec.programma, line.programma_id),
        ("obiettivo", spec.objective, line.objective_id),
    ):
        if given is not None and given.pk != stored:
            different.append(column)
    if different:
        warnings.append(
            _(
                "Il capitolo esiste già: %(columns)s nel file non lo cambiano (si modificano dalla pagina del capitolo)."
            )
            % {"columns": ", ".join(different)}
        )


def column_messages(exc: ValidationError, columns: dict[str, str]) -> list[str]:
    found = []
    for name, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        prefix = columns.get(name, "")
        for message in messages:
            found.append(f"{prefix}: {message}" if prefix else str(message))
    return found
