"""Accuracy-aware geofence (DESIGN §3).

``d`` is the geodesic (WGS84, Karney) distance from the reported point to a location:
for a circle the distance to its centre, for a polygon the distance to its edge (0 inside).
With reported accuracy ``a`` and the location's radius ``r`` (a polygon has ``r`` = 0):

- ``a > accuracy_max``            → rejected ``accuracy_too_low``
- ``d <= r``                      → accepted
- ``d - min(a, accuracy_cap) <= r`` → flagged ``borderline_location``
- otherwise                       → rejected ``outside_geofence``
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from geographiclib.geodesic import Geodesic

_WGS84 = Geodesic.WGS84


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    FLAGGED = "flagged"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Area:
    """An allowed work location: a circle, or a polygon when ``polygon`` is given."""

    id: int
    name: str
    centre: Point
    radius_m: float
    polygon: tuple[Point, ...] = ()


@dataclass(frozen=True, slots=True)
class Policy:
    accuracy_cap_m: float = 50.0
    accuracy_max_m: float = 100.0


@dataclass(frozen=True, slots=True)
class GeofenceResult:
    verdict: Verdict
    code: str | None
    area: Area | None
    distance_m: float | None
    accuracy_m: float

    @property
    def flags(self) -> tuple[str, ...]:
        return (self.code,) if self.verdict is Verdict.FLAGGED and self.code else ()


def geodesic_distance_m(a: Point, b: Point) -> float:
    result = _WGS84.Inverse(a.latitude, a.longitude, b.latitude, b.longitude, Geodesic.DISTANCE)
    return float(result["s12"])


def _local_xy(origin: Point, target: Point) -> tuple[float, float]:
    """Azimuthal equidistant coordinates (metres) of ``target`` seen from ``origin``."""
    result = _WGS84.Inverse(
        origin.latitude,
        origin.longitude,
        target.latitude,
        target.longitude,
        Geodesic.DISTANCE | Geodesic.AZIMUTH,
    )
    distance = float(result["s12"])
    azimuth = math.radians(float(result["azi1"]))
    return distance * math.sin(azimuth), distance * math.cos(azimuth)


def _distance_origin_to_segment(p: tuple[float, float], q: tuple[float, float]) -> float:
    px, py = p
    qx, qy = q
    dx, dy = qx - px, qy - py
    length_sq = dx * dx + dy * dy
    t = 0.0 if length_sq == 0 else max(0.0, min(1.0, -(px * dx + py * dy) / length_sq))
    return math.hypot(px + t * dx, py + t * dy)


def polygon_distance_m(point: Point, polygon: tuple[Point, ...]) -> float:
    """Distance from ``point`` to the polygon's edge, 0 when inside.

    Vertices are projected onto the point's azimuthal equidistant plane, in which
    distances from the point are exact; for building-sized polygons the error of
    treating edges as straight there is far below GPS accuracy.
    """
    vertices = [_local_xy(point, vertex) for vertex in polygon]
    inside = False
    nearest = math.inf
    for index, current in enumerate(vertices):
        previous = vertices[index - 1]
        nearest = min(nearest, _distance_origin_to_segment(previous, current))
        (x1, y1), (x2, y2) = previous, current
        if (y1 > 0) != (y2 > 0):
            crossing_x = x1 + (0 - y1) * (x2 - x1) / (y2 - y1)
            if crossing_x > 0:
                inside = not inside
    return 0.0 if inside else nearest


def distance_to_area_m(point: Point, area: Area) -> float:
    if len(area.polygon) >= 3:
        return polygon_distance_m(point, area.polygon)
    return geodesic_distance_m(point, area.centre)


def effective_radius_m(area: Area) -> float:
    """A circle's radius; 0 for a polygon, whose edge is the boundary (as the page shows it)."""
    return area.radius_m if len(area.polygon) < 3 else 0.0


def evaluate(
    point: Point, accuracy_m: float, areas: tuple[Area, ...], policy: Policy
) -> GeofenceResult:
    """Judge a reported position against the allowed areas; the best area wins."""
    best: tuple[float, float, Area] | None = None
    for area in areas:
        distance = distance_to_area_m(point, area)
        margin = distance - effective_radius_m(area)
        if best is None or margin < best[0]:
            best = (margin, distance, area)
    if accuracy_m > policy.accuracy_max_m:
        return GeofenceResult(
            Verdict.REJECTED,
            "accuracy_too_low",
            best[2] if best else None,
            best[1] if best else None,
            accuracy_m,
        )
    if best is None:
        return GeofenceResult(Verdict.REJECTED, "no_location", None, None, accuracy_m)
    margin, distance, area = best
    if margin <= 0:
        return GeofenceResult(Verdict.ACCEPTED, None, area, distance, accuracy_m)
    if margin - min(accuracy_m, policy.accuracy_cap_m) <= 0:
        return GeofenceResult(Verdict.FLAGGED, "borderline_location", area, distance, accuracy_m)
    return GeofenceResult(Verdict.REJECTED, "outside_geofence", area, distance, accuracy_m)
