"""Rebuild world-110m.path from Natural Earth 110m countries (world-atlas, TopoJSON).

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python ponti/reports/data/build_world_svg.py /tmp/package/countries-110m.json

Writes SVG path data in equirectangular degrees (x = longitude, y = -latitude), rounded to
0.1°, one subpath per ring. Not imported by the application.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text())
    arcs = decode_arcs(topo)
    parts = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for indexes in polygon:
                pts = ring(arcs, indexes)
                simplified: list[tuple[float, float]] = []
                for x, y in pts:
                    p = (round(x, 1), round(-y, 1))
                    if not simplified or simplified[-1] != p:
                        simplified.append(p)
                if len(simplified) < 3:
                    continue
                head, *rest = simplified
                parts.append(
                    f"M{head[0]:g} {head[1]:g}" + "".join(f"L{x:g} {y:g}" for x, y in rest) + "Z"
                )
    out = Path(__file__).with_name("world-110m.path")
    out.write_text("".join(parts) + "\n")
    print(f"{out}: {len(parts)} rings, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
