"""Rosters, night shifts, time zones, assignments and special periods against the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govem.people.models import Employee, Unit, WorkLocation
from govem.schedules.models import (
    RosterEntry,
    ScheduleAssignment,
    Shift,
    SpecialPeriod,
    UnitCalendar,
    WorkSchedule,
)
from govem.schedules.queries import (
    attribute_punch,
    day_plan_for,
    employee_time_zone,
    schedule_template_for,
)
from tests.conftest import ApiClient, make_employee

WITA = ZoneInfo("Asia/Makassar")
DEC_1 = date(2026, 12, 1)  # a Tuesday


def wita(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WITA)


def roster(employee: Employee, day: date, code: str | None) -> RosterEntry:
    shift = Shift.objects.get(code=code) if code else None
    return RosterEntry.objects.create(employee=employee, date=day, shift=shift)


def test_it_gives_a_night_shift_check_out_to_the_evening_it_started(employee: Employee) -> None:
    roster(employee, DEC_1, "JAGA-MALAM")  # 19:00–07:00
    plan = attribute_punch(employee, wita(DEC_1 + timedelta(days=1), 7, 5))
    assert plan.local_date == DEC_1
    assert plan.schedule_source == "JAGA-MALAM (roster)"
    assert plan.schedule is not None
    assert plan.schedule.end == wita(DEC_1 + timedelta(days=1), 7)
    # the next morning's own day (template 07:30) takes over after the night's closing
    later = attribute_punch(employee, wita(DEC_1 + timedelta(days=1), 9, 30))
    assert later.local_date == DEC_1 + timedelta(days=1)


def test_it_gives_a_day_shift_check_in_after_a_night_to_the_new_day(employee: Employee) -> None:
    roster(employee, DEC_1, "JAGA-MALAM")
    roster(employee, DEC_1 + timedelta(days=1), "PAGI")  # 07:00–14:00, opens 06:00
    at = wita(DEC_1 + timedelta(days=1), 6, 50)
    assert attribute_punch(employee, at, kind="in").local_date == DEC_1 + timedelta(days=1)
    assert attribute_punch(employee, at, kind="out").local_date == DEC_1


def test_it_lets_the_roster_give_a_day_off(employee: Employee) -> None:
    roster(employee, DEC_1, None)
    plan = day_plan_for(employee, DEC_1)
    assert plan.schedule is None
    assert plan.day_off_code == "L"


def test_it_accepts_a_night_shift_check_out_through_the_api(
    client: object, employee: Employee
) -> None:
    roster(employee, DEC_1, "JAGA-MALAM")
    with time_machine.travel(wita(DEC_1, 18, 45), tick=False) as traveller:
        phone = ApiClient(client)  # type: ignore[arg-type]
        assert phone.login(employee.nip).status_code == 200
        check_in = phone.punch("in")
        assert check_in.status_code == 201, check_in.json()
        assert check_in.json()["local_date"] == "2026-12-01"
        assert check_in.json()["late_minutes"] == 0
        traveller.move_to(wita(DEC_1 + timedelta(days=1), 7, 5))
        check_out = phone.punch("out")
        assert check_out.status_code == 201, check_out.json()
        assert check_out.json()["local_date"] == "2026-12-01"
        assert check_out.json()["early_minutes"] == 0


def test_it_shows_the_holiday_in_the_today_block(client: object, employee: Employee) -> None:
    with time_machine.travel(wita(date(2026, 8, 17), 8), tick=False):
        phone = ApiClient(client)  # type: ignore[arg-type]
        assert phone.login(employee.nip).status_code == 200
        today = phone.get("/api/v1/me").json()["today"]
    assert today["workday"] is False
    assert today["day_off_code"] == "L"
    assert "Hari Kemerdekaan" in today["day_off_reason"]


def test_it_shows_ramadan_hours_in_the_today_block(client: object, employee: Employee) -> None:
    with time_machine.travel(wita(date(2026, 3, 2), 8), tick=False):
        phone = ApiClient(client)  # type: ignore[arg-type]
        assert phone.login(employee.nip).status_code == 200
        today = phone.get("/api/v1/me").json()["today"]
    assert today["workday"] is True
    assert today["schedule"] == "RAMADAN-5H (periode khusus)"
    assert today["start"].startswith("2026-03-02T08:00:00+08:00")


@pytest.mark.parametrize(
    ("zone", "utc_moment", "local_date", "start_utc"),
    [
        # 23:30 WIB on 1 Dec is 00:30 WITA and 01:30 WIT on 2 Dec.
        ("Asia/Jakarta", datetime(2026, 12, 1, 16, 30, tzinfo=UTC), date(2026, 12, 1), 0),
        ("Asia/Makassar", datetime(2026, 12, 1, 16, 30, tzinfo=UTC), date(2026, 12, 2), 23),
        ("Asia/Jayapura", datetime(2026, 12, 1, 16, 30, tzinfo=UTC), date(2026, 12, 2), 22),
    ],
)
def test_it_takes_the_local_date_from_the_location_zone(
    unit: Unit, zone: str, utc_moment: datetime, local_date: date, start_utc: int
) -> None:
    location = WorkLocation.objects.create(
        name=f"Kantor {zone}", latitude=-2.5, longitude=140.7, time_zone=zone
    )
    unit.locations.add(location)
    person = make_employee(unit, "198001012005011001", "Yohanes Wenda")
    assert employee_time_zone(person) == zone
    plan = attribute_punch(person, utc_moment)
    assert plan.local_date == local_date
    assert plan.time_zone == zone
    assert plan.schedule is not None
    # 07:30 local is 00:30 UTC in WIB, 23:30 UTC the day before in WITA, 22:30 in WIT.
    assert plan.schedule.start.astimezone(UTC).hour == start_utc
    assert plan.schedule.start.astimezone(UTC).minute == 30


def test_it_uses_the_server_zone_without_a_location(unit: Unit) -> None:
    person = make_employee(unit, "198001012005011001", "Tanpa Lokasi")
    assert employee_time_zone(person) == "Asia/Makassar"


def test_it_inherits_a_unit_schedule_and_lets_the_employee_override_it(
    employee: Employee, unit: Unit
) -> None:
    child = Unit.objects.create(code="DISKOMINFO-TIK", name="Bidang TIK", parent=unit)
    person = make_employee(child, "198001012005011001", "Pegawai Bidang")
    six = WorkSchedule.objects.get(code="NASIONAL-6H")
    five = WorkSchedule.objects.get(code="NASIONAL-5H")
    ScheduleAssignment.objects.create(schedule=six, unit=unit, valid_from=date(2026, 1, 1))
    assert schedule_template_for(person, DEC_1) == six  # inherited from the parent unit
    assert day_plan_for(person, date(2026, 12, 5)).schedule is not None  # Saturday works
    ScheduleAssignment.objects.create(
        schedule=five, employee=person, valid_from=date(2026, 12, 1), valid_to=date(2026, 12, 31)
    )
    assert schedule_template_for(person, DEC_1) == five
    assert day_plan_for(person, date(2026, 12, 5)).schedule is None
    assert schedule_template_for(person, date(2027, 1, 4)) == six  # after the override ends
    assert schedule_template_for(person, date(2026, 11, 30)) == six  # before it starts


def test_it_applies_an_ad_hoc_period_only_to_the_chosen_units(
    employee: Employee, unit: Unit
) -> None:
    other = Unit.objects.create(code="DINSOS", name="Dinas Sosial")
    outsider = make_employee(other, "198001012005011001", "Pegawai Lain")
    short = WorkSchedule.objects.create(code="SE-ASAP", name="Jam kerja kabut asap")
    for weekday in range(5):
        short.days.create(
            weekday=weekday,
            start=time(8, 0),
            end=time(12, 0),
            check_in_opens=time(6, 0),
            check_out_closes=time(14, 0),
        )
    period = SpecialPeriod.objects.create(
        name="Kabut asap", start_date=DEC_1, end_date=date(2026, 12, 4), schedule=short
    )
    period.units.add(unit)
    mine = day_plan_for(employee, DEC_1)
    assert mine.schedule is not None and mine.schedule.start.time() == time(8, 0)
    assert mine.schedule_source == "SE-ASAP (periode khusus)"
    theirs = day_plan_for(outsider, DEC_1)
    assert theirs.schedule is not None and theirs.schedule.start.time() == time(7, 30)
    after = day_plan_for(employee, date(2026, 12, 7))
    assert after.schedule_source == "NASIONAL-5H"


def test_it_lets_a_hospital_work_on_national_holidays(unit: Unit, employee: Employee) -> None:
    rsud = Unit.objects.create(code="RSUD", name="RSUD Datu Sanggul")
    ward = Unit.objects.create(code="RSUD-IGD", name="Instalasi Gawat Darurat", parent=rsud)
    nurse = make_employee(ward, "198001012005011001", "Perawat IGD")
    UnitCalendar.objects.create(unit=rsud)
    roster(nurse, date(2026, 8, 17), "PAGI")
    assert day_plan_for(nurse, date(2026, 8, 17)).schedule_source == "PAGI (roster)"
    # without a roster entry the nurse's template applies even on a holiday
    assert day_plan_for(nurse, date(2026, 12, 25)).schedule is not None
    assert day_plan_for(employee, date(2026, 12, 25)).schedule is None
