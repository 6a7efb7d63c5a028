"""Ramadan as decreed, for every kind of week, through the ledger.

Sources: sidang isbat 1447 H (1 Ramadan = Thu 19 Feb 2026; 1 Syawal = 21 Mar 2026, SKB 3
Menteri 2026); Perpres 21/2023 art. 4(2), (4), (6); SE MenPAN-RB 336/2018 (6-day hours).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from govem.accounts.audit import Action
from govem.accounts.models import AuditEntry
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from govem.people.models import Employee, Unit
from govem.schedules.models import (
    PeriodSchedule,
    ScheduleAssignment,
    SpecialPeriod,
    UnitCalendar,
    WorkSchedule,
)
from govem.schedules.queries import day_plan_for
from tests.conftest import LATER
from tests.helpers.days import lay_at as punch

WITA = ZoneInfo("Asia/Makassar")
pytestmark = pytest.mark.django_db


@pytest.fixture
def december() -> Iterator[Any]:
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


def day_of(employee: Employee, day: date) -> DayRecord:
    recompute_days([employee.pk], day, day)
    return DayRecord.objects.get(employee=employee, date=day)


def test_the_seeded_period_is_the_decreed_one() -> None:
    period = SpecialPeriod.objects.get(name="Ramadan 1447 H")
    assert (period.start_date, period.end_date) == (date(2026, 2, 19), date(2026, 3, 20))
    assert period.approximate is False
    assert "19-02-2026" in period.decree and "Perpres 21/2023" in period.decree
    pairs = {
        (row.base_schedule.code, row.schedule.code)
        for row in PeriodSchedule.objects.filter(period=period)
    }
    assert pairs == {("NASIONAL-5H", "RAMADAN-5H"), ("NASIONAL-6H", "RAMADAN-6H")}
    assert SpecialPeriod.objects.get(name="Ramadan 1448 H").approximate is True


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (date(2026, 2, 18), ["TL1", "PSW2"]),  # Wed before 1 Ramadan: 07:30–16:00
        (date(2026, 2, 19), ["H"]),  # 1 Ramadan: 08:00–15:00
    ],
)
def test_in_0745_out_1505_around_1_ramadan(
    december: Any, employee: Employee, day: date, codes: list[str]
) -> None:
    punch(employee, day, time(7, 45), "in")
    punch(employee, day, time(15, 5), "out")
    record = day_of(employee, day)
    assert record.codes == codes, record.explanation


@pytest.mark.parametrize(
    ("day", "codes", "source"),
    [
        (date(2026, 3, 2), ["H"], "RAMADAN-6H (periode khusus)"),  # Ramadan: 08:00
        (date(2026, 3, 7), ["H"], "RAMADAN-6H (periode khusus)"),  # a Ramadan Saturday
        (date(2026, 3, 30), ["TL1", "PSW4"], "NASIONAL-6H"),  # after: 07:30, 30 min late
    ],
)
def test_a_six_day_employee_at_080030(
    december: Any, employee: Employee, unit: Unit, day: date, codes: list[str], source: str
) -> None:
    ScheduleAssignment.objects.create(
        schedule=WorkSchedule.objects.get(code="NASIONAL-6H"),
        unit=unit,
        valid_from=date(2026, 1, 1),
    )
    punch(employee, day, time(8, 0, 30), "in")
    if day != date(2026, 3, 30):
        end = time(14, 0)
        punch(employee, day, end, "out")
    record = day_of(employee, day)
    assert record.codes == codes, record.explanation
    assert day_plan_for(employee, day).schedule_source == source


def test_a_unit_with_its_own_calendar_works_ramadan_to_20_march(
    employee: Employee, unit: Unit
) -> None:
    # 20 Mar 2026 is a cuti bersama for most; a hospital works it — on Ramadan hours.
    UnitCalendar.objects.create(unit=unit)
    plan = day_plan_for(employee, date(2026, 3, 20))
    assert plan.schedule_source == "RAMADAN-5H (periode khusus)"
    assert plan.schedule is not None and f"{plan.schedule.start:%H:%M}" == "08:00"
    assert day_plan_for(employee, date(2026, 3, 23)).schedule_source == "NASIONAL-5H"


def test_shifts_keep_their_roster_in_ramadan(employee: Employee) -> None:
    from govem.schedules.models import RosterEntry, Shift

    RosterEntry.objects.create(
        employee=employee, date=date(2026, 3, 2), shift=Shift.objects.get(code="PAGI")
    )
    plan = day_plan_for(employee, date(2026, 3, 2))
    assert plan.schedule_source == "PAGI (roster)"


def _form(period: SpecialPeriod, **changes: Any) -> dict[str, Any]:
    rows = list(PeriodSchedule.objects.filter(period=period).order_by("id"))
    data: dict[str, Any] = {
        "name": period.name,
        "start_date": period.start_date.isoformat(),
        "end_date": period.end_date.isoformat(),
        "decree": period.decree,
        "schedule": period.schedule_id,
        "base_schedules": [s.pk for s in period.base_schedules.all()],
        "replacements-TOTAL_FORMS": len(rows),
        "replacements-INITIAL_FORMS": len(rows),
        "replacements-MIN_NUM_FORMS": 0,
        "replacements-MAX_NUM_FORMS": 1000,
    }
    if period.approximate:
        data["approximate"] = "on"
    for n, row in enumerate(rows):
        data[f"replacements-{n}-id"] = row.pk
        data[f"replacements-{n}-period"] = period.pk
        data[f"replacements-{n}-base_schedule"] = row.base_schedule_id
        data[f"replacements-{n}-schedule"] = row.schedule_id
    data.update(changes)
    return data


def test_moving_a_period_in_the_admin_recomputes_the_days_it_touched(
    december: Any, employee: Employee, admin_client: Client
) -> None:
    period = SpecialPeriod.objects.get(name="Ramadan 1447 H")
    SpecialPeriod.objects.filter(pk=period.pk).update(start_date=date(2026, 2, 18))  # the old seed
    punch(employee, date(2026, 2, 18), time(7, 45), "in")
    punch(employee, date(2026, 2, 18), time(15, 5), "out")
    assert day_of(employee, date(2026, 2, 18)).codes == ["H"]  # what the wrong seed gave
    period.refresh_from_db()
    response = admin_client.post(
        f"/admin/schedules/specialperiod/{period.pk}/change/",
        _form(period, start_date="2026-02-19"),
        follow=True,
    )
    assert response.status_code == 200
    assert "dihitung ulang" in response.content.decode()
    record = DayRecord.objects.get(employee=employee, date=date(2026, 2, 18))
    assert record.codes == ["TL1", "PSW2"]
    moved = AuditEntry.objects.get(
        action=Action.UPDATE, object_type="schedules.specialperiod", object_id=str(period.pk)
    )
    assert moved.after == {"start_date": "2026-02-19"}
    assert moved.reason == "periode khusus Ramadan 1447 H disimpan"
    assert moved.actor is not None and moved.actor.is_superuser


def test_the_admin_confirms_an_approximate_period(admin_client: Client) -> None:
    period = SpecialPeriod.objects.get(name="Ramadan 1448 H")
    confirmed = SpecialPeriod.objects.get(name="Ramadan 1447 H")
    assert confirmed.approximate is False
    response = admin_client.post(
        "/admin/schedules/specialperiod/",
        {"action": "confirm_dates", "_selected_action": [period.pk, confirmed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 periode dikonfirmasi" in response.content.decode()
    period.refresh_from_db()
    assert period.approximate is False
    entries = AuditEntry.objects.filter(action=Action.UPDATE, object_type="schedules.specialperiod")
    assert [(e.object_id, e.after, e.reason) for e in entries] == [
        (str(period.pk), {"approximate": False}, "tanggal periode khusus dikonfirmasi")
    ]
