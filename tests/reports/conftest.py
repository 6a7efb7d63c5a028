"""A closed Monday (2 Nov 2026) in a small regency, with punches at known places."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govem.attendance.days import recompute_days
from govem.attendance.models import Punch
from govem.people.models import Employee, WorkLocation
from tests.ledger.conftest import MONDAY
from tests.monitor.regency import build_regency

WITA = ZoneInfo("Asia/Makassar")


def punch(
    employee: Employee,
    day: date,
    hh: int,
    mm: int,
    kind: str,
    location: WorkLocation | None,
    distance: float | None,
) -> Punch:
    return Punch.objects.create(
        employee=employee,
        kind=kind,
        server_time=datetime(day.year, day.month, day.day, hh, mm, tzinfo=WITA),
        local_date=day,
        time_zone="Asia/Makassar",
        verdict=Punch.Verdict.ACCEPTED,
        source=Punch.Source.APP,
        location=location,
        distance_m=distance,
    )


def closed_monday(unit: Any, office: Any, employee: Any, colleague: Any) -> Any:
    """Rahmat on time (07:25 in, 16:03 out), Siti late 42 min, no check-out; others TK."""
    built = build_regency(unit, office, employee, colleague)
    punch(employee, MONDAY, 7, 25, "in", office, 12.4)
    punch(employee, MONDAY, 16, 3, "out", office, 30.6)
    punch(colleague, MONDAY, 8, 12, "in", office, 48.0)
    recompute_days(None, MONDAY, MONDAY)
    return built


@pytest.fixture
def regency(unit: Any, office: Any, employee: Any, colleague: Any, december: Any) -> Any:
    """The reports' regency is the closed Monday (it replaces the shared one here)."""
    return closed_monday(unit, office, employee, colleague)
