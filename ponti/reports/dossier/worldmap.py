"""A small world map as inline SVG: Natural Earth 110m countries, a graticule, one point.

Equirectangular, in degrees (x = longitude, y = −latitude): no projection library, no tiles,
nothing fetched. The outlines are read once from ponti/reports/data/world-110m.path.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

DATA = Path(__file__).resolve().parent.parent / "data" / "world-110m.path"


@cache
def countries_path() -> str:
    try:
        return DATA.read_text().strip()
    except FileNotFoundError:  # the map still shows the graticule and the point
        return ""


@cache
def _graticule() -> str:
    lines = [f"M{lon} -90V90" for lon in range(-180, 181, 30)]
    lines += [f"M-180 {lat}H180" for lat in range(-90, 91, 30)]
    return "".join(lines)


def map_svg(latitude: float | None, longitude: float | None, *, title: str = "") -> SafeString:
    """The SVG element; the point is drawn only when both coordinates are known."""
    point = ""
    if latitude is not None and longitude is not None:
        x, y = max(-180.0, min(180.0, longitude)), -max(-90.0, min(90.0, latitude))
        point = format_html(
            '<circle cx="{}" cy="{}" r="5" fill="none" stroke="#c00" stroke-width="1.2"/>'
            '<circle cx="{}" cy="{}" r="1.8" fill="#c00"/>',
            f"{x:.2f}",
            f"{y:.2f}",
            f"{x:.2f}",
            f"{y:.2f}",
        )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -90 360 180" '
        'width="360" height="180" '
        f'role="img" aria-label="{escape(title or "map")}">'
        '<rect x="-180" y="-90" width="360" height="180" fill="#eef4fa"/>'
        f'<path d="{_graticule()}" fill="none" stroke="#b8c7d6" stroke-width="0.3"/>'
        f'<path d="{countries_path()}" fill="#d9d4c7" stroke="#8a8478" stroke-width="0.2"/>'
        f"{point}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - numbers and our own data only
