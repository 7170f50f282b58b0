"""The DUP sheet of an objective, in the seed's structure and order (see /work/shared/seed).

OBIETTIVO STRATEGICO (mandate, title, Responsabile, Indirizzo Strategico, Missione, DESCRIZIONE), then
OBIETTIVO OPERATIVO (mandate, code and title, Responsabile, Indirizzo Strategico, Missione, Obiettivo,
Programma, DESCRIZIONE), then RISORSE FINANZIARIE with Totali Entrata and Totali Spesa per year.
The detail of the budget lines comes after that structure, never inside it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ponti.core.confidentiality import can_see
from ponti.core.money import format_euro

from ..models import BudgetLine, Objective, ObjectiveLevel, Side
from ..services import Totals, descendant_ids, objective_totals
from .blocks import Block, Document, Field, Heading, Notice, Paragraph, Table, italian_date

EXAMPLE_NOTICE = "IMPORTI DI ESEMPIO — non sono cifre reali dell'ente"


def example_notice() -> str:
    return str(_("IMPORTI DI ESEMPIO — non sono cifre reali dell'ente"))


def euro(value: Any) -> str:
    """Always a figure: a year without amounts reads 0,00 €, never an empty cell."""
    return format_euro(value if value is not None else 0)


def _visible(user: Any, obj: Any) -> bool:
    return user is None or can_see(user, obj)


def _description(user: Any, obj: Objective) -> str:
    if not _visible(user, obj):
        return str(_("(descrizione riservata)"))
    return obj.description.strip() or str(_("(nessuna descrizione)"))


def _indirizzo(obj: Objective) -> str:
    node = obj if obj.level == ObjectiveLevel.INDIRIZZO else obj.ancestor(ObjectiveLevel.INDIRIZZO)
    return node.title if node is not None else "—"


def _missione(obj: Objective) -> str:
    if obj.missione is not None:
        return str(obj.missione)
    if obj.programma is not None and obj.programma.parent is not None:
        return str(obj.programma.parent)
    return "—"


def identity(obj: Objective) -> str:
    return str(obj)


def strategic_blocks(obj: Objective, user: Any) -> list[Block]:
    return [
        Heading(str(_("OBIETTIVO STRATEGICO")), 2),
        Paragraph(obj.mandate or "—"),
        Paragraph(obj.title, strong=True),
        Field(str(_("Responsabile:")), obj.responsible or "—"),
        Field(str(_("Indirizzo Strategico:")), _indirizzo(obj)),
        Field(str(_("Missione:")), _missione(obj)),
        Paragraph(str(_("DESCRIZIONE:")), strong=True),
        Paragraph(_description(user, obj)),
    ]


def operational_blocks(obj: Objective, user: Any, heading: str | None = None) -> list[Block]:
    strategic = obj.ancestor(ObjectiveLevel.STRATEGICO)
    programma = obj.programma or next(
        (a.programma for a in reversed(obj.ancestors()) if a.programma), None
    )
    return [
        Heading(heading or str(_("OBIETTIVO OPERATIVO")), 2),
        Paragraph(obj.mandate or (strategic.mandate if strategic else "") or "—"),
        Paragraph(identity(obj), strong=True),
        Field(str(_("Responsabile:")), obj.responsible or "—"),
        Field(str(_("Indirizzo Strategico:")), _indirizzo(obj)),
        Field(str(_("Missione:")), _missione(obj)),
        Field(str(_("Obiettivo")), strategic.title if strategic else "—"),
        Field(str(_("Programma:")), str(programma) if programma else "—"),
        Paragraph(str(_("DESCRIZIONE:")), strong=True),
        Paragraph(_description(user, obj)),
    ]


def objective_lines(objective: Objective, user: Any) -> tuple[list[BudgetLine], bool]:
    """The lines of the objective and of those under it (visible to `user`), and whether some were hidden."""
    qs = BudgetLine.objects.filter(objective_id__in=[objective.pk, *descendant_ids(objective)])
    everything = list(
        qs.select_related("titolo", "category", "programma", "objective").prefetch_related(
            "amounts"
        )
    )
    if user is None:
        return everything, False
    visible_ids = set(
        BudgetLine.objects.for_user(user)
        .filter(pk__in=[line.pk for line in everything])
        .values_list("pk", flat=True)
    )
    shown = [line for line in everything if line.pk in visible_ids]
    return shown, len(shown) < len(everything)


def described(line: BudgetLine) -> str:
    """The line's description, marked when its amounts are examples (unless it already says so)."""
    marker = str(_("esempio"))
    if line.example and marker not in line.description.lower():
        return f"{line.description} ({marker})"
    return line.description


def short_classification(line: BudgetLine) -> str:
    parts = []
    if line.programma is not None:
        parts.append(str(_("Progr. %(code)s") % {"code": line.programma.code}))
    parts.append(str(_("Tit. %(code)s") % {"code": line.titolo.code}))
    if line.category is not None:
        label = _("Tip. %(code)s") if line.side == Side.ENTRATA else _("Macr. %(code)s")
        parts.append(str(label % {"code": line.category.code}))
    return " · ".join(parts)


