"""A closed week of November 2026 (Mon 2 – Fri 6) and helpers to lay punches on it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from govem.attendance.models import Punch
from govem.people.models import Employee

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 2)


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
