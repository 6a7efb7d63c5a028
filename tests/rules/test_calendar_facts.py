"""The calendar facts of issue 13 through the pure rules, table-driven, each row naming its
source. (The same cases through /api/v1/days: tests/schedules/test_calendar_facts_api.py.)"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from govem.rules.calendar import HolidayKind, cuti_bersama_known, national_calendar
from govem.rules.daystatus import DayInput, classify
from govem.rules.schedule import DaySchedule

WITA = ZoneInfo("Asia/Makassar")


def _schedule(day: date, start: time, end: time) -> DaySchedule:
    def at(moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=WITA)

    return DaySchedule(day, "Asia/Makassar", at(start), at(end), at(time(6)), at(time(18)))


@pytest.mark.parametrize(
    ("source", "day", "hours", "first_in", "last_out", "codes"),
    [
        # The case: Wed 18 Feb 2026 is not Ramadan (1 Ramadan = 19 Feb, sidang isbat).
        ("NASIONAL-5H Wed 07.30–16.00", date(2026, 2, 18), (time(7, 30), time(16)),
         time(7, 45), time(15, 5), ("TL1", "PSW2")),
        ("RAMADAN-5H Thu 08.00–15.00 (Perpres 21/2023 ps. 4(4))", date(2026, 2, 19),
         (time(8), time(15)), time(7, 45), time(15, 5), ("H",)),
        ("RAMADAN-5H Fri 08.00–15.30", date(2026, 2, 20), (time(8), time(15, 30)),
         time(7, 45), time(15, 5), ("PSW1",)),
        # A 6-day employee at 08:00:30: on time on Ramadan hours, TL1 on normal ones.
        ("RAMADAN-6H Mon 08.00–14.00 (Perpres 21/2023 ps. 4(4))", date(2026, 3, 2),
         (time(8), time(14)), time(8, 0, 30), time(14), ("H",)),
        ("NASIONAL-6H Mon 07.30–14.30", date(2026, 3, 30), (time(7, 30), time(14, 30)),
         time(8, 0, 30), time(14, 30), ("TL1",)),
    ],
)  # fmt: skip
def test_ramadan_hours_against_normal_hours(
    source: str,
    day: date,
    hours: tuple[time, time],
    first_in: time,
    last_out: time,
    codes: tuple[str, ...],
) -> None:
    plan = _schedule(day, *hours)
    result = classify(
        DayInput(
            day,
            "Asia/Makassar",
            plan,
            first_in=datetime.combine(day, first_in, tzinfo=WITA),
            last_out=datetime.combine(day, last_out, tzinfo=WITA),
        )
    )
    assert result.codes == codes, (source, result.explanation)


@pytest.mark.parametrize(
    ("source", "year", "dates"),
    [
        ("SKB 3 Menteri 2026 (holidays >= 0.99)", 2026,
         ["2026-02-16", "2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24", "2026-05-15",
          "2026-05-28", "2026-12-24"]),
        ("SKB 3 Menteri 2027 (holidays >= 0.105, the pyproject floor)", 2027,
         ["2027-02-05", "2027-03-09", "2027-03-12", "2027-03-15", "2027-03-25", "2027-05-18",
          "2027-05-19", "2027-12-24"]),
    ],
)  # fmt: skip
def test_the_cuti_bersama_of_this_and_next_year(source: str, year: int, dates: list[str]) -> None:
    calendar = national_calendar(year)
    got = sorted(
        day.isoformat() for day, item in calendar.items() if item.kind is HolidayKind.CUTI_BERSAMA
    )
    assert got == dates, source
    assert cuti_bersama_known(year)


def test_1_syawal_1447_is_21_march_so_ramadan_ends_on_20_march() -> None:
    # SKB 3 Menteri 2026: Idul Fitri 1447 H on Sat 21 Mar 2026 (and Sun 22 Mar).
    calendar = national_calendar(2026)
    assert calendar[date(2026, 3, 21)].name.startswith("Hari Raya Idul Fitri")
    assert date(2026, 3, 20) in calendar and calendar[date(2026, 3, 20)].code == "CB"
