"""Days and months laid out for the tests: punches at known times (``lay``, ``punch``), the
closed week of November 2026 (Mon 2 – Fri 6), the closed Monday of the reports, and November
2026 laid out for TPP (every workday on time except what a test asks for)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from govem.attendance.days import recompute_days
from govem.attendance.models import Punch
from govem.payroll.models import Pagu
from govem.people.models import Employee, WorkLocation
from tests.helpers.regency import Regency, build_regency

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 2)
NOVEMBER = date(2026, 11, 1)
NOVEMBER_END = date(2026, 11, 30)
TL2_DAYS = (date(2026, 11, 3), date(2026, 11, 10))
TK_DAY = date(2026, 11, 5)


def lay(
    employee: Employee,
    day: date,
    hh: int,
    mm: int,
    kind: str = "in",
    *,
    verdict: str = Punch.Verdict.ACCEPTED,
    zone: str = "Asia/Makassar",
) -> Punch:
    moment = datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo(zone))
    return Punch.objects.create(
        employee=employee,
        kind=kind,
        server_time=moment,
        local_date=day,
        time_zone=zone,
        verdict=verdict,
        source=Punch.Source.MANUAL,
    )


def lay_at(employee: Employee, day: date, at: time, kind: str) -> Punch:
    """An accepted manual punch at a WITA wall time to the second."""
    return Punch.objects.create(
        employee=employee,
        kind=kind,
        server_time=datetime.combine(day, at, tzinfo=WITA),
        local_date=day,
        time_zone="Asia/Makassar",
        verdict=Punch.Verdict.ACCEPTED,
        source=Punch.Source.MANUAL,
    )


def punch(
    employee: Employee,
    day: date,
    hh: int,
    mm: int,
    kind: str,
    location: WorkLocation | None,
    distance: float | None,
) -> Punch:
    """A punch from the app at a known place and distance."""
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


def closed_monday(unit: Any, office: Any, employee: Any, colleague: Any) -> Regency:
    """Rahmat on time (07:25 in, 16:03 out), Siti late 42 min, no check-out; others TK."""
    built = build_regency(unit, office, employee, colleague)
    punch(employee, MONDAY, 7, 25, "in", office, 12.4)
    punch(employee, MONDAY, 16, 3, "out", office, 30.6)
    punch(colleague, MONDAY, 8, 12, "in", office, 48.0)
    recompute_days(None, MONDAY, MONDAY)
    return built


def workdays(month: date = NOVEMBER) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    days = [month.replace(day=d) for d in range(1, last + 1)]
    return [day for day in days if day.weekday() < 5]


def lay_month(
    employee: Employee,
    *,
    late: Iterable[date] = (),
    late_at: tuple[int, int] = (8, 5),
    absent: Iterable[date] = (),
    month: date = NOVEMBER,
) -> None:
    """On time every workday (in 07:25, out after the end), late or absent on the dates given."""
    late, absent = set(late), set(absent)
    for day in workdays(month):
        if day in absent:
            continue
        hh, mm = late_at if day in late else (7, 25)
        lay(employee, day, hh, mm, "in")
        lay(employee, day, 16, 35, "out")
    recompute_days(
        [employee.pk], month, month.replace(day=calendar.monthrange(month.year, month.month)[1])
    )


def pagu(basis: str, key: str, amount: int, valid_from: date = date(2026, 1, 1)) -> Pagu:
    return Pagu.objects.create(basis=basis, key=key, amount=amount, valid_from=valid_from)