def years_label(years: list[int]) -> str:
    return "-".join(str(y) for y in years)


def resources_blocks(objective: Objective, totals: Totals, has_lines: bool) -> list[Block]:
    blocks: list[Block] = [
        Heading(str(_("RISORSE FINANZIARIE %(years)s") % {"years": years_label(totals.years)}), 2)
    ]
    if totals.example:
        blocks.append(Notice(example_notice(), "example"))
    if not has_lines:
        blocks.append(Notice(str(_("Nessun capitolo di bilancio collegato all'obiettivo")), "info"))
    header = [str(_("Importo")), *[str(y) for y in totals.years]]
    numeric = frozenset(range(1, len(header)))
    for side, title in ((Side.ENTRATA, _("Totali Entrata")), (Side.SPESA, _("Totali Spesa"))):
        per_year = totals.side(side)
        done = str(_("Accertato")) if side == Side.ENTRATA else str(_("Impegnato"))
        blocks.append(Heading(str(title), 3))
        blocks.append(
            Table(
                caption=str(title),
                header=header,
                rows=[
                    [str(_("Previsione")), *[euro(per_year[y].forecast) for y in totals.years]],
                    [done, *[euro(per_year[y].committed) for y in totals.years]],
                ],
                numeric=numeric,
                caption_hidden=True,
                layout="fixed",
            )
        )
    return blocks


def line_detail_blocks(
    lines: list[BudgetLine], years: list[int], hidden: bool, example: bool
) -> list[Block]:
    if not lines and not hidden:
        return []
    blocks: list[Block] = [Heading(str(_("Dettaglio dei capitoli di bilancio")), 3)]
    if example:
        blocks.append(Notice(example_notice(), "example"))
    header = [
        str(_("Capitolo")),
        str(_("Descrizione")),
        str(_("Classificazione")),
        *[str(_("Previsione %(year)s") % {"year": y}) for y in years],
    ]
    rows = []
    for line in lines:
        amounts = {a.year: a for a in line.amounts.all()}
        rows.append(
            [
                f"{line.get_side_display()} {line.number}",
                described(line),
                short_classification(line),
                *[euro(amounts[y].forecast if y in amounts else None) for y in years],
            ]
        )
    if rows:
        blocks.append(
            Table(
                str(_("Capitoli collegati e previsione per anno")),
                header,
                rows,
                numeric=frozenset(range(3, len(header))),
                layout="lines",
            )
        )
    if hidden:
        blocks.append(
            Notice(
                str(_("Alcuni capitoli riservati non sono elencati né compresi nei totali.")),
                "info",
            )
        )
    return blocks


def build_sheet(objective: Objective, user: Any = None) -> Document:
    level = objective.level
    strategic = (
        objective
        if level == ObjectiveLevel.STRATEGICO
        else objective.ancestor(ObjectiveLevel.STRATEGICO)
    )
    # A title for the document (the page's h1); the seed's structure starts right after it.
    blocks: list[Block] = [
        Heading(str(_("Documento Unico di Programmazione — scheda dell'obiettivo")), 1)
    ]
    if strategic is not None:
        blocks += strategic_blocks(strategic, user)
    if level == ObjectiveLevel.INDIRIZZO:
        blocks += [
            Heading(str(_("INDIRIZZO STRATEGICO")), 2),
            Paragraph(objective.mandate or "—"),
            Paragraph(objective.title, strong=True),
            Field(str(_("Responsabile:")), objective.responsible or "—"),
            Paragraph(str(_("DESCRIZIONE:")), strong=True),
            Paragraph(_description(user, objective)),
        ]
        for child in objective.children.order_by("position", "code", "title"):
            if _visible(user, child):
                blocks += strategic_blocks(child, user)
    elif level == ObjectiveLevel.STRATEGICO:
        for child in objective.children.filter(level=ObjectiveLevel.OPERATIVO).select_related(
            "programma", "missione"
        ):
            if _visible(user, child):
                blocks += operational_blocks(child, user)
    elif level == ObjectiveLevel.OPERATIVO:
        blocks += operational_blocks(objective, user)
    else:  # an activity: its operational objective, then the activity itself
        operational = objective.ancestor(ObjectiveLevel.OPERATIVO)
        if operational is not None:
            blocks += operational_blocks(operational, user)
        blocks += operational_blocks(objective, user, heading=str(_("ATTIVITÀ")))
    totals = objective_totals(objective, user)
    lines, hidden = objective_lines(objective, user)
    has_lines = bool(lines) or hidden
    blocks += resources_blocks(objective, totals, has_lines)
    blocks += line_detail_blocks(lines, totals.years, hidden, totals.example)
    code = objective.code.replace("/", "-") if objective.code else f"obiettivo-{objective.pk}"
    return Document(
        title=str(_("Scheda DUP — %(objective)s") % {"objective": objective}),
        filename=f"scheda-DUP-{code}",
        blocks=blocks,
        example_notice=example_notice() if totals.example else "",
        generated_on=italian_date(),
    )
