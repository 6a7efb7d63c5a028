"""When each phase of a date is due, from the schedules in force that date.

The plans of every active employee are resolved in bulk by
:func:`govem.schedules.queries.day_plans_for` (a constant number of queries), then reduced to
the distinct (start, end, check-out closing) triples. The SOP's phases keep the SOP's times:
prepare = earliest start − 30 min, reconcile = last end, close = last end + 30 min. The
settle step comes when the last check-out window of the date has closed (18:00 on
NASIONAL-5H; a night shift's the next morning): only then is the date settled for everyone.
A date on which nobody works (a Sunday, a national holiday) still gets its phases — the
backup and the health checks are daily — at the default schedule's hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from govem.operations.models import PhaseRun
from govem.people.models import Employee
from govem.schedules.queries import day_plans_for

PREPARE_BEFORE = timedelta(minutes=30)
CLOSE_AFTER = timedelta(minutes=30)
# Hours used on a date without any working schedule (server time zone).
IDLE_START = time(7, 30)
IDLE_END = time(16, 0)
IDLE_CLOSE = time(18, 0)


@dataclass(frozen=True)
class PhaseTimes:
    day: date
    earliest_start: datetime
    last_end: datetime
    last_close: datetime  # the last check-out closing: the date is settled from then
    schedules: int  # distinct (start, end, closing) in force; 0 = nobody works
    employees: int  # active employees with a working schedule that date

    @property
    def prepare_at(self) -> datetime:
        return self.earliest_start - PREPARE_BEFORE

    @property
    def reconcile_at(self) -> datetime:
        return self.last_end

    @property
    def close_at(self) -> datetime:
        return self.last_end + CLOSE_AFTER

    @property
    def settle_at(self) -> datetime:
        # Never before the close phase: settling re-does its report draft and backup.
        return max(self.last_close, self.close_at)

    def due(self, phase: str) -> datetime:
        return {
            PhaseRun.Phase.PREPARE: self.prepare_at,
            PhaseRun.Phase.RECONCILE: self.reconcile_at,
            PhaseRun.Phase.CLOSE: self.close_at,
            PhaseRun.Phase.SETTLE: self.settle_at,
        }[PhaseRun.Phase(phase)]

    def as_dict(self) -> dict[str, object]:
        return {
            "earliest_start": self.earliest_start.isoformat(),
            "last_end": self.last_end.isoformat(),
            "prepare_at": self.prepare_at.isoformat(),
            "reconcile_at": self.reconcile_at.isoformat(),
            "close_at": self.close_at.isoformat(),
            "last_close": self.last_close.isoformat(),
            "settle_at": self.settle_at.isoformat(),
            "schedules": self.schedules,
            "employees": self.employees,
        }


def _working_spans(day: date) -> tuple[set[tuple[datetime, datetime, datetime]], int]:

    ids = list(Employee.objects.filter(active=True).values_list("pk", flat=True))
    spans: set[tuple[datetime, datetime, datetime]] = set()
    working = 0
    for plan in day_plans_for(ids, day, day).values():
        if plan.schedule is not None:
            schedule = plan.schedule
            spans.add((schedule.start, schedule.end, schedule.check_out_closes))
            working += 1
    return spans, working


def phase_times(day: date) -> PhaseTimes:
    spans, working = _working_spans(day)
    if not spans:
        zone = ZoneInfo(settings.TIME_ZONE)
        return PhaseTimes(
            day=day,
            earliest_start=datetime.combine(day, IDLE_START, tzinfo=zone),
            last_end=datetime.combine(day, IDLE_END, tzinfo=zone),
            last_close=datetime.combine(day, IDLE_CLOSE, tzinfo=zone),
            schedules=0,
            employees=0,
        )
    return PhaseTimes(
        day=day,
        earliest_start=min(start for start, _, _ in spans),
        last_end=max(end for _, end, _ in spans),
        last_close=max(closes for _, _, closes in spans),
        schedules=len(spans),
        employees=working,
    )
