"""Working-day windows and lateness (DESIGN §2).

A :class:`DaySchedule` holds aware datetimes, so a shift that crosses midnight is just a
schedule whose ``end`` falls on the next calendar day; the rules never compare bare times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class PunchKind(StrEnum):
    IN = "in"
    OUT = "out"


@dataclass(frozen=True, slots=True)
class DayTemplate:
    """One weekday of a schedule template, in local wall-clock times."""

    start: time
    end: time
    check_in_opens: time
    check_out_closes: time
    break_start: time | None = None
    break_end: time | None = None


@dataclass(frozen=True, slots=True)
class DaySchedule:
    """The schedule in force for one employee on one local date."""

    local_date: date
    time_zone: str
    start: datetime
    end: datetime
    check_in_opens: datetime
    check_out_closes: datetime
    source: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def _at(local_date: date, wall: time, zone: ZoneInfo, *, not_before: datetime | None) -> datetime:
    moment = datetime.combine(local_date, wall, tzinfo=zone)
    # A wall time earlier than its predecessor belongs to the next day (night shifts).
    while not_before is not None and moment < not_before:
        moment = datetime.combine(moment.date() + timedelta(days=1), wall, tzinfo=zone)
    return moment


def materialise(
    template: DayTemplate, local_date: date, time_zone: str, source: str = ""
) -> DaySchedule:
    """Turn a weekday template into aware datetimes for ``local_date``.

    Opening precedes start; end, and closing after it, roll to the next day when their wall
    time is earlier than the one before (a 19:00–07:00 shift ends the next morning).
    """
    zone = ZoneInfo(time_zone)
    start = _at(local_date, template.start, zone, not_before=None)
    opens = datetime.combine(local_date, template.check_in_opens, tzinfo=zone)
    if opens > start:
        opens -= timedelta(days=1)
    end = _at(local_date, template.end, zone, not_before=start + timedelta(minutes=1))
    closes = _at(local_date, template.check_out_closes, zone, not_before=end)
    return DaySchedule(local_date, time_zone, start, end, opens, closes, source)


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """A roster shift: wall-clock start and end (end <= start crosses midnight) and windows."""

    start: time
    end: time
    opens_before_minutes: int = 60
    closes_after_minutes: int = 120

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


def materialise_shift(
    shift: ShiftTemplate, local_date: date, time_zone: str, source: str = ""
) -> DaySchedule:
    """A shift on ``local_date``: a 19:00–07:00 shift starts D 19:00 and ends D+1 07:00."""
    zone = ZoneInfo(time_zone)
    start = datetime.combine(local_date, shift.start, tzinfo=zone)
    end_date = local_date + timedelta(days=1) if shift.crosses_midnight else local_date
    end = datetime.combine(end_date, shift.end, tzinfo=zone)
    opens = start - timedelta(minutes=shift.opens_before_minutes)
    closes = end + timedelta(minutes=shift.closes_after_minutes)
    return DaySchedule(local_date, time_zone, start, end, opens, closes, source)


def window_refusal(schedule: DaySchedule, kind: PunchKind, at: datetime) -> str | None:
    """``"outside_window"`` when a punch of ``kind`` at ``at`` is outside the day's window."""
    if kind is PunchKind.IN and at < schedule.check_in_opens:
        return "outside_window"
    if kind is PunchKind.IN and at > schedule.check_out_closes:
        return "outside_window"
    if kind is PunchKind.OUT and at > schedule.check_out_closes:
        return "outside_window"
    return None


def late_minutes(schedule: DaySchedule, first_in: datetime) -> int:
    """Whole minutes after the start minute: 07:30:59 is on time, 07:31:00 is 1 minute."""
    seconds = (first_in - schedule.start).total_seconds()
    return max(0, math.floor(seconds / 60))


def early_minutes(schedule: DaySchedule, last_out: datetime) -> int:
    """Minutes left before the end, counting a started minute: 15:59:30 for 16:00 is 1."""
    seconds = (schedule.end - last_out).total_seconds()
    return max(0, math.ceil(seconds / 60))


ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def zone_label(time_zone: str) -> str:
    """WIB / WITA / WIT for Indonesia's zones, the IANA name otherwise."""
    return ZONE_LABELS.get(time_zone, time_zone)
