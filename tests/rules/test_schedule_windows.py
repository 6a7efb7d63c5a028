"""Check-in windows, lateness and early leave on a materialised day (pure rules)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govem.rules.schedule import (
    DayTemplate,
    PunchKind,
    early_minutes,
    late_minutes,
    materialise,
    window_refusal,
    zone_label,
)

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 30)
MON_THU = DayTemplate(
    start=time(7, 30),
    end=time(16, 0),
    check_in_opens=time(6, 0),
    check_out_closes=time(18, 0),
    break_start=time(12),
    break_end=time(13),
)
NIGHT = DayTemplate(
    start=time(19, 0), end=time(7, 0), check_in_opens=time(18, 0), check_out_closes=time(9, 0)
)


def at(hour: int, minute: int, second: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=WITA)


def test_it_materialises_the_national_weekday_in_wita() -> None:
    day = materialise(MON_THU, MONDAY, "Asia/Makassar", source="5 hari")
    assert day.start == at(7, 30) and day.end == at(16, 0)
    assert day.check_in_opens == at(6, 0) and day.check_out_closes == at(18, 0)
    assert day.start.isoformat() == "2026-11-30T07:30:00+08:00"
    assert (day.local_date, day.source) == (MONDAY, "5 hari")


def test_it_ends_a_night_shift_the_next_morning() -> None:
    day = materialise(NIGHT, MONDAY, "Asia/Makassar")
    assert day.start == at(19, 0)
    assert day.end == at(7, 0, day=MONDAY + timedelta(days=1))
    assert day.check_out_closes == at(9, 0, day=MONDAY + timedelta(days=1))
    assert day.check_in_opens == at(18, 0)
    assert day.end - day.start == timedelta(hours=12)


def test_it_opens_check_in_the_evening_before_an_early_shift() -> None:
    # Opening at 23:00 for a 05:00 start: the window opens on the previous evening.
    early = DayTemplate(time(5), time(13), time(23), time(15))
    day = materialise(early, MONDAY, "Asia/Makassar")
    assert day.check_in_opens == at(23, 0, day=MONDAY - timedelta(days=1))


@pytest.mark.parametrize(
    ("moment", "minutes"),
    [
        (at(7, 0), 0),
        (at(7, 30), 0),
        (at(7, 30, 59), 0),  # still inside the start minute
        (at(7, 31, 0), 1),
        (at(7, 59, 59), 29),
        (at(8, 0, 0), 30),
        (at(9, 1, 0), 91),
    ],
)
def test_it_counts_late_minutes_after_the_start_minute(moment: datetime, minutes: int) -> None:
    assert late_minutes(materialise(MON_THU, MONDAY, "Asia/Makassar"), moment) == minutes


@pytest.mark.parametrize(
    ("moment", "minutes"),
    [
        (at(16, 30), 0),
        (at(16, 0), 0),
        (at(15, 59, 30), 1),  # a started minute counts
        (at(15, 59, 0), 1),
        (at(15, 58, 59), 2),
        (at(15, 0), 60),
    ],
)
def test_it_counts_early_minutes_before_the_end(moment: datetime, minutes: int) -> None:
    assert early_minutes(materialise(MON_THU, MONDAY, "Asia/Makassar"), moment) == minutes


def test_it_judges_lateness_by_the_instant_not_the_clock_on_the_wall() -> None:
    # 23:31 UTC the day before is 07:31 WITA: one minute late, whatever zone it is written in.
    day = materialise(MON_THU, MONDAY, "Asia/Makassar")
    assert late_minutes(day, datetime(2026, 11, 29, 23, 31, tzinfo=ZoneInfo("UTC"))) == 1


@pytest.mark.parametrize(
    ("kind", "moment", "refusal"),
    [
        (PunchKind.IN, at(5, 59, 59), "outside_window"),
        (PunchKind.IN, at(6, 0), None),
        (PunchKind.IN, at(12, 0), None),
        (PunchKind.IN, at(18, 0), None),
        (PunchKind.IN, at(18, 0, 1), "outside_window"),
        (PunchKind.OUT, at(6, 30), None),
        (PunchKind.OUT, at(18, 0), None),
        (PunchKind.OUT, at(18, 0, 1), "outside_window"),
    ],
)
def test_it_keeps_punches_inside_the_day_window(
    kind: PunchKind, moment: datetime, refusal: str | None
) -> None:
    assert window_refusal(materialise(MON_THU, MONDAY, "Asia/Makassar"), kind, moment) == refusal


def test_it_keeps_a_night_shift_check_out_inside_the_next_mornings_window() -> None:
    day = materialise(NIGHT, MONDAY, "Asia/Makassar")
    tuesday = MONDAY + timedelta(days=1)
    assert window_refusal(day, PunchKind.OUT, at(7, 5, day=tuesday)) is None
    assert window_refusal(day, PunchKind.OUT, at(9, 0, 1, day=tuesday)) == "outside_window"
    assert window_refusal(day, PunchKind.IN, at(17, 59)) == "outside_window"
    assert early_minutes(day, at(6, 30, day=tuesday)) == 30
    assert late_minutes(day, at(19, 15)) == 15


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=12 * 3600), st.integers(min_value=0, max_value=60))
def test_it_never_lets_a_later_check_in_be_less_late(seconds: int, extra: int) -> None:
    day = materialise(MON_THU, MONDAY, "Asia/Makassar")
    first = at(6, 0) + timedelta(seconds=seconds)
    later = first + timedelta(seconds=extra)
    assert late_minutes(day, first) <= late_minutes(day, later)
    assert early_minutes(day, first) >= early_minutes(day, later)
    assert late_minutes(day, first) == max(0, (seconds - 90 * 60) // 60)


@pytest.mark.parametrize(
    ("zone", "label"),
    [("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT"), ("UTC", "UTC")],
)
def test_it_names_indonesian_zones_as_people_say_them(zone: str, label: str) -> None:
    assert zone_label(zone) == label
