"""Roster shifts, including night shifts that cross midnight (pure rules)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govem.rules.calendar import DayPlan, choose_plan
from govem.rules.schedule import ShiftTemplate, materialise_shift

WITA = "Asia/Makassar"
ZONES = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]


def plan(shift: ShiftTemplate, day: date, zone: str = WITA) -> DayPlan:
    schedule = materialise_shift(shift, day, zone, source="MALAM (roster)")
    return DayPlan(1, day, zone, schedule, None, "", "MALAM (roster)")


@pytest.mark.parametrize(
    ("start", "end", "starts", "ends"),
    [
        (time(19, 0), time(7, 0), datetime(2026, 12, 1, 19), datetime(2026, 12, 2, 7)),
        (time(21, 0), time(7, 0), datetime(2026, 12, 1, 21), datetime(2026, 12, 2, 7)),
        (time(7, 0), time(14, 0), datetime(2026, 12, 1, 7), datetime(2026, 12, 1, 14)),
        (time(7, 0), time(7, 0), datetime(2026, 12, 1, 7), datetime(2026, 12, 2, 7)),  # 24 h
    ],
)
def test_it_places_a_shift_on_its_dates(
    start: time, end: time, starts: datetime, ends: datetime
) -> None:
    schedule = materialise_shift(ShiftTemplate(start, end), date(2026, 12, 1), WITA)
    zone = ZoneInfo(WITA)
    assert schedule.start == starts.replace(tzinfo=zone)
    assert schedule.end == ends.replace(tzinfo=zone)
    assert schedule.check_in_opens == schedule.start - timedelta(hours=1)
    assert schedule.check_out_closes == schedule.end + timedelta(hours=2)
    assert schedule.local_date == date(2026, 12, 1)


def test_it_knows_a_night_shift_crosses_midnight() -> None:
    assert ShiftTemplate(time(19, 0), time(7, 0)).crosses_midnight
    assert not ShiftTemplate(time(7, 0), time(19, 0)).crosses_midnight


def test_it_gives_a_0705_check_out_to_the_evening_before() -> None:
    night = ShiftTemplate(time(19, 0), time(7, 0))
    day = date(2026, 12, 1)
    plans = [plan(night, day + timedelta(days=n)) for n in (-1, 0, 1)]
    at = datetime(2026, 12, 2, 7, 5, tzinfo=ZoneInfo(WITA))
    chosen = choose_plan(plans, at, at.date())
    assert chosen is not None and chosen.local_date == day
    chosen_out = choose_plan(plans, at, at.date(), "out")
    assert chosen_out is not None and chosen_out.local_date == day


def test_it_gives_a_check_in_to_the_next_shift_when_windows_touch() -> None:
    """Back-to-back nights: 18:30 opens the new shift while last night's window is closed."""
    night = ShiftTemplate(time(19, 0), time(7, 0))
    day = date(2026, 12, 1)
    plans = [plan(night, day - timedelta(days=1)), plan(night, day)]
    at = datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo(WITA))
    chosen = choose_plan(plans, at, at.date(), "in")
    assert chosen is not None and chosen.local_date == day


@given(
    start_minute=st.integers(min_value=12 * 60, max_value=23 * 60 + 59),
    length_minutes=st.integers(min_value=60, max_value=16 * 60),
    opens_before=st.integers(min_value=0, max_value=180),
    closes_after=st.integers(min_value=0, max_value=240),
    offset=st.floats(min_value=0.0, max_value=1.0),
    zone=st.sampled_from(ZONES),
    kind=st.sampled_from([None, "in", "out"]),
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
)
def test_it_never_lands_a_night_shift_punch_on_the_wrong_date(
    start_minute: int,
    length_minutes: int,
    opens_before: int,
    closes_after: int,
    offset: float,
    zone: str,
    kind: str | None,
    day: date,
) -> None:
    start = time(start_minute // 60, start_minute % 60)
    end_minute = (start_minute + length_minutes) % (24 * 60)
    end = time(end_minute // 60, end_minute % 60)
    shift = ShiftTemplate(start, end, opens_before, closes_after)
    if not shift.crosses_midnight:
        return
    own = plan(shift, day, zone)
    assert own.schedule is not None
    window = own.schedule.check_out_closes - own.schedule.check_in_opens
    at = own.schedule.check_in_opens + window * offset
    # Days off around it (the roster says so): only this shift's window is open.
    local_date = at.astimezone(ZoneInfo(zone)).date()
    neighbours = [
        DayPlan(1, day + timedelta(days=n), zone, None, "L", "Libur (roster)", "LIBUR (roster)")
        for n in (-1, 1)
    ]
    chosen = choose_plan([*neighbours, own], at, local_date, kind)
    assert chosen is not None
    assert chosen.local_date == day


@given(
    start_minute=st.integers(min_value=12 * 60, max_value=23 * 60 + 59),
    length_minutes=st.integers(min_value=60, max_value=14 * 60),
    opens_before=st.integers(min_value=0, max_value=120),
    closes_after=st.integers(min_value=0, max_value=180),
    offset=st.floats(min_value=0.0, max_value=1.0),
    zone=st.sampled_from(ZONES),
    kind=st.sampled_from([None, "in", "out"]),
)
def test_it_keeps_every_night_of_a_night_roster_on_its_own_date(
    start_minute: int,
    length_minutes: int,
    opens_before: int,
    closes_after: int,
    offset: float,
    zone: str,
    kind: str | None,
) -> None:
    start = time(start_minute // 60, start_minute % 60)
    end_minute = (start_minute + length_minutes) % (24 * 60)
    shift = ShiftTemplate(
        start, time(end_minute // 60, end_minute % 60), opens_before, closes_after
    )
    if not shift.crosses_midnight:
        return
    day = date(2026, 12, 1)
    plans = [plan(shift, day + timedelta(days=n), zone) for n in (-1, 0, 1)]
    own = plans[1].schedule
    assert own is not None
    at = own.check_in_opens + (own.check_out_closes - own.check_in_opens) * offset
    chosen = choose_plan(plans, at, at.astimezone(ZoneInfo(zone)).date(), kind)
    assert chosen is not None
    assert chosen.local_date == day
