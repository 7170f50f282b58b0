"""Indicators of an objective: listed and added under it, read, changed and deleted by their own
id; a year's target and actual set with PUT; the metrics apps register to compute actuals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from ponti.core.permissions import require
from ponti.partners.schemas import QueryId

from .. import services
from ..models import Indicator, IndicatorValue
from ..registry import get_metric, metrics
from ..schemas import (
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    IndicatorValueIn,
    MetricOut,
    QueryYear,
)
from .common import (
    AUTH,
    CREATE_UNDER,
    READ,
    UPDATE_VERSIONED,
    api_errors,
    indicator_for,
    money,
    objective_for,
    router,
    stale,
    user_of,
)


def indicator_out(i: Indicator) -> dict[str, Any]:
    metric = get_metric(i.metric) if i.metric else None
    return {
        "id": i.pk,
        "objective_id": i.objective_id,
        "name": i.name,
        "unit": i.unit,
        "direction": i.direction,
        "direction_label": i.get_direction_display(),
        "baseline": money(i.baseline),
        "baseline_year": i.baseline_year,
        "metric": i.metric,
        "metric_label": str(metric.label) if metric else None,
        "example": i.example,
        "position": i.position,
        "years": [
            {
                "year": row.year,
                "target": money(row.target),
                "actual": money(row.actual),
                "source": row.source,
                "computed": row.computed,
                "achieved": services.achieved(i, row),
            }
            for row in services.indicator_years(i)
        ],
        "version": i.version,
        "created_at": i.created_at,
        "updated_at": i.updated_at,
    }


def _check_metric(data: dict[str, Any]) -> None:
    code = data.get("metric")
    if code and get_metric(code) is None:
        raise ValidationError(
            {
                "metric": [
                    _("Nessuna metrica «%(code)s»: vedi GET /planning/metrics.") % {"code": code}
                ]
            }
        )


@router.get("/planning/metrics", response={200: list[MetricOut], **AUTH})
def list_metrics(request: HttpRequest) -> Any:
    """The metrics the apps register: an indicator with one has its actual counted by Ponti."""
    require(user_of(request), "view", Indicator)
    return [
        {
            "code": m.code,
            "label": str(m.label),
            "unit": str(m.unit),
            "description": str(m.description),
        }
        for m in metrics().values()
    ]


@router.get("/objectives/{objective_id}/indicators", response={200: list[IndicatorOut], **READ})
def list_indicators(request: HttpRequest, objective_id: QueryId) -> Any:
    """The objective's indicators, each with its target and actual per year of the horizon."""
    user = user_of(request)
    objective = objective_for(user, objective_id)
    require(user, "view", Indicator)
    return [
        indicator_out(i)
        for i in objective.indicators.select_related("objective").prefetch_related("values")
    ]


@router.post("/objectives/{objective_id}/indicators", response={201: IndicatorOut, **CREATE_UNDER})
def create_indicator(request: HttpRequest, objective_id: QueryId, payload: IndicatorIn) -> Any:
    """An indicator: entered by hand (targets and actuals with their source) or computed by a metric."""
    user = user_of(request)
    objective = objective_for(user, objective_id)
    require(user, "add", Indicator)
    data = payload.dict()
    _check_metric(data)
    indicator = Indicator(objective=objective, **data)
    with api_errors():
        services.save(indicator, user=user)
    return Status(201, indicator_out(indicator))


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, **READ})
def get_indicator(request: HttpRequest, indicator_id: QueryId) -> Any:
    """The indicator with, per year: target, actual (computed by its metric if it has one), source, achieved."""
    return indicator_out(indicator_for(user_of(request), indicator_id))


@router.patch("/indicators/{indicator_id}", response={200: IndicatorOut, **UPDATE_VERSIONED})
def update_indicator(request: HttpRequest, indicator_id: QueryId, payload: IndicatorPatch) -> Any:
    """Change only the fields sent; `version` is the one you read (409 if someone saved since)."""
    user = user_of(request)
    indicator = indicator_for(user, indicator_id, "change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    stale(indicator, version)
    for key in ("name", "unit", "direction", "metric", "example", "position"):
        if key in data and data[key] is None:
            raise ValidationError({key: [_("Questo campo non può essere nullo.")]})
    _check_metric(data)
    if data.get("metric") and indicator.values.exclude(actual=None).exists():
        raise ValidationError(
            {
                "metric": [
                    _(
                        "L'indicatore ha valori effettivi inseriti a mano: cancellali prima di scegliere un calcolo automatico."
                    )
                ]
            }
        )
    for key, value in data.items():
        setattr(indicator, key, value)
    with api_errors():
        services.save(indicator, user=user, expected_version=version)
    return indicator_out(indicator)


@router.delete("/indicators/{indicator_id}", response={204: None, **READ})
def delete_indicator(request: HttpRequest, indicator_id: QueryId) -> Any:
    """Delete the indicator with its values."""
    user = user_of(request)
    services.delete(indicator_for(user, indicator_id, "delete"), user=user)
    return Status(204, None)


@router.put(
    "/indicators/{indicator_id}/values/{year}", response={200: IndicatorOut, **UPDATE_VERSIONED}
)
def set_indicator_value(
    request: HttpRequest, indicator_id: QueryId, year: QueryYear, payload: IndicatorValueIn
) -> Any:
    """A year's target and, for an indicator entered by hand, its actual with the source."""
    user = user_of(request)
    indicator = indicator_for(user, indicator_id, "change")
    require(user, "change", IndicatorValue)
    if payload.version is None and indicator.values.filter(year=year).exists():
        raise ValidationError(
            {"version": [_("L'anno ha già valori: indica la versione dell'indicatore letta.")]}
        )
    if payload.version is not None:
        stale(indicator, payload.version)
    with api_errors():
        services.set_indicator_value(
            indicator,
            year=year,
            user=user,
            target=payload.target,
            actual=payload.actual,
            source=payload.source,
            expected_version=payload.version,
        )
    indicator.refresh_from_db()
    return indicator_out(indicator)
