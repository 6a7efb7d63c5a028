"""The schedule in force and the calendar, from the figures in DESIGN §2."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from govem.people.models import Employee, Unit
from govem.rules import calendar
from govem.schedules.models import CalendarOverride, ScheduleAssignment, WorkSchedule
from govem.schedules.queries import day_plan_for, day_schedule_for

WITA = "Asia/Makassar"


def hm(plan: calendar.DayPlan) -> tuple[str, str] | None:
    if plan.schedule is None:
        return None
    return (f"{plan.schedule.start:%H:%M}", f"{plan.schedule.end:%H:%M}")


def assign(code: str, **target: Any) -> ScheduleAssignment:
    return ScheduleAssignment.objects.create(
        schedule=WorkSchedule.objects.get(code=code), valid_from=date(2026, 1, 1), **target
    )


@pytest.mark.parametrize(
    ("template", "day", "expected", "source"),
    [
        ("NASIONAL-5H", date(2026, 11, 30), ("07:30", "16:00"), "NASIONAL-5H"),  # Monday
        ("NASIONAL-5H", date(2026, 12, 3), ("07:30", "16:00"), "NASIONAL-5H"),  # Thursday
        ("NASIONAL-5H", date(2026, 12, 4), ("07:30", "16:30"), "NASIONAL-5H"),  # Friday
        ("NASIONAL-5H", date(2026, 12, 5), None, "NASIONAL-5H"),  # Saturday
        ("NASIONAL-6H", date(2026, 11, 30), ("07:30", "14:30"), "NASIONAL-6H"),
        ("NASIONAL-6H", date(2026, 12, 4), ("07:30", "11:30"), "NASIONAL-6H"),
        ("NASIONAL-6H", date(2026, 12, 5), ("07:30", "13:00"), "NASIONAL-6H"),
        ("NASIONAL-6H", date(2026, 12, 6), None, "NASIONAL-6H"),  # Sunday
        # Ramadan 1447 H: 1 Ramadan was Thu 19 Feb 2026 (sidang isbat), so Wed 18 Feb keeps
        # the normal hours; the 5-day schedule takes RAMADAN-5H (SE MenPAN-RB) ...
        ("NASIONAL-5H", date(2026, 2, 18), ("07:30", "16:00"), "NASIONAL-5H"),
        ("NASIONAL-5H", date(2026, 2, 19), ("08:00", "15:00"), "RAMADAN-5H (periode khusus)"),
        ("NASIONAL-5H", date(2026, 3, 2), ("08:00", "15:00"), "RAMADAN-5H (periode khusus)"),
        ("NASIONAL-5H", date(2026, 3, 6), ("08:00", "15:30"), "RAMADAN-5H (periode khusus)"),
        # ... and the 6-day one RAMADAN-6H (Perpres 21/2023 art. 4(4): 08.00 for every agency).
        ("NASIONAL-6H", date(2026, 2, 18), ("07:30", "14:30"), "NASIONAL-6H"),
        ("NASIONAL-6H", date(2026, 3, 2), ("08:00", "14:00"), "RAMADAN-6H (periode khusus)"),
        ("NASIONAL-6H", date(2026, 3, 6), ("08:00", "14:30"), "RAMADAN-6H (periode khusus)"),
        ("NASIONAL-6H", date(2026, 3, 7), ("08:00", "14:00"), "RAMADAN-6H (periode khusus)"),
        ("NASIONAL-6H", date(2027, 2, 15), ("08:00", "14:00"), "RAMADAN-6H (periode khusus)"),
        ("NASIONAL-5H", date(2027, 2, 15), ("08:00", "15:00"), "RAMADAN-5H (periode khusus)"),
        ("NASIONAL-5H", date(2027, 4, 2), ("07:30", "16:30"), "NASIONAL-5H"),
    ],
)
def test_it_gives_the_regulation_hours(
    employee: Employee, unit: Unit, template: str, day: date, expected: Any, source: str
) -> None:
    assign(template, unit=unit)
    plan = day_plan_for(employee, day)
    assert hm(plan) == expected
    assert plan.schedule_source == source
    assert plan.time_zone == WITA
    if expected is None:
        assert plan.day_off_code == "L"
        assert plan.day_off_reason in {"Sabtu", "Minggu"}
    else:
        assert plan.day_off_code is None
        assert plan.day_off_reason == ""


def test_it_weighs_the_national_week_at_37_5_hours(employee: Employee, unit: Unit) -> None:
    for code in ("NASIONAL-5H", "NASIONAL-6H"):
        days = WorkSchedule.objects.get(code=code).templates()
        minutes = 0
        for row in days.values():
            minutes += (row.end.hour * 60 + row.end.minute) - (
                row.start.hour * 60 + row.start.minute
            )
            if row.break_start and row.break_end:
                minutes -= (row.break_end.hour * 60 + row.break_end.minute) - (
                    row.break_start.hour * 60 + row.break_start.minute
                )
        assert minutes == 37.5 * 60, code


def test_it_marks_independence_day_a_national_holiday(employee: Employee) -> None:
    plan = day_plan_for(employee, date(2026, 8, 17))  # a Monday
    assert plan.schedule is None
    assert plan.day_off_code == "L"
    assert plan.day_off_reason == "Hari Kemerdekaan Republik Indonesia (libur nasional)"
    assert day_schedule_for(employee, date(2026, 8, 17), WITA) is None


def test_it_marks_cuti_bersama_from_the_package(employee: Employee) -> None:
    cuti = [h for h in calendar.national_calendar(2026).values() if h.code == "CB"]
    assert cuti, "the holidays package lists cuti bersama in the government category"
    weekday_cuti = next(h for h in cuti if h.local_date.weekday() < 5)
    plan = day_plan_for(employee, weekday_cuti.local_date)
    assert plan.schedule is None
    assert plan.day_off_code == "CB"
    assert plan.day_off_reason.startswith("Cuti Bersama")


def test_it_applies_a_local_holiday_override(employee: Employee) -> None:
    CalendarOverride.objects.create(
        date=date(2026, 12, 1), kind="holiday", name="Hari Jadi Kabupaten Tapin", decree="12/2026"
    )
    plan = day_plan_for(employee, date(2026, 12, 1))
    assert plan.schedule is None
    assert plan.day_off_code == "L"
    assert plan.day_off_reason == "Hari Jadi Kabupaten Tapin (libur lokal, SK 12/2026)"


def test_it_makes_a_removed_holiday_a_workday(employee: Employee) -> None:
    CalendarOverride.objects.create(
        date=date(2026, 12, 24), kind="workday", name="Cuti bersama ditiadakan", decree="7/2026"
    )
    plan = day_plan_for(employee, date(2026, 12, 24))  # Christmas cuti bersama, a Thursday
    assert hm(plan) == ("07:30", "16:00")
    assert plan.day_off_code is None
    assert plan.schedule_source == "NASIONAL-5H (hari kerja, SK 7/2026)"


def test_it_records_a_flexible_work_day_as_a_workday(employee: Employee) -> None:
    CalendarOverride.objects.create(date=date(2026, 12, 2), kind="flexible", name="FWA Desember")
    plan = day_plan_for(employee, date(2026, 12, 2))
    assert hm(plan) == ("07:30", "16:00")
    assert plan.flexible_work
    assert plan.schedule_source == "NASIONAL-5H (FWA: FWA Desember)"


def test_it_scopes_an_override_to_a_unit_subtree(employee: Employee, unit: Unit) -> None:
    other = Unit.objects.create(code="DINKES", name="Dinas Kesehatan")
    scoped = CalendarOverride.objects.create(
        date=date(2026, 12, 1), kind="holiday", name="Libur unit lain"
    )
    scoped.units.add(other)
    assert day_plan_for(employee, date(2026, 12, 1)).schedule is not None
    scoped.units.add(unit)
    assert day_plan_for(employee, date(2026, 12, 1)).schedule is None


def test_it_uses_the_template_times_for_windows(employee: Employee) -> None:
    plan = day_plan_for(employee, date(2026, 11, 30))
    assert plan.schedule is not None
    assert plan.schedule.check_in_opens.time() == time(6, 0)
    assert plan.schedule.check_out_closes.time() == time(18, 0)
