"""The shapes of the opportunities API. Input rules as in the partner registry's API (strict
JSON types, lengths from the model, trimmed text, unknown fields refused with 422)."""

import datetime
from decimal import Decimal
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ninja import Schema
from pydantic import AfterValidator, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

from ponti.core.api import ApiAmount
from ponti.core.confidentiality import Confidentiality
from ponti.partners.schemas import (
    CountryCode,
    Id,
    InSchema,
    IsoDate,
    Line200,
    LongText,
    Page,
    PageQuery,
    PatchSchema,
    QueryId,
    SearchText,
    SectorCode,
    Version,
)

from .models import BRUSSELS, CallStatus, DeadlineModel, OpportunityKind
from .states import Decision

MAX_ITEMS = 200


def _required(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("text_blank", "Questo campo non può essere vuoto.")
    return value.strip()


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "time_zone", "Fuso orario sconosciuto, es. Europe/Brussels."
        ) from None
    return value


def _aware(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "datetime_naive", "Indica il fuso orario, es. 2026-09-15T17:00:00+02:00."
        )
    return value


Title = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=500), AfterValidator(_required)
]
Line500 = Annotated[str, StringConstraints(strict=True, max_length=500)]
Url = Annotated[
    str,
    StringConstraints(strict=True, max_length=1000, pattern=r"^$|^https?://\S+$"),
    Field(description="Un indirizzo http(s)://…; vuoto se non noto."),
]
Amount = Annotated[
    Decimal,
    ApiAmount(
        'Euro, al più due decimali, es. 1500000 o "1500000.00".', maximum=Decimal("999999999999.99")
    ),
]
Instant = Annotated[
    datetime.datetime,
    AfterValidator(_aware),
    Field(description="Data e ora con il fuso, es. 2026-09-15T17:00:00+02:00 (17:00 a Bruxelles)."),
]
TimeZone = Annotated[str, StringConstraints(strict=True, max_length=40), AfterValidator(_zone)]


class DeadlineIO(InSchema):
    due_at: Instant
    stage: Annotated[int, Strict(), Field(ge=1, le=9)] = 1
    time_zone: TimeZone = BRUSSELS


class OpportunityOut(Schema):
    id: int
    ente_id: int
    kind: OpportunityKind
    kind_label: str
    title: str
    title_en: str
    programme_id: int | None
    programme_name: str
    programme_code: str = Field(description="Il programma come indicato dalla fonte.")
    call_identifier: str
    topic_identifier: str
    url: str
    opens_on: datetime.date | None
    deadline_model: DeadlineModel
    deadlines: list[DeadlineIO]
    call_status: CallStatus | None = Field(description="Calcolato dalle date; nullo senza date.")
    budget: Decimal | None
    grant_size: Decimal | None
    sectors: list[str]
    eligible_applicants: str
    countries: list[str]
    owner_id: int | None
    decision: Decision
    decision_label: str
    decision_reason: str
    allowed_decisions: list[Decision]
    notes: str
    portal_status: str
    deadlines_changed_at: datetime.datetime | None
    previous_deadlines: list[str]
    confidentiality: Confidentiality
    version: int


class OpportunityPage(Page):
    items: list[OpportunityOut]


class OpportunityFilters(PageQuery):
    q: SearchText | None = Field(None, description="Titolo (italiano o inglese) o identificativo.")
    programme_id: QueryId | None = None
    kind: OpportunityKind | None = None
    call_status: CallStatus | None = None
    decision: Decision | None = None
    deadline_from: IsoDate | None = Field(None, description="Una scadenza da questo giorno.")
    deadline_to: IsoDate | None = Field(None, description="Una scadenza fino a questo giorno.")
    ente_id: QueryId | None = None


class _Fields(InSchema):
    kind: OpportunityKind = OpportunityKind.EU_CALL
    title_en: Line500 = ""
    programme_id: Id | None = None
    call_identifier: Line200 = ""
    topic_identifier: Line200 = ""
    url: Url = ""
    opens_on: IsoDate | None = None
    deadline_model: DeadlineModel = DeadlineModel.SINGLE
    deadlines: list[DeadlineIO] = Field(default_factory=list, max_length=MAX_ITEMS)
    budget: Amount | None = None
    grant_size: Amount | None = None
    sectors: list[SectorCode] = Field(default_factory=list, max_length=MAX_ITEMS)
    eligible_applicants: LongText = ""
    countries: list[CountryCode] = Field(default_factory=list, max_length=MAX_ITEMS)
    owner_id: Id | None = None
    notes: LongText = ""
    confidentiality: Confidentiality = Confidentiality.INTERNO


class OpportunityIn(_Fields):
    ente_id: Id | None = Field(None, description="Uno dei propri enti; facoltativo se è uno solo.")
    title: Title


class OpportunityPatch(PatchSchema):
    version: Version
    kind: OpportunityKind = None  # type: ignore[assignment]
    title: Title = None  # type: ignore[assignment]
    title_en: Line500 = None  # type: ignore[assignment]
    programme_id: Id | None = None
    call_identifier: Line200 = None  # type: ignore[assignment]
    topic_identifier: Line200 = None  # type: ignore[assignment]
    url: Url = None  # type: ignore[assignment]
    opens_on: IsoDate | None = None
    deadline_model: DeadlineModel = None  # type: ignore[assignment]
    deadlines: list[DeadlineIO] = Field(None, max_length=MAX_ITEMS)  # type: ignore[arg-type]
    budget: Amount | None = None
    grant_size: Amount | None = None
    sectors: list[SectorCode] = Field(None, max_length=MAX_ITEMS)  # type: ignore[arg-type]
    eligible_applicants: LongText = None  # type: ignore[assignment]
    countries: list[CountryCode] = Field(None, max_length=MAX_ITEMS)  # type: ignore[arg-type]
    owner_id: Id | None = None
    notes: LongText = None  # type: ignore[assignment]
    confidentiality: Confidentiality = None  # type: ignore[assignment]


class DecisionIn(InSchema):
    target: Decision
    reason: LongText = Field("", description="Obbligatorio per «scartata».")


def deadline_out(d: Any) -> dict[str, Any]:
    return {"due_at": d.local, "stage": d.stage, "time_zone": d.time_zone}
