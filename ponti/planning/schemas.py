"""The shapes of the planning API. Input rules as in the partner registry's API (strict JSON
types, lengths from the model, trimmed text, unknown fields refused with 422).

Money: responses carry decimal strings with two places ("1234.56"); inputs accept a JSON
number or a decimal string, read by ponti.core.money.parse_amount (through core.api.ApiAmount):
never more than 2 decimals (refused, not rounded), never negative, no exponent, NaN or
Infinity. JSON numbers are read from the digits the client wrote, never through a float.
"""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import (
    AfterValidator,
    Field,
    Strict,
    StrictBool,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from ponti.core.api import ApiAmount
from ponti.core.confidentiality import Confidentiality
from ponti.core.text import forbidden_character_message
from ponti.partners.schemas import (
    Id,
    InSchema,
    IsoDate,
    Page,
    PageQuery,
    PatchSchema,
    QueryId,
    Version,
)

from .models import CodeLevel, Direction, MovementKind, ObjectiveLevel, Side

# OpenAPI names enums by class name, which must be unique across the apps (meetings has its
# own Direction): the same values under planning's names.
PlanningSide = enum.StrEnum("PlanningSide", [(m.name, m.value) for m in Side])  # type: ignore[misc]
BudgetCodeLevel = enum.StrEnum(  # type: ignore[misc]
    "BudgetCodeLevel", [(m.name, m.value) for m in CodeLevel]
)
IndicatorDirection = enum.StrEnum(  # type: ignore[misc]
    "IndicatorDirection", [(m.name, m.value) for m in Direction]
)

# NUL, surrogates and control characters are refused for every API field by ponti.core.text
# (through core.api.refuse_forbidden_text); the same check here keeps the message in the
# field's own errors when a schema is validated outside a request.


def _text(value: str) -> str:
    message = forbidden_character_message(value)
    if message:
        raise PydanticCustomError("text_invalid_character", "{message}", {"message": message})
    return value.strip()


def _required(value: str) -> str:
    value = _text(value)
    if not value:
        raise PydanticCustomError("text_blank", "Questo campo non può essere vuoto.")
    return value


Money = Annotated[
    Decimal,
    ApiAmount(
        'Euro, al più due decimali, non negativo: un numero o un testo, es. 1500 o "1500.50".'
    ),
]
Quantity = Annotated[
    Decimal, ApiAmount('Un valore non negativo con al più due decimali, es. 3 o "12.5".')
]
Line30 = Annotated[str, StringConstraints(strict=True, max_length=30), AfterValidator(_text)]
Line40 = Annotated[str, StringConstraints(strict=True, max_length=40), AfterValidator(_text)]
Line200 = Annotated[str, StringConstraints(strict=True, max_length=200), AfterValidator(_text)]
Line300 = Annotated[str, StringConstraints(strict=True, max_length=300), AfterValidator(_text)]
Required30 = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=30), AfterValidator(_required)
]
Required40 = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=40), AfterValidator(_required)
]
Required300 = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=300), AfterValidator(_required)
]
LongText = Annotated[str, StringConstraints(strict=True, max_length=20000), AfterValidator(_text)]
Year = Annotated[int, Strict(), Field(ge=2000, le=2100)]
QueryYear = Annotated[int, Field(ge=2000, le=2100, description="Un anno, es. 2023.")]
BudgetCodeValue = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[0-9]{1,12}$"),
    Field(description="Il codice della classificazione, es. 19, 1901, 20105."),
]
Position = Annotated[int, Strict(), Field(ge=0, le=32767)]
MetricCode = Annotated[
    str,
    StringConstraints(strict=True, max_length=60),
    AfterValidator(_text),
    Field(
        description="Il codice di una metrica di GET /planning/metrics; vuoto se inserito a mano."
    ),
]

AMOUNT_OUT = "Euro con due decimali, come testo: «1500.00»."


# --- objectives ------------------------------------------------------------------------------


class ObjectiveFields(InSchema):
    level: ObjectiveLevel
    parent_id: Id | None = Field(
        None, description="Il livello superiore (obbligatorio salvo per indirizzi e strategici)."
    )
    code: Line30 = Field("", description="Per un obiettivo operativo, es. 1901/0159.")
    title: Required300
    mandate: Line40 = Field("", description="Es. «Mandato 2019_2024».")
    responsible_user_id: Id | None = Field(None, description="Un utente dello stesso ente.")
    responsible_name: Line200 = Field("", description="Il nome come compare nel DUP.")
    description: LongText = ""
    missione_code: BudgetCodeValue | None = None
    programma_code: BudgetCodeValue | None = None
    start_year: Year
    end_year: Year
    position: Position = 0
    confidentiality: Confidentiality = Confidentiality.INTERNO


class ObjectiveIn(ObjectiveFields):
    ente_id: Id | None = Field(
        None, description="Uno dei tuoi enti; facoltativo se ne hai uno solo."
    )


