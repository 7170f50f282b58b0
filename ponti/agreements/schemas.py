"""The shapes of the agreements API (same input rules as the partner registry's)."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, Strict, StringConstraints

from ponti.core.confidentiality import Confidentiality
from ponti.core.dates import DatePrecision
from ponti.partners.schemas import (
    MAX_LIST_ITEMS,
    Id,
    InSchema,
    IsoDate,
    LongText,
    Name,
    Page,
    PageQuery,
    PatchSchema,
    QueryId,
    SearchText,
    SectorCode,
    Version,
    _optional_text,
)

from .models import (
    AgreementConfidence,
    AgreementKind,
    ApprovalBody,
    CommitmentStatus,
    SignatorySide,
)
from .states import Status

StrictBool = Annotated[bool, Strict()]
Line40 = Annotated[
    str, StringConstraints(strict=True, max_length=40), AfterValidator(_optional_text)
]
Line200 = Annotated[
    str, StringConstraints(strict=True, max_length=200), AfterValidator(_optional_text)
]
Line1000 = Annotated[
    str, StringConstraints(strict=True, max_length=1000), AfterValidator(_optional_text)
]
Line500 = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=500),
    AfterValidator(_optional_text),
]


PRECISION_HELP = (
    "Quanto della data è noto: day, month, year, unknown. La data è il primo giorno di ciò "
    "che è noto (1958 → 1958-01-01, year). Una data senza precisione è un giorno."
)
SOURCE_HELP = "Indirizzo o descrizione da cui vengono i dati."


class AgreementIn(InSchema):
    kind: AgreementKind
    title: Name
    status: Status = Field(
        Status.PROPOSTA,
        description="Lo stato in cui registrarlo: per un accordo già in corso (es. attivo dal "
        "1958) lo stato attuale, se il ruolo può portarvi un accordo; poi decidono i passaggi.",
    )
    partner_ids: list[Id] = Field(
        min_length=1, max_length=MAX_LIST_ITEMS, description="ID delle organizzazioni partner."
    )
    sectors: list[SectorCode] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    description: LongText = ""
    approval_body: ApprovalBody | None = None
    approval_number: Line40 = ""
    approval_date: IsoDate | None = None
    signed_on: IsoDate | None = None
    signed_precision: DatePrecision | None = Field(None, description=PRECISION_HELP)
    signed_place: Line200 = ""
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = Field(None, description=PRECISION_HELP)
    end_date: IsoDate | None = None
    renewal_date: IsoDate | None = None
    confidence: AgreementConfidence = AgreementConfidence.HIGH
    source: Line1000 = Field("", description=SOURCE_HELP)
    confidentiality: Confidentiality = Confidentiality.INTERNO
    published: StrictBool = False
    ente_id: Id | None = Field(
        None, description="L'ente che stipula; obbligatorio solo per chi appartiene a più enti."
    )
    confirm_twin: StrictBool = Field(
        False, description="Conferma un secondo gemellaggio nello stesso paese (regola dell'ente)."
    )


class AgreementPatch(PatchSchema):
    version: Version
    kind: AgreementKind | None = None
    title: Name | None = None
    partner_ids: list[Id] | None = Field(None, min_length=1, max_length=MAX_LIST_ITEMS)
    sectors: list[SectorCode] | None = Field(None, max_length=MAX_LIST_ITEMS)
    description: LongText | None = None
    approval_body: ApprovalBody | None = None
    approval_number: Line40 | None = None
    approval_date: IsoDate | None = None
    signed_on: IsoDate | None = None
    signed_precision: DatePrecision | None = Field(None, description=PRECISION_HELP)
    signed_place: Line200 | None = None
    start_date: IsoDate | None = None
    start_precision: DatePrecision | None = Field(None, description=PRECISION_HELP)
    end_date: IsoDate | None = None
    renewal_date: IsoDate | None = None
    confidence: AgreementConfidence | None = None
    source: Line1000 | None = Field(None, description=SOURCE_HELP)
    confidentiality: Confidentiality | None = None
    published: StrictBool | None = None


class PartnerRef(Schema):
    id: int
    name: str
    country: str


class TransitionOut(Schema):
    source: Status
    target: Status
    at: datetime.datetime
    by: str | None
    note: str


class AgreementOut(Schema):
    id: int
    ente_id: int
    kind: AgreementKind
    kind_label: str
    title: str
    status: Status
    status_label: str
    partners: list[PartnerRef]
    sectors: list[str]
    description: str
    published: bool
    confidentiality: Confidentiality
    approval_body: ApprovalBody | None
    approval_number: str
    approval_date: datetime.date | None
    signed_on: datetime.date | None
    signed_precision: DatePrecision
    signed_place: str
    start_date: datetime.date | None
    start_precision: DatePrecision
    end_date: datetime.date | None
    renewal_date: datetime.date | None
    last_activity_on: datetime.date | None
    confidence: AgreementConfidence
    source: str
    allowed_transitions: list[Status] = Field(
        description="Gli stati a cui l'utente può portare l'accordo ora."
    )
    version: int


class AgreementPage(Page):
    items: list[AgreementOut]


class AgreementFilters(PageQuery):
    q: SearchText | None = None
    kind: AgreementKind | None = None
    status: Status | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    sector: SectorCode | None = None
    expiring: bool = Field(
        False, description="Solo quelli che finiscono o vanno rinnovati entro 90 giorni."
    )
    dormant: bool = Field(False, description="Solo i legami dormienti.")
    ente_id: QueryId | None = Field(
        None, description="Solo quelli di questo ente (per chi lavora per più enti)."
    )


class TransitionIn(InSchema):
    target: Status
    note: LongText = ""
    approval_body: ApprovalBody | None = None
    approval_number: Line40 = ""
    approval_date: IsoDate | None = None
    signed_on: IsoDate | None = None
    signed_place: Line200 = ""
    renewal_date: IsoDate | None = None


class SignatoryIn(InSchema):
    side: SignatorySide
    person_id: Id | None = None
    name: Line200 = ""
    role: Line200 = ""


class SignatoryOut(Schema):
    id: int
    side: SignatorySide
    person_id: int | None
    position_id: int | None
    name: str
    role: str


class CommitmentIn(InSchema):
    description: Line500
    owner_id: Id
    party_id: Id | None = Field(None, description="Il partner che si impegna; vuoto se è l'ente.")
    due_date: IsoDate | None = None
    status: CommitmentStatus = CommitmentStatus.APERTO


class CommitmentPatch(PatchSchema):
    version: Version
    description: Line500 | None = None
    owner_id: Id | None = None
    party_id: Id | None = None
    due_date: IsoDate | None = None
    status: CommitmentStatus | None = None


class CommitmentOut(Schema):
    id: int
    agreement_id: int
    description: str
    owner_id: int
    owner: str
    party_id: int | None
    due_date: datetime.date | None
    status: CommitmentStatus
    version: int


class DocumentOut(Schema):
    id: int
    title: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime
    download_url: str


class DueItemOut(Schema):
    kind: str
    kind_label: str
    title: str
    day: datetime.date | None
    year: int | None
    url: str
    overdue: bool
