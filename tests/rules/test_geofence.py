"""The accuracy-aware geofence against an independent geodesic (pyproj's Geod, WGS84)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod

from govem.rules.geofence import (
    Area,
    Point,
    Policy,
    Verdict,
    distance_to_area_m,
    evaluate,
    geodesic_distance_m,
    polygon_distance_m,
)

GEOD = Geod(ellps="WGS84")
POLICY = Policy(accuracy_cap_m=50.0, accuracy_max_m=100.0)
RANK = {Verdict.ACCEPTED: 0, Verdict.FLAGGED: 1, Verdict.REJECTED: 2}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

latitudes = st.floats(min_value=-70, max_value=70, allow_nan=False)
longitudes = st.floats(min_value=-179.9, max_value=179.9, allow_nan=False)
bearings = st.floats(min_value=0, max_value=360, exclude_max=True, allow_nan=False)
distances = st.floats(min_value=0, max_value=10_000, allow_nan=False)


def moved(origin: Point, bearing: float, distance: float) -> Point:
    lon, lat, _ = GEOD.fwd(origin.longitude, origin.latitude, bearing, distance)
    return Point(lat, lon)


def pyproj_distance(a: Point, b: Point) -> float:
    return float(GEOD.inv(a.longitude, a.latitude, b.longitude, b.latitude)[2])


def office(centre: Point, radius: float = 100.0) -> Area:
    return Area(id=1, name="Kantor Diskominfo", centre=centre, radius_m=radius)


def star_polygon(centre: Point, radii: list[float], turn: float) -> tuple[Point, ...]:
    """A simple polygon: vertices at evenly spaced bearings, each at its own distance."""
    step = 360 / len(radii)
    return tuple(moved(centre, turn + i * step, r) for i, r in enumerate(radii))


def brute_force_edge_distance(point: Point, polygon: tuple[Point, ...]) -> float:
    """Nearest of many points sampled along each geodesic edge, ~0.2 m apart."""
    best = math.inf
    for index, end in enumerate(polygon):
        start = polygon[index - 1]
        length = pyproj_distance(start, end)
        samples = max(1, int(length / 0.2))
        inner = GEOD.npts(start.longitude, start.latitude, end.longitude, end.latitude, samples)
        for lon, lat in [(start.longitude, start.latitude), *inner]:
            best = min(best, pyproj_distance(point, Point(lat, lon)))
    return best


@FAST
@given(latitudes, longitudes, bearings, distances)
def test_it_measures_distance_like_an_independent_geodesic(
    lat: float, lon: float, bearing: float, distance: float
) -> None:
    centre = Point(lat, lon)
    point = moved(centre, bearing, distance)
    ours = geodesic_distance_m(point, centre)
    assert ours == pytest.approx(pyproj_distance(point, centre), abs=0.5)
    assert ours == pytest.approx(distance, abs=0.5)


def test_it_knows_a_degree_of_longitude_at_the_equator() -> None:
    # WGS84 equatorial radius 6 378 137 m → one degree is 111 319.49 m along the equator.
    assert geodesic_distance_m(Point(0, 115), Point(0, 116)) == pytest.approx(111_319.49, abs=0.1)


polygon_radii = st.lists(st.floats(min_value=30, max_value=300), min_size=3, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    latitudes,
    longitudes,
    polygon_radii,
    bearings,
    st.floats(min_value=0, max_value=0.95),
    bearings,
)
def test_it_puts_a_point_inside_a_polygon_at_distance_zero(
    lat: float,
    lon: float,
    radii: list[float],
    turn: float,
    fraction: float,
    bearing: float,
) -> None:
    centre = Point(lat, lon)
    polygon = star_polygon(centre, radii, turn)
    # The inscribed distance of a star polygon: no edge comes closer than this.
    safe = min(radii) * math.cos(math.pi / len(radii)) * 0.95
    point = moved(centre, bearing, fraction * safe)
    assert polygon_distance_m(point, polygon) == 0.0
    area = Area(2, "Kompleks Perkantoran", centre, 0.0, polygon)
    assert evaluate(point, 30.0, (area,), POLICY).verdict is Verdict.ACCEPTED


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    latitudes,
    longitudes,
    polygon_radii,
    bearings,
    st.floats(min_value=1, max_value=2_000),
    bearings,
)
def test_it_measures_an_outside_point_to_the_nearest_polygon_edge(
    lat: float,
    lon: float,
    radii: list[float],
    turn: float,
    beyond: float,
    bearing: float,
) -> None:
    centre = Point(lat, lon)
    polygon = star_polygon(centre, radii, turn)
    point = moved(centre, bearing, max(radii) + beyond)
    expected = brute_force_edge_distance(point, polygon)
    assert expected > 0
    assert polygon_distance_m(point, polygon) == pytest.approx(expected, abs=0.5)


def test_it_measures_a_square_office_compound_to_its_edge() -> None:
    centre = Point(-2.9395, 115.1613)
    corners = tuple(moved(centre, b, 100 * math.sqrt(2)) for b in (45, 135, 225, 315))
    area = Area(3, "Kompleks Perkantoran Rantau", centre, 0.0, corners)
    east_of_edge = moved(centre, 90, 130)
    assert distance_to_area_m(east_of_edge, area) == pytest.approx(30, abs=0.5)
    assert distance_to_area_m(centre, area) == 0.0


@pytest.mark.parametrize(
    ("outside_edge", "accuracy", "verdict"),
    [(-10, 10, Verdict.ACCEPTED), (40, 10, Verdict.REJECTED), (40, 45, Verdict.FLAGGED)],
)
def test_it_takes_a_polygons_edge_as_the_boundary_whatever_radius_is_stored(
    outside_edge: float, accuracy: float, verdict: Verdict
) -> None:
    centre = Point(-2.9395, 115.1613)
    corners = tuple(moved(centre, b, 100 * math.sqrt(2)) for b in (45, 135, 225, 315))
    # A location keeps its (default) 100 m radius when a polygon is drawn; it must not
    # widen the polygon by 100 m, or the server accepts what the page shows as outside.
    area = Area(3, "Kompleks Perkantoran Rantau", centre, 100.0, corners)
    result = evaluate(moved(centre, 90, 100 + outside_edge), accuracy, (area,), POLICY)
    assert result.verdict is verdict


@FAST
@given(
    latitudes,
    longitudes,
    bearings,
    st.floats(min_value=20, max_value=500),
    st.floats(min_value=0, max_value=100),
    st.lists(st.floats(min_value=0, max_value=3_000), min_size=2, max_size=12),
)
def test_it_never_improves_the_verdict_as_the_point_moves_away(
    lat: float,
    lon: float,
    bearing: float,
    radius: float,
    accuracy: float,
    steps: list[float],
) -> None:
    area = office(Point(lat, lon), radius)
    ranks = []
    for distance in sorted(steps):
        result = evaluate(moved(area.centre, bearing, distance), accuracy, (area,), POLICY)
        ranks.append(RANK[result.verdict])
    assert ranks == sorted(ranks)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    latitudes,
    longitudes,
    polygon_radii,
    bearings,
    bearings,
    st.floats(min_value=0, max_value=100),
)
def test_it_never_improves_a_polygon_verdict_as_the_point_moves_away(
    lat: float, lon: float, radii: list[float], turn: float, bearing: float, accuracy: float
) -> None:
    centre = Point(lat, lon)
    area = Area(4, "Kompleks", centre, 0.0, star_polygon(centre, radii, turn))
    ranks = [
        RANK[evaluate(moved(centre, bearing, d), accuracy, (area,), POLICY).verdict]
        for d in range(0, 1_000, 10)
    ]
    assert ranks == sorted(ranks)


@FAST
@given(
    latitudes,
    longitudes,
    bearings,
    st.floats(min_value=0, max_value=10_000),
    st.floats(min_value=0, max_value=100),
)
def test_it_judges_by_distance_radius_and_capped_accuracy(
    lat: float, lon: float, bearing: float, distance: float, accuracy: float
) -> None:
    area = office(Point(lat, lon), 100.0)
    point = moved(area.centre, bearing, distance)
    d = pyproj_distance(point, area.centre)
    # Stay clear of the thresholds, where 1e-9 m of float noise could tip the result.
    assume(abs(d - 100) > 1e-3 and abs(d - min(accuracy, 50) - 100) > 1e-3)
    result = evaluate(point, accuracy, (area,), POLICY)
    if d <= 100:
        assert (result.verdict, result.code) == (Verdict.ACCEPTED, None)
    elif d - min(accuracy, 50) <= 100:
        assert (result.verdict, result.code) == (Verdict.FLAGGED, "borderline_location")
        assert result.flags == ("borderline_location",)
    else:
        assert (result.verdict, result.code) == (Verdict.REJECTED, "outside_geofence")
    assert result.distance_m == pytest.approx(d, abs=0.5)
    assert result.area == area


@pytest.mark.parametrize(
    ("beyond_radius", "accuracy", "verdict", "code"),
    [
        (-1, 80, Verdict.ACCEPTED, None),
        (45, 30, Verdict.REJECTED, "outside_geofence"),  # 45 − 30 > 0
        (25, 30, Verdict.FLAGGED, "borderline_location"),
        (45, 80, Verdict.FLAGGED, "borderline_location"),  # 80 is capped to 50
        (60, 80, Verdict.REJECTED, "outside_geofence"),  # a poor fix never buys > 50 m
        (60, 100, Verdict.REJECTED, "outside_geofence"),
    ],
)
def test_it_gives_the_benefit_of_the_doubt_only_up_to_the_accuracy_cap(
    beyond_radius: float, accuracy: float, verdict: Verdict, code: str | None
) -> None:
    area = office(Point(-2.9395, 115.1613), 100.0)
    point = moved(area.centre, 30, 100 + beyond_radius)
    result = evaluate(point, accuracy, (area,), POLICY)
    assert (result.verdict, result.code) == (verdict, code)


@pytest.mark.parametrize(
    ("accuracy", "code"), [(100.0, None), (100.01, "accuracy_too_low"), (5_000, "accuracy_too_low")]
)
def test_it_refuses_a_fix_worse_than_the_accuracy_limit(accuracy: float, code: str | None) -> None:
    area = office(Point(-2.9395, 115.1613))
    result = evaluate(area.centre, accuracy, (area,), POLICY)
    assert result.code == code
    if code:
        assert result.verdict is Verdict.REJECTED
        # The nearest location is still named, so the message can say where the office is.
        assert result.area == area and result.distance_m == 0.0


def test_it_matches_the_nearest_of_several_locations() -> None:
    main = Area(1, "Kantor Bupati", Point(-2.9395, 115.1613), 100)
    second = Area(2, "Kantor Camat Tapin Utara", Point(-2.9000, 115.1700), 100)
    near_second = moved(second.centre, 200, 40)
    result = evaluate(near_second, 10, (main, second), POLICY)
    assert result.verdict is Verdict.ACCEPTED and result.area == second
    far = moved(main.centre, 180, 2_000)
    refused = evaluate(far, 10, (main, second), POLICY)
    assert refused.code == "outside_geofence" and refused.area == main


def test_it_refuses_when_no_location_is_allowed() -> None:
    result = evaluate(Point(-2.9, 115.2), 10, (), POLICY)
    assert (result.verdict, result.code, result.area) == (Verdict.REJECTED, "no_location", None)
