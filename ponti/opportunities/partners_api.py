"""Partner matching and the CERV check as JSON, on the opportunities' router (api.py imports
this module): the same permission as reading the opportunity, the same functions as the page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from ponti.core.api import READ, UPDATE, user_of
from ponti.core.permissions import get_for_user
from ponti.partners.schemas import QueryId

from . import eligibility, matching, partners
from .api import router
from .models import Opportunity


class ReasonOut(Schema):
    code: str = Field(..., description="Tipo di motivo: sectors, agreement_in_force, …")
    text: str
    points: float


class PartnerMatchOut(Schema):
    id: int
    name: str
    country: str
    kind: str
    city: str
    score: float
    reasons: list[ReasonOut]


class PartnerRankingOut(Schema):
    eligible_countries: list[str]
    countries_from: str = Field(..., description="opportunity, cerv o vuoto (nessun vincolo).")
    excluded_by_country: int
    partners: list[PartnerMatchOut]


class RankingQuery(Schema):
    limit: int = Field(partners.SHOWN, ge=1, le=200)


class EligibilityIn(Schema):
    partner_ids: list[QueryId] = Field(..., max_length=partners.MAX_CHOSEN)


class RuleOut(Schema):
    code: str
    passed: bool
    text: str


class EligibilityOut(Schema):
    scheme: str = Field(..., description="TT (Town-Twinning) o NT (Networks of Towns).")
    scheme_name: str
    passed: bool
    rules: list[RuleOut]
    countries: list[str]
    counted: int
    associated_countries_as_of: str


@router.get("/opportunities/{opportunity_id}/partners", response={200: PartnerRankingOut, **READ})
def partner_ranking(
    request: HttpRequest, opportunity_id: QueryId, query: Query[RankingQuery]
) -> Any:
    """The partners to invite, best first, each with its score and the reasons."""
    user = user_of(request)
    opportunity, _editable = get_for_user(user, Opportunity, opportunity_id)
    ranking = matching.rank(opportunity, user, limit=query.limit)
    return {
        "eligible_countries": ranking.eligible_countries,
        "countries_from": ranking.source_of_countries,
        "excluded_by_country": ranking.excluded_by_country,
        "partners": [
            {
                "id": m.organisation_id,
                "name": m.name,
                "country": m.country,
                "kind": m.kind,
                "city": m.city,
                "score": m.score,
                "reasons": [vars(r) for r in m.reasons],
            }
            for m in ranking.matches
        ],
    }


@router.post(
    "/opportunities/{opportunity_id}/eligibility", response={200: EligibilityOut, **UPDATE}
)
def check_eligibility(request: HttpRequest, opportunity_id: QueryId, payload: EligibilityIn) -> Any:
    """The CERV Town-Twinning or Networks of Towns check for the partners given (the ente
    included), rule by rule. 422 when the opportunity is not such a call."""
    user = user_of(request)
    opportunity, _editable = get_for_user(user, Opportunity, opportunity_id)
    if eligibility.scheme_for(opportunity) is None:
        raise ValidationError(
            {
                "opportunity": [
                    _("La verifica vale solo per i bandi CERV Town-Twinning e Networks of Towns.")
                ]
            }
        )
    chosen = partners.chosen_partners(user, opportunity, payload.partner_ids)
    result = eligibility.check_opportunity(opportunity, chosen)
    assert result is not None
    return {
        "scheme": result.scheme.code,
        "scheme_name": result.scheme.name,
        "passed": result.passed,
        "rules": [vars(r) for r in result.rules],
        "countries": result.countries,
        "counted": result.counted,
        "associated_countries_as_of": eligibility.CERV_ASSOCIATED_COUNTRIES_AS_OF,
    }