class ObjectivePut(ObjectiveFields):
    """Every field, as in a creation; an objective does not move to another ente."""

    version: Version


class ObjectivePatch(PatchSchema):
    version: Version
    level: ObjectiveLevel = None  # type: ignore[assignment]
    parent_id: Id | None = None
    code: Line30 = None  # type: ignore[assignment]
    title: Required300 = None  # type: ignore[assignment]
    mandate: Line40 = None  # type: ignore[assignment]
    responsible_user_id: Id | None = None
    responsible_name: Line200 = None  # type: ignore[assignment]
    description: LongText = None  # type: ignore[assignment]
    missione_code: BudgetCodeValue | None = None
    programma_code: BudgetCodeValue | None = None
    start_year: Year = None  # type: ignore[assignment]
    end_year: Year = None  # type: ignore[assignment]
    position: Position = None  # type: ignore[assignment]
    confidentiality: Confidentiality = None  # type: ignore[assignment]


class ObjectiveSummaryOut(Schema):
    id: int
    level: ObjectiveLevel
    level_label: str
    code: str
    title: str


class ObjectiveOut(Schema):
    id: int
    ente_id: int
    level: ObjectiveLevel
    level_label: str
    parent_id: int | None = Field(
        description="Nullo anche se il livello superiore non ti è visibile."
    )
    code: str
    title: str
    mandate: str
    responsible: str = Field(description="Il nome del Responsabile (utente o nome inserito).")
    responsible_user_id: int | None
    responsible_name: str
    description: str
    missione_code: str | None
    missione_name: str | None
    programma_code: str | None
    programma_name: str | None
    start_year: int
    end_year: int
    years: list[int]
    position: int
    confidentiality: Confidentiality
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ObjectiveDetailOut(ObjectiveOut):
    ancestors: list[ObjectiveSummaryOut] = Field(description="Dalla radice al livello superiore.")
    children: list[ObjectiveSummaryOut]


class ObjectivePage(Page):
    items: list[ObjectiveOut]


class ObjectiveFilters(PageQuery):
    level: ObjectiveLevel | None = None
    parent_id: QueryId | None = None
    code: Line30 | None = Field(None, description="Il codice esatto, es. 1901/0159.")


class YearTotalsOut(Schema):
    year: int
    initial: str = Field(description="Previsione iniziale. " + AMOUNT_OUT)
    forecast: str = Field(description="Previsione in vigore (assestata se c'è). " + AMOUNT_OUT)
    committed: str = Field(description="Accertato (entrata) o impegnato (spesa). " + AMOUNT_OUT)
    cashed: str = Field(description="Riscosso o pagato. " + AMOUNT_OUT)
    movements: str = Field(description="Impegni registrati dai record di Ponti. " + AMOUNT_OUT)


class TotalsOut(Schema):
    objective_id: int
    years: list[int]
    example: bool = Field(description="Vero se qualche importo è un esempio dimostrativo.")
    entrata: list[YearTotalsOut] = Field(description="Totali Entrata per anno.")
    spesa: list[YearTotalsOut] = Field(description="Totali Spesa per anno.")


# --- indicators ------------------------------------------------------------------------------


class IndicatorIn(InSchema):
    name: Required300
    unit: Required40 = "numero"
    direction: IndicatorDirection = IndicatorDirection(Direction.UP.value)
    baseline: Quantity | None = None
    baseline_year: Year | None = None
    metric: MetricCode = ""
    example: StrictBool = False
    position: Position = 0


class IndicatorPatch(PatchSchema):
    version: Version
    name: Required300 = None  # type: ignore[assignment]
    unit: Required40 = None  # type: ignore[assignment]
    direction: IndicatorDirection = None  # type: ignore[assignment]
    baseline: Quantity | None = None
    baseline_year: Year | None = None
    metric: MetricCode = None  # type: ignore[assignment]
    example: StrictBool = None  # type: ignore[assignment]
    position: Position = None  # type: ignore[assignment]


class IndicatorValueIn(InSchema):
    target: Quantity | None = None
    actual: Quantity | None = Field(
        None, description="Solo per gli indicatori senza calcolo automatico; con la fonte."
    )
    source: Line300 = Field("", description="Da dove viene il valore effettivo.")
    version: Version | None = Field(
        None,
        description="La versione dell'indicatore letta: obbligatoria se l'anno ha già valori; "
        "se nel frattempo qualcuno ha modificato l'indicatore o i suoi valori, 409.",
    )


class IndicatorYearOut(Schema):
    year: int
    target: str | None
    actual: str | None
    source: str
    computed: bool = Field(description="Vero se il valore effettivo è calcolato da Ponti.")
    achieved: bool | None = Field(
        description="Se il valore effettivo raggiunge l'atteso; nullo se manca uno dei due."
    )


