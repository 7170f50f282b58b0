"""The shapes of the networks API. Input rules as in the partner registry's API (strict JSON
types, lengths from the model, trimmed text, unknown fields refused with 422)."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, Strict, StrictBool, StringConstraints
from pydantic_core import PydanticCustomError

from ponti.core.api import ApiAmount
from ponti.core.confidentiality import Confidentiality
from ponti.core.text import forbidden_character_message
from ponti.partners.models import OrganisationKind
from ponti.partners.schemas import (
    CountryCode,
    Id,
    InSchema,
    IsoDate,
    Page,
    PageQuery,
    PatchSchema,
    QueryId,
    SearchText,
    SectorCode,
    Version,
)

from .models import Confidence, MembershipStatus, RoleKind, WorkingGroup


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


Line200 = Annotated[str, StringConstraints(strict=True, max_length=200), AfterValidator(_text)]
Line500 = Annotated[str, StringConstraints(strict=True, max_length=500), AfterValidator(_text)]
Line1000 = Annotated[str, StringConstraints(strict=True, max_length=1000), AfterValidator(_text)]
Required200 = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=200), AfterValidator(_required)
]
LongText = Annotated[str, StringConstraints(strict=True, max_length=20000), AfterValidator(_text)]
Year = Annotated[
    int, Strict(), Field(ge=1900, le=2100, description="Un anno, se non si conosce il giorno.")
]
Amount = Annotated[
    Decimal,
    ApiAmount('Euro, al più due decimali, es. 1500 o "1500.50".', maximum=Decimal("9999999999.99")),
]
IdList = Annotated[list[Id], Field(max_length=100)]


# --- memberships ---------------------------------------------------------------------------


class MembershipIn(InSchema):
    network_id: Id = Field(description="Un'organizzazione del registro di tipo «network».")
    ente_id: Id | None = Field(
        None, description="Uno dei tuoi enti; facoltativo se ne hai uno solo."
    )
    status: MembershipStatus = MembershipStatus.ATTIVA
    since_year: Year | None = None
    since: IsoDate | None = Field(
        None, description="Il giorno dell'adesione, se noto (non insieme a since_year)."
    )
    until: IsoDate | None = Field(None, description="Fine dell'adesione, non prima dell'inizio.")
    confidence: Confidence = Confidence.HIGH
    confidentiality: Confidentiality = Confidentiality.INTERNO
    notes: LongText = ""
    source: Line1000 = ""


class MembershipPatch(PatchSchema):
    version: Version
    network_id: Id = None  # type: ignore[assignment]
    status: MembershipStatus = None  # type: ignore[assignment]
    since_year: Year | None = None
    since: IsoDate | None = None
    until: IsoDate | None = None
    confidence: Confidence = None  # type: ignore[assignment]
    confidentiality: Confidentiality = None  # type: ignore[assignment]
    notes: LongText = None  # type: ignore[assignment]
    source: Line1000 = None  # type: ignore[assignment]


class MembershipOut(Schema):
    id: int
    ente_id: int
    ente_name: str
    network_id: int
    network_name: str
    status: MembershipStatus
    status_label: str
    since_year: int | None
    since: datetime.date | None
    until: datetime.date | None
    confidence: Confidence
    to_verify: bool = Field(description="Vero quando l'affidabilità dei dati è bassa.")
    confidentiality: Confidentiality
    notes: str
    source: str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MembershipFilters(PageQuery):
    network_id: QueryId | None = None
    ente_id: QueryId | None = None
    status: MembershipStatus | None = None


class MembershipPage(Page):
    items: list[MembershipOut]


# --- roles -----------------------------------------------------------------------------------


class RoleIn(InSchema):
    kind: RoleKind
    detail: Line200 = ""
    start_date: IsoDate | None = None
    start_year: Year | None = None
    end_date: IsoDate | None = Field(None, description="Non prima dell'inizio.")
    end_year: Year | None = None


class RolePatch(PatchSchema):
    version: Version
    kind: RoleKind = None  # type: ignore[assignment]
    detail: Line200 = None  # type: ignore[assignment]
    start_date: IsoDate | None = None
    start_year: Year | None = None
    end_date: IsoDate | None = None
    end_year: Year | None = None


class RoleOut(Schema):
    id: int
    membership_id: int
    kind: RoleKind
    kind_label: str
    detail: str
    start_date: datetime.date | None
    start_year: int | None
    end_date: datetime.date | None
    end_year: int | None
    is_current: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int


# --- working groups --------------------------------------------------------------------------


class WorkingGroupIn(InSchema):
    name: Required200
    kind: WorkingGroup.Kind = WorkingGroup.Kind.GRUPPO
    representative_ids: IdList = Field(default_factory=list, description="Persone del registro.")
    since_year: Year | None = None
    until_year: Year | None = None
    notes: LongText = ""


class WorkingGroupPatch(PatchSchema):
    version: Version
    name: Required200 = None  # type: ignore[assignment]
    kind: WorkingGroup.Kind = None  # type: ignore[assignment]
    representative_ids: IdList = Field(None, description="Sostituisce l'elenco.")  # type: ignore[arg-type]
    since_year: Year | None = None
    until_year: Year | None = None
    notes: LongText = None  # type: ignore[assignment]


class PersonRef(Schema):
    id: int
    name: str


class WorkingGroupOut(Schema):
    id: int
    membership_id: int
    name: str
    kind: WorkingGroup.Kind
    kind_label: str
    representatives: list[PersonRef] = Field(description="Solo le persone che ti sono visibili.")
    since_year: int | None
    until_year: int | None
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int


# --- fees ------------------------------------------------------------------------------------


class FeeIn(InSchema):
    year: Year
    amount: Amount
    paid: StrictBool = False
    paid_on: IsoDate | None = Field(None, description="Solo per una quota pagata.")
    notes: Line500 = ""
    budget_line_id: Id | None = Field(
        None,
        description="Il capitolo di spesa (dello stesso ente) su cui grava la quota: impegno e, se pagata, pagamento.",
    )


class FeePatch(PatchSchema):
    version: Version
    year: Year = None  # type: ignore[assignment]
    amount: Amount = None  # type: ignore[assignment]
    paid: StrictBool = None  # type: ignore[assignment]
    paid_on: IsoDate | None = None
    notes: Line500 = None  # type: ignore[assignment]
    budget_line_id: Id | None = Field(
        None, description="null: la quota non grava più su alcun capitolo."
    )


class FeeOut(Schema):
    id: int
    membership_id: int
    year: int
    amount: str = Field(description="Euro con due decimali, come testo: «1500.00».")
    paid: bool
    paid_on: datetime.date | None
    notes: str
    budget_line_id: int | None = Field(
        description="Il capitolo di spesa su cui Ponti registra la quota."
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int


# --- network members -------------------------------------------------------------------------


class NetworkMemberIn(InSchema):
    network_id: Id = Field(description="Un'organizzazione del registro di tipo «network».")
    member_id: Id
    since_year: Year | None = None
    source: Line500 = ""


class NetworkMemberPatch(PatchSchema):
    version: Version
    since_year: Year | None = None
    source: Line500 = None  # type: ignore[assignment]


class NetworkMemberOut(Schema):
    id: int
    network_id: int
    network_name: str
    member_id: int
    member_name: str
    member_kind: OrganisationKind
    member_country: str
    member_city: str
    member_sectors: list[str]
    since_year: int | None
    source: str
    is_partner: bool = Field(description="Vero se uno dei tuoi enti ha un accordo con il membro.")
    version: int


class NetworkMemberFilters(PageQuery):
    network_id: QueryId | None = None
    member_id: QueryId | None = None
    q: SearchText | None = None
    country: CountryCode | None = None
    sector: SectorCode | None = Field(None, description="Codice di un settore, es. universita.")
    kind: OrganisationKind | None = None
    not_yet_partner: bool = Field(False, description="Solo i membri senza accordi con i tuoi enti.")


class NetworkMemberPage(Page):
    items: list[NetworkMemberOut]
