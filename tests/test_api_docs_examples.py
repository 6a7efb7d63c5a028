"""docs/api.md's examples use the demo regency's real place: the employee's office as
`govem demo` loads it, and a check-in point that the geofence accepts at the distance shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

from govem.people.demo import KEY_PEOPLE, LOCATIONS
from govem.rules.geofence import Point, geodesic_distance_m

API_MD = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def test_the_examples_check_in_at_the_demos_office() -> None:
    text = API_MD.read_text()
    me = re.search(r'"locations": \[(\{"id": \d+, "name": "[^"]+".*?\})\]', text, re.S)
    assert me is not None
    shown = json.loads(" ".join(me.group(1).split()))
    office = next(place for place in LOCATIONS if place.name == shown["name"])
    assert (shown["latitude"], shown["longitude"], shown["radius_m"]) == (
        round(office.latitude, 4),
        round(office.longitude, 4),
        office.radius_m,
    )
    employee = re.search(r'"name": "([^"]+)", "nip": "(\d{18})"', text)
    assert employee is not None
    assert any(
        nip == employee.group(2) and name == employee.group(1)
        for _r, _k, nip, name, *_ in KEY_PEOPLE
    )

    punch = re.search(r'"kind": "in", "latitude": (-?[\d.]+), "longitude": (-?[\d.]+)', text)
    answer = re.search(r'"distance_m": ([\d.]+), "accuracy_m": [\d.]+, "late_minutes"', text)
    assert punch is not None and answer is not None
    distance = geodesic_distance_m(
        Point(float(punch.group(1)), float(punch.group(2))),
        Point(office.latitude, office.longitude),
    )
    assert distance < office.radius_m
    assert abs(distance - float(answer.group(1))) < 0.5, distance