class IndicatorOut(Schema):
    id: int
    objective_id: int
    name: str
    unit: str
    direction: IndicatorDirection
    direction_label: str
    baseline: str | None
    baseline_year: int | None
    metric: str
    metric_label: str | None
    example: bool
    position: int
    years: list[IndicatorYearOut]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MetricOut(Schema):
    code: str
    label: str
    unit: str
    description: str


# --- classification and budget lines ---------------------------------------------------------


class BudgetCodeOut(Schema):
    id: int
    level: BudgetCodeLevel
    level_label: str
    side: PlanningSide
    code: str
    name: str
    parent_id: int | None
    parent_code: str | None


class BudgetCodeFilters(Schema):
    level: BudgetCodeLevel | None = None
    side: PlanningSide | None = None


class BudgetLineIn(InSchema):
    ente_id: Id | None = Field(
        None, description="Uno dei tuoi enti; facoltativo se ne hai uno solo."
    )
    number: Required30 = Field(description="Il numero del capitolo, es. 1234 o 1234/1.")
    description: Required300
    side: PlanningSide
    titolo_code: BudgetCodeValue = Field(description="Il Titolo, es. 1 (spesa) o 2 (entrata).")
    category_code: BudgetCodeValue | None = Field(
        None, description="Tipologia (entrata, es. 20105) o Macroaggregato (spesa, es. 103)."
    )
    programma_code: BudgetCodeValue | None = Field(None, description="Solo spese, es. 1901.")
    objective_id: Id | None = None
    example: StrictBool = Field(False, description="Gli importi sono esempi dimostrativi.")
    confidentiality: Confidentiality = Confidentiality.INTERNO


class BudgetLinePatch(PatchSchema):
    version: Version
    number: Required30 = None  # type: ignore[assignment]
    description: Required300 = None  # type: ignore[assignment]
    side: PlanningSide = None  # type: ignore[assignment]
    titolo_code: BudgetCodeValue = None  # type: ignore[assignment]
    category_code: BudgetCodeValue | None = None
    programma_code: BudgetCodeValue | None = None
    objective_id: Id | None = None
    example: StrictBool = None  # type: ignore[assignment]
    confidentiality: Confidentiality = None  # type: ignore[assignment]


class BudgetLineOut(Schema):
    id: int
    ente_id: int
    number: str
    description: str
    side: PlanningSide
    side_label: str
    titolo_code: str
    titolo_name: str
    category_code: str | None
    category_name: str | None
    programma_code: str | None
    programma_name: str | None
    classification: str
    objective_id: int | None = Field(description="Nullo anche se l'obiettivo non ti è visibile.")
    objective_code: str | None
    objective_title: str | None
    example: bool
    confidentiality: Confidentiality
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BudgetLinePage(Page):
    items: list[BudgetLineOut]


class BudgetLineFilters(PageQuery):
    side: PlanningSide | None = None
    objective_id: QueryId | None = None
    year: QueryYear | None = Field(None, description="Solo i capitoli con importi per quest'anno.")
    ente_id: QueryId | None = Field(
        None, description="Solo quelli di questo ente (per chi lavora per più enti)."
    )


class BudgetAmountIn(InSchema):
    version: Version | None = Field(
        None,
        description="Obbligatoria se l'anno ha già importi: la versione letta (409 se vecchia).",
    )
    initial: Money = Field(Decimal("0.00"))  # type: ignore[assignment]
    revised: Money | None = Field(None, description="Previsione assestata; nulla se non variata.")
    committed: Money = Field(Decimal("0.00"))  # type: ignore[assignment]
    cashed: Money = Field(Decimal("0.00"))  # type: ignore[assignment]
    source: Line300 = Field("", description="Da dove vengono le cifre.")


class BudgetAmountOut(Schema):
    id: int
    line_id: int
    year: int
    initial: str = Field(description=AMOUNT_OUT)
    revised: str | None
    forecast: str = Field(description="La previsione in vigore. " + AMOUNT_OUT)
    committed: str
    cashed: str
    source: str
    warnings: list[str] = Field(
        description="Ciò che è ammesso ma va visto, es. impegnato oltre la previsione."
    )
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


# --- movements -------------------------------------------------------------------------------


class MovementIn(InSchema):
    line_id: Id
    year: Year
    kind: MovementKind = MovementKind.COMMITTED
    amount: Money
    day: IsoDate | None = Field(None, description="La data del movimento; oggi se assente.")
    description: Required300


class MovementOut(Schema):
    id: int
    line_id: int
    line_number: str
    year: int
    kind: MovementKind
    kind_label: str
    amount: str = Field(description=AMOUNT_OUT)
    day: datetime.date
    description: str
    source_label: str
    manual: bool = Field(description="Vero se inserito a mano (nessun record di origine).")
    recorded_by: str | None
    created_at: datetime.datetime


class MovementPage(Page):
    items: list[MovementOut]


class MovementFilters(PageQuery):
    line_id: QueryId | None = None
    year: QueryYear | None = None
    kind: MovementKind | None = None
