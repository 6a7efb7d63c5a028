"""A closed week of November 2026 (Mon 2 – Fri 6) and helpers to lay punches on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govem.attendance.models import Punch
from govem.people.models import Employee

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 2)
# Mid-December, 12:00 WITA: all of November has closed.
LATER = datetime(2026, 12, 15, 4, 0, tzinfo=UTC)


@pytest.fixture
def december() -> Iterator[Any]:
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
