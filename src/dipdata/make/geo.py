"""Country shapes for the map: Natural Earth's 1:110m countries, as TopoJSON from the
`world-atlas` package (version 2.0.2), vendored in `data/` with its licence, projected in
Python with the Natural Earth projection. No network, no JavaScript.

Natural Earth is in the public domain; world-atlas is ISC-licensed (data/world-atlas-LICENSE).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

TOPOLOGY = "countries-110m.json"
WIDTH = 960.0
#: The projection's extent at scale 1 (x of the antimeridian, y of the poles), from the
#: formulas below; the map is scaled so that the world fills WIDTH.
_X_MAX = math.pi * 0.8707
_Y_MAX = (math.pi / 2) * (1.007226 + (math.pi / 2) ** 2 * (0.015085 + (math.pi / 2) ** 4 * (
    -0.044475 + 0.028874 * (math.pi / 2) ** 2 - 0.005916 * (math.pi / 2) ** 4)))
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE, 1)


@dataclass(frozen=True)
class Country:
    """A country's shape: ISO 3166-1 alpha-2 code (None where it has none), its name, the
    SVG path of its outline, and a point inside its largest ring for a marker."""

    code: str | None
    name: str
    path: str
    centre: tuple[float, float]


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """The Natural Earth projection (Šavrič et al. 2011) into SVG coordinates."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (
        0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2
                                                     - 0.005916 * phi4)))
    return (x + _X_MAX) * SCALE, (_Y_MAX - y) * SCALE


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (longitude, latitude), delta-decoded."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for step in arc:
            x, y = x + step[0], y + step[1]
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrapped(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian, made continuous (longitudes beyond 180) and
    drawn twice, once on each side; the map clips both to the sphere."""
    points = [ring[0]]
    for lon, lat in ring[1:]:
        previous = points[-1][0]
        while lon - previous > 180:
            lon -= 360
        while previous - lon > 180:
            lon += 360
        points.append((lon, lat))
    low, high = min(p[0] for p in points), max(p[0] for p in points)
    if high > 180:
        return [points, [(lon - 360, lat) for lon, lat in points]]
    if low < -180:
        return [points, [(lon + 360, lat) for lon, lat in points]]
    return [points]


def _area_and_centre(ring: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    """Absolute area and centroid of a projected ring (the shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, ring[0]
    return abs(area / 2), (cx / (3 * area), cy / (3 * area))


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        points = [f"{x:.1f},{y:.1f}" for x, y in ring]
        kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        parts.append("M" + "L".join(kept) + "Z")
    return "".join(parts)


@functools.cache
def countries() -> tuple[Country, ...]:
    """Every country of the topology, projected, in the topology's order."""
    import pycountry

    topology = json.loads(resources.files("dipdata").joinpath("data").joinpath(TOPOLOGY).read_bytes())
    arcs = _arcs(topology)
    found = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [geometry.get("arcs", [])],
                    "MultiPolygon": geometry.get("arcs", [])}.get(geometry["type"], [])
        rings = [[project(lon, lat) for lon, lat in copy]
                 for polygon in polygons for ring in polygon
                 for copy in _unwrapped(_ring(ring, arcs))]
        rings = [ring for ring in rings if len(ring) > 2]
        if not rings:
            continue
        match = pycountry.countries.get(numeric=geometry["id"]) if geometry.get("id") else None
        outer = [_area_and_centre(ring) for polygon in polygons
                 for ring in [[project(lon, lat) for lon, lat in
                               _unwrapped(_ring(polygon[0], arcs))[0]]]]
        centre = max(outer)[1] if outer else rings[0][0]
        found.append(Country(match.alpha_2 if match else None, geometry["properties"]["name"],
                             _path(rings), (round(centre[0], 1), round(centre[1], 1))))
    return tuple(found)
