"""The shapes of the office API: users, their places in the enti, tokens, enti."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field, StrictBool, StringConstraints

from ponti.core.confidentiality import Confidentiality
from ponti.core.models import EnteKind
from ponti.core.roles import Role
from ponti.partners.schemas import (
    Country,
    CountryCode,
    Email,
    Id,
    InSchema,
    Line120,
    PageQuery,
    PatchSchema,
    Required200,
    Version,
    _required_text,
)

Username = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=150, pattern=r"^[\w.@+-]+$"),
    AfterValidator(_required_text),
    Field(description="Lettere, cifre e @ . + - _"),
]
PersonName = Annotated[str, StringConstraints(strict=True, max_length=150)]


class PlaceOut(Schema):
    ente_id: int
    ente: str
    role: Role
    role_label: str
    clearance: Confidentiality


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    state: str = Field(description="active, expired o revoked")


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    is_active: bool
    has_password: bool = Field(description="Falso finché l'utente non sceglie la password.")
    last_login: datetime.datetime | None
    date_joined: datetime.datetime
    version: int
    places: list[PlaceOut] = Field(description="I ruoli negli enti che chi legge amministra.")
    active_tokens: int


class UserPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UserOut]


class UserFilters(PageQuery):
    q: Annotated[str, StringConstraints(max_length=100)] | None = None
    ente_id: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None
    role: Role | None = None
    is_active: bool | None = None


class UserIn(InSchema):
    username: Username
    first_name: PersonName = ""
    last_name: PersonName = ""
    email: Email = ""
    ente_id: Id
    role: Role
    clearance: Confidentiality | None = Field(
        None, description="Vuoto: quello del ruolo; mai oltre quello del ruolo."
    )
    invite: StrictBool = Field(
        True, description="Invia per e-mail il collegamento per la password."
    )


class UserPatch(PatchSchema):
    version: Version
    first_name: PersonName | None = None
    last_name: PersonName | None = None
    email: Email | None = None
    is_active: StrictBool | None = Field(
        None, description="Falso: disattiva l'utente e chiude sessioni e token."
    )


class PlaceIn(InSchema):
    role: Role
    clearance: Confidentiality | None = None


class EnteOut(Schema):
    id: int
    name: str
    short_name: str
    kind: EnteKind
    kind_label: str
    parent_id: int | None
    city: str
    country: str
    organisation_id: int | None = Field(description="La sua scheda nel registro dei partner.")
    version: int


class EnteIn(InSchema):
    name: Required200
    short_name: Annotated[str, StringConstraints(strict=True, max_length=80)] = ""
    kind: EnteKind
    parent_id: Id | None = Field(
        None, description="Un ente che amministri; vuoto solo per chi gestisce l'installazione."
    )
    city: Line120 = ""
    country: CountryCode = Country("IT")
    organisation_id: Id | None = Field(
        None, description="Un'organizzazione del registro che diventa la sua scheda pubblica."
    )


class EntePatch(PatchSchema):
    version: Version
    name: Required200 | None = None
    short_name: Annotated[str, StringConstraints(strict=True, max_length=80)] | None = None
    kind: EnteKind | None = None
    parent_id: Id | None = None
    city: Line120 | None = None
    country: CountryCode | None = None
