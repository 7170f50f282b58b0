"""Server-rendered SVG charts of an objective: the budget per year and each indicator's target and actual.

Pure functions (no request, no database beyond what the arguments hold). Each chart is an image with
a title and a description (`role="img"`, `aria-labelledby`); the two series differ by fill pattern and
carry their values as text, so nothing depends on colour. The page follows every chart with a data
table holding the same numbers. Every text placed in the SVG is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ponti.core.money import format_number

from .models import Indicator, Side
from .services import IndicatorYear, Totals

# Colours on white: text #1a1a1a (17:1), axes #5c6f82 (5.2:1), bars #0066cc (5.6:1) and #003366 hatch.
TEXT = "#1a1a1a"
AXIS = "#5c6f82"
SOLID = "#0066cc"
HATCH = "#003366"
WIDTH_PER_GROUP = 180
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 56, 44
PLOT_HEIGHT = 220
TICKS = 5


@dataclass
class Series:
    label: str
    values: list[Decimal | None]
    hatched: bool


def _number(value: Decimal | None, places: int | None = None) -> str:
    if value is None:
        return _("n.d.")
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    return format_number(value, places)


def _fill(chart_id: str, hatched: bool) -> str:
    return format_html("url(#{}-hatch)", chart_id) if hatched else SOLID


def _f(value: float) -> str:
    return f"{value:.1f}"


def _nice_max(value: Decimal) -> Decimal:
    """The top of the axis: 1, 2.5, 5 or 10 times a power of ten at or above `value`, so that
    each of the five ticks is a whole number (a count never shows "1,60")."""
    if value <= 0:
        return Decimal(5)
    exponent = len(str(int(value))) - 1
    base = Decimal(10) ** exponent
    steps = (
        (Decimal(5), Decimal(10))
        if exponent == 0
        else (Decimal(1), Decimal("2.5"), Decimal(5), Decimal(10))
    )
    return next(step * base for step in steps if value <= step * base)


def _grouped_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[str],
    series: Sequence[Series],
    axis_label: str,
    unit_suffix: str,
    label_places: int | None,
) -> SafeString:
    count = len(groups)
    width = LEFT + RIGHT + max(count, 2) * WIDTH_PER_GROUP
    height = TOP + PLOT_HEIGHT + BOTTOM
    present = [v for s in series for v in s.values if v is not None]
    peak = max([*present, Decimal(0)])
    floor = min([*present, Decimal(0)])
    top = _nice_max(peak)
    bottom = -_nice_max(-floor) if floor < 0 else Decimal(0)
    span = top - bottom

    def y(value: Decimal) -> float:
        return float(TOP + PLOT_HEIGHT - (value - bottom) / span * PLOT_HEIGHT)

    parts: list[str] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="ponti-chart" role="img" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" aria-labelledby="{id}-title {id}-desc" '
            'font-family="Titillium Web, Geneva, Tahoma, sans-serif">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
            '<defs><pattern id="{id}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
            'patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
            '<line x1="0" y1="0" x2="0" y2="8" stroke="{hatch}" stroke-width="4"/></pattern></defs>'
            '<rect width="{w}" height="{h}" fill="#ffffff"/>',
            w=width,
            h=height,
            id=chart_id,
            title=title,
            desc=description,
            hatch=HATCH,
        )
    ]
    # Legend: a swatch with the series' fill and its name.
    x = LEFT
    for s in series:
        parts.append(
            format_html(
                '<rect x="{x}" y="12" width="16" height="16" fill="{fill}" stroke="{stroke}"/>'
                '<text x="{tx}" y="25" fill="{text}" font-size="14">{label}</text>',
                x=x,
                fill=_fill(chart_id, s.hatched),
                stroke=HATCH,
                tx=x + 22,
                text=TEXT,
                label=s.label,
            )
        )
        x += 34 + 8 * len(s.label)
    # Axis: five steps with Italian numbers, and the axis name.
    for i in range(TICKS + 1):
        tick = bottom + span * i / TICKS
        parts.append(
            format_html(
                '<line x1="{x1}" x2="{x2}" y1="{y}" y2="{y}" stroke="{axis}" stroke-width="{sw}" stroke-dasharray="{dash}"/>'
                '<text x="{tx}" y="{ty}" fill="{text}" font-size="12" text-anchor="end">{label}</text>',
                x1=LEFT,
                x2=width - RIGHT,
                y=f"{y(tick):.1f}",
                axis=AXIS,
                sw=1 if tick == 0 else 0.5,
                dash="none" if tick == 0 else "3 3",
                tx=LEFT - 6,
                ty=f"{y(tick) + 4:.1f}",
                text=TEXT,
                label=f"{format_number(tick, 0 if tick == tick.to_integral_value() else 2)}{unit_suffix}",
            )
        )
    parts.append(
        format_html(
            '<text x="14" y="{y}" fill="{text}" font-size="12" transform="rotate(-90 14 {y})" text-anchor="middle">{label}</text>',
            y=TOP + PLOT_HEIGHT / 2,
            text=TEXT,
            label=axis_label,
        )
    )
    # Bars, each with its value written above it.
    group_width = (width - LEFT - RIGHT) / max(count, 1)
    bar_width = min(60.0, (group_width - 24) / max(len(series), 1))
    zero = y(Decimal(0))
    for g, group in enumerate(groups):
        start = LEFT + g * group_width + (group_width - bar_width * len(series)) / 2
        for s_index, s in enumerate(series):
            value = s.values[g]
            bx = start + s_index * bar_width
            if value is not None and value != 0:
                top_y, bottom_y = sorted((y(value), zero))
                parts.append(
                    format_html(
                        '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}" stroke="{stroke}">'
                        "<title>{label}</title></rect>",
                        x=_f(bx + 2),
                        y=_f(top_y),
                        w=_f(bar_width - 4),
                        h=_f(max(bottom_y - top_y, 1.0)),
                        fill=_fill(chart_id, s.hatched),
                        stroke=HATCH,
                        label=f"{group} · {s.label}: {_number(value, label_places)}{unit_suffix}",
                    )
                )
            label_y = (y(value) if value is not None and value > 0 else zero) - 6
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" fill="{text}" font-size="11" text-anchor="middle">{label}</text>',
                    x=_f(bx + bar_width / 2),
                    y=_f(label_y),
                    text=TEXT,
                    label=_number(value, label_places),
                )
            )
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" fill="{text}" font-size="14" text-anchor="middle" font-weight="600">{label}</text>',
                x=_f(LEFT + g * group_width + group_width / 2),
                y=TOP + PLOT_HEIGHT + 24,
                text=TEXT,
                label=group,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html, texts escaped


def _empty(message: str) -> SafeString:
    return format_html('<p class="ponti-chart-empty fst-italic">{}</p>', message)


def budget_chart(totals: Totals, side: str, *, chart_id: str | None = None) -> SafeString:
    """Previsione against impegnato (spesa) or accertato (entrata), per year, as grouped bars."""
    chart_id = chart_id or f"chart-budget-{side}"
    per_year = totals.side(side)
    committed_label = _("Accertato") if side == Side.ENTRATA else _("Impegnato")
    side_label = _("Entrata") if side == Side.ENTRATA else _("Spesa")
    years = list(totals.years)
    forecast = [per_year[y].forecast if y in per_year else Decimal(0) for y in years]
    committed = [per_year[y].committed if y in per_year else Decimal(0) for y in years]
    if not years or not any(forecast + committed):
        return _empty(
            _("%(side)s: nessun importo registrato per questi anni, nessun grafico da mostrare.")
            % {"side": side_label}
        )
    title = _("%(side)s: previsione e %(committed)s per anno") % {
        "side": side_label,
        "committed": committed_label.lower(),
    }
    if totals.example:
        title = _("%(title)s (importi di esempio)") % {"title": title}
    description = "; ".join(
        _("%(year)s: previsione %(forecast)s euro, %(what)s %(committed)s euro")
        % {
            "year": year,
            "forecast": format_number(f),
            "what": committed_label.lower(),
            "committed": format_number(c),
        }
        for year, f, c in zip(years, forecast, committed, strict=True)
    )
    return _grouped_bars(
        chart_id=chart_id,
        title=title,
        description=description + ".",
        groups=[str(y) for y in years],
        series=[
            Series(_("Previsione"), list(forecast), False),
            Series(committed_label, list(committed), True),
        ],
        axis_label=_("euro"),
        unit_suffix=" €",
        label_places=None,
    )


def indicator_chart(
    indicator: Indicator, rows: Sequence[IndicatorYear], *, chart_id: str | None = None
) -> SafeString:
    """An indicator's target against its actual, per year, as grouped bars."""
    chart_id = chart_id or f"chart-indicator-{indicator.pk}"
    if not rows or all(r.target is None and r.actual is None for r in rows):
        return _empty(
            _("«%(name)s»: nessun valore atteso o effettivo ancora, nessun grafico da mostrare.")
            % {"name": indicator.name}
        )
    title = _("%(name)s: obiettivo atteso e valore effettivo per anno") % {"name": indicator.name}
    if indicator.example:
        title = _("%(title)s (valori di esempio)") % {"title": title}
    unit = indicator.unit or ""
    description = "; ".join(
        _("%(year)s: atteso %(target)s, effettivo %(actual)s")
        % {"year": r.year, "target": _number(r.target), "actual": _number(r.actual)}
        for r in rows
    )
    if unit:
        description = _("%(text)s (%(unit)s)") % {"text": description, "unit": unit}
    return _grouped_bars(
        chart_id=chart_id,
        title=title,
        description=description + ".",
        groups=[str(r.year) for r in rows],
        series=[
            Series(_("Atteso"), [r.target for r in rows], True),
            Series(_("Effettivo"), [r.actual for r in rows], False),
        ],
        axis_label=unit or _("valore"),
        unit_suffix="",
        label_places=None,
    )
