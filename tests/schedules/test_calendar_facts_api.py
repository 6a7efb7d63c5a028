"""The calendar facts of issue 13 through the employee's own API (/api/v1/days): one row per
case, each naming its source. The same punches, in at 07:45 and out at 15:05, give TL1 + PSW2
under normal hours and H on Ramadan hours; a cuti bersama is a day off, not TK.

Sources: sidang isbat Kementerian Agama 17-02-2026 (1 Ramadan 1447 H = Thu 19 Feb 2026) and
SKB 3 Menteri 2026 (1 Syawal = Sat 21 Mar 2026; cuti bersama 18, 20, 23, 24 Mar and 24 Dec
2026; Nyepi 19 Mar); Perpres 21/2023 art. 4(4) (Ramadan hours from 08.00 for every agency);
the seeded RAMADAN-6H (08.00–14.00, Friday 08.00–14.30, SE MenPAN-RB for 6-day agencies).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govem.attendance.days import recompute_days
from govem.people.models import Employee, Unit
from govem.schedules.models import ScheduleAssignment, UnitCalendar, WorkSchedule
from tests.conftest import ApiClient
from tests.helpers.days import lay_at as _punch

WITA = ZoneInfo("Asia/Makassar")
EARLY_JANUARY = datetime(2027, 1, 5, 4, 0, tzinfo=UTC)  # every case below has closed
pytestmark = pytest.mark.django_db


@pytest.fixture
def january() -> Iterator[Any]:
    with time_machine.travel(EARLY_JANUARY, tick=False) as traveller:
        yield traveller


def _day(phone: ApiClient, day: date) -> dict[str, Any]:
    body = phone.get("/api/v1/days", **{"from": day.isoformat(), "to": day.isoformat()}).json()
    assert len(body) == 1, body
    return dict(body[0])


FIVE_DAY = [
    # (source, date, punches (in, out) or None, own calendar, codes, schedule)
    ("isbat: the day before 1 Ramadan", date(2026, 2, 18), True, False,
     ["TL1", "PSW2"], "NASIONAL-5H"),
    ("isbat: 1 Ramadan 1447 H", date(2026, 2, 19), True, False,
     ["H"], "RAMADAN-5H (periode khusus)"),
    ("isbat: a Ramadan Tuesday", date(2026, 3, 17), True, False,
     ["H"], "RAMADAN-5H (periode khusus)"),
    ("SKB 2026: 18 Mar cuti bersama, no punch is no TK", date(2026, 3, 18), False, False,
     ["CB"], "KALENDER"),
    ("SKB 2026: 20 Mar cuti bersama", date(2026, 3, 20), False, False, ["CB"], "KALENDER"),
    # A unit with its own calendar works 20 Mar: still Ramadan (to 20 Mar), Friday to 15.30.
    ("isbat + SKB: 30 Ramadan for a unit that works it", date(2026, 3, 20), True, True,
     ["PSW1"], "RAMADAN-5H (periode khusus)"),
    ("SKB 2026: 23 Mar, after Syawal, normal hours again", date(2026, 3, 23), True, True,
     ["TL1", "PSW2"], "NASIONAL-5H"),
    ("SKB 2026: 24 Dec cuti bersama", date(2026, 12, 24), False, False, ["CB"], "KALENDER"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "day", "punched", "own_calendar", "codes", "schedule"), FIVE_DAY
)
def test_five_day_staff_in_0745_out_1505(
    january: Any,
    phone: ApiClient,
    employee: Employee,
    unit: Unit,
    source: str,
    day: date,
    punched: bool,
    own_calendar: bool,
    codes: list[str],
    schedule: str | None,
) -> None:
    if own_calendar:
        UnitCalendar.objects.create(unit=unit)
    if punched:
        _punch(employee, day, time(7, 45), "in")
        _punch(employee, day, time(15, 5), "out")
    recompute_days([employee.pk], day, day)
    got = _day(phone, day)
    assert got["codes"] == codes, (source, got["explanation"])
    assert got["schedule"] == schedule, source
    if codes == ["CB"]:
        assert got["workday"] is False and got["deduction_pct"] == "0", source
        assert got["explanation"].startswith("Cuti Bersama"), source


SIX_DAY = [
    # (source, date, in, out, codes, schedule)
    ("Perpres 21/2023 ps. 4(4): 08.00 on a Ramadan Monday", date(2026, 3, 2),
     time(8, 0, 30), time(14, 0), ["H"], "RAMADAN-6H (periode khusus)"),
    ("RAMADAN-6H: a Ramadan Friday to 14.30", date(2026, 3, 6),
     time(8, 0, 30), time(14, 30), ["H"], "RAMADAN-6H (periode khusus)"),
    ("RAMADAN-6H: a Ramadan Saturday", date(2026, 3, 7),
     time(8, 0, 30), time(14, 0), ["H"], "RAMADAN-6H (periode khusus)"),
    ("before 1 Ramadan: 07.30, so 08:00:30 is TL1", date(2026, 2, 18),
     time(8, 0, 30), time(14, 30), ["TL1"], "NASIONAL-6H"),
    ("after Ramadan: 07.30 again", date(2026, 3, 30),
     time(8, 0, 30), time(14, 30), ["TL1"], "NASIONAL-6H"),
]  # fmt: skip


@pytest.mark.parametrize(("source", "day", "first_in", "last_out", "codes", "schedule"), SIX_DAY)
def test_six_day_staff_at_080030(
    january: Any,
    phone: ApiClient,
    employee: Employee,
    unit: Unit,
    source: str,
    day: date,
    first_in: time,
    last_out: time,
    codes: list[str],
    schedule: str,
) -> None:
    ScheduleAssignment.objects.create(
        schedule=WorkSchedule.objects.get(code="NASIONAL-6H"),
        unit=unit,
        valid_from=date(2026, 1, 1),
    )
    _punch(employee, day, first_in, "in")
    _punch(employee, day, last_out, "out")
    recompute_days([employee.pk], day, day)
    got = _day(phone, day)
    assert got["codes"] == codes, (source, got["explanation"])
    assert got["schedule"] == schedule, source
