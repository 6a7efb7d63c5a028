"""The national calendar and the order in which a day is decided (pure rules)."""

from __future__ import annotations

from datetime import date, time

import pytest

from govem.rules import calendar
from govem.rules.calendar import (
    Override,
    OverrideKind,
    RosterDay,
    TemplateChoice,
    national_calendar,
    resolve_day,
)
from govem.rules.schedule import DayTemplate, ShiftTemplate, materialise_shift

WITA = "Asia/Makassar"
OFFICE = DayTemplate(time(7, 30), time(16, 0), time(6, 0), time(18, 0))
FIVE_DAY = TemplateChoice("NASIONAL-5H", {d: OFFICE for d in range(5)})


def resolve(day: date, **kwargs: object) -> calendar.DayPlan:
    arguments: dict[str, object] = {
        "employee_id": 1,
        "local_date": day,
        "time_zone": WITA,
        "roster": None,
        "override": None,
        "own_calendar": False,
        "template": FIVE_DAY,
    }
    arguments.update(kwargs)
    return resolve_day(**arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "code", "name"),
    [
        (date(2026, 8, 17), "L", "Hari Kemerdekaan Republik Indonesia"),
        (date(2026, 1, 1), "L", "Tahun Baru Masehi"),
        (date(2026, 12, 25), "L", "Hari Raya Natal"),
        (date(2026, 12, 24), "CB", "Cuti Bersama Hari Raya Natal"),
        (date(2026, 3, 20), "CB", "Cuti Bersama Hari Raya Idul Fitri"),
    ],
)
def test_it_reads_the_national_calendar_in_indonesian(day: date, code: str, name: str) -> None:
    holiday = national_calendar(day.year)[day]
    assert holiday.code == code
    assert holiday.name == name


def test_it_caches_the_calendar_per_year() -> None:
    assert national_calendar(2026) is national_calendar(2026)


def test_it_makes_17_august_a_day_off_with_its_name() -> None:
    plan = resolve(date(2026, 8, 17))
    assert plan.schedule is None
    assert (plan.day_off_code, plan.day_off_reason) == (
        "L",
        "Hari Kemerdekaan Republik Indonesia (libur nasional)",
    )


def test_it_lets_a_unit_with_its_own_calendar_work_on_holidays() -> None:
    plan = resolve(date(2026, 8, 17), own_calendar=True)
    assert plan.schedule is not None
    assert plan.schedule_source == "NASIONAL-5H"


def test_it_lets_the_roster_beat_the_calendar() -> None:
    night = materialise_shift(ShiftTemplate(time(19, 0), time(7, 0)), date(2026, 8, 17), WITA)
    plan = resolve(date(2026, 8, 17), roster=RosterDay(night, "MALAM"))
    assert plan.schedule == night
    assert plan.schedule_source == "MALAM (roster)"
    off = resolve(date(2026, 8, 18), roster=RosterDay(None, "LIBUR", "Lepas dinas"))
    assert (off.schedule, off.day_off_code, off.day_off_reason) == (None, "L", "Lepas dinas")


def test_it_names_the_weekend_day() -> None:
    assert resolve(date(2026, 8, 22)).day_off_reason == "Sabtu"
    assert resolve(date(2026, 8, 23)).day_off_reason == "Minggu"


def test_it_uses_the_first_weekday_times_when_a_decree_makes_a_saturday_a_workday() -> None:
    saturday = date(2026, 8, 22)
    plan = resolve(saturday, override=Override(saturday, OverrideKind.WORKDAY, "Ganti", "3/2026"))
    assert plan.schedule is not None
    assert plan.schedule.start.time() == time(7, 30)
    assert plan.schedule_source == "NASIONAL-5H (hari kerja, SK 3/2026)"


def test_it_marks_a_special_period_in_the_source() -> None:
    plan = resolve(
        date(2026, 3, 2), template=TemplateChoice("RAMADAN-5H", FIVE_DAY.days, "Ramadan 1447 H")
    )
    assert plan.schedule_source == "RAMADAN-5H (periode khusus)"


def test_it_has_no_plan_without_a_template() -> None:
    plan = resolve(date(2026, 12, 1), template=None)
    assert plan.schedule is None
    assert plan.day_off_reason == "Tidak ada jadwal kerja"
