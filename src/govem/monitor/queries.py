"""Reads of the monitoring console: the day's overview per employee, tiles, units.

Everything goes through :func:`govem.accounts.scoping.employee_q`, so an operator's numbers
only ever contain their unit subtree. The live part comes straight from today's punches
(no waiting for a recompute); leave, duty travel, sickness and holidays come from the
derived day records.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet

from govem.accounts.scoping import employee_q, is_it, operator_units, sees_everything
from govem.attendance.context import current_generation
from govem.attendance.models import Punch
from govem.attendance.queries import location_json
from govem.monitor import days
from govem.operations.golive import starts_for
from govem.people.models import Employee, Unit, WorkLocation
from govem.rules.bands import late_code
from govem.rules.calendar import DayPlan
from govem.rules.schedule import DaySchedule, late_minutes
from govem.schedules.queries import day_plans_for

COUNTED = (Punch.Verdict.ACCEPTED, Punch.Verdict.FLAGGED)
TILE_KEYS = (
    "scheduled",
    "checked_in",
    "on_time",
    "TL1",
    "TL2",
    "TL3",
    "TL4",
    "not_yet",
    "leave",
    "day_off",
    "checked_out",
)


def late_band(minutes: int) -> str:
    """TL1–TL4 by the regency's band limits (:mod:`govem.rules.bands`); "" when on time."""
    return (late_code(minutes) or "") if minutes > 0 else ""


@dataclass
class EmployeeDay:
    employee: Employee
    schedule: DaySchedule | None
    first_in: datetime | None = None
    last_out: datetime | None = None
    last_failed: datetime | None = None
    absence: str = ""  # an absence or day-off code from the day record (C, S, DL, L, CB, ...)
    codes: list[str] = field(default_factory=list)
    day_off_reason: str = ""
    counted: bool = True  # False: before the employee's counting start (nothing booked)

    @property
    def late(self) -> int:
        if self.schedule is None or self.first_in is None or not self.counted:
            return 0
        return late_minutes(self.schedule, self.first_in)

    @property
    def band(self) -> str:
        return late_band(self.late)

    @property
    def state(self) -> str:
        """``day_off``, ``leave``, ``in`` (checked in) or ``not_yet``."""
        if self.absence in days.DAY_OFF_CODES or (self.schedule is None and not self.first_in):
            return "day_off"
        if self.absence:
            return "leave"
        return "in" if self.first_in else "not_yet"


def scoped_employees(user: Any, unit: Unit | None, only: int | None = None) -> QuerySet[Employee]:
    employees = Employee.objects.filter(employee_q(user), active=True)
    if only is not None:
        employees = employees.filter(pk=only)
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    return employees.select_related("unit")


def _plans(employees: list[Employee], day: date) -> dict[int, DayPlan]:
    """Each employee's plan for the day (schedule, holiday, roster), in bulk."""
    plans = day_plans_for([employee.pk for employee in employees], day, day)
    return {employee_id: plan for (employee_id, _), plan in plans.items()}


def scope_key(user: Any) -> str:
    """Users with this key see exactly the same employees."""
    if sees_everything(user):
        return "all"
    paths = sorted(unit.path for unit in operator_units(user)) if not is_it(user) else []
    return f"u{user.pk}:" + ",".join(paths)


# (scope, day, unit, generation) → each employee's part of the day that no punch changes:
# the employee, the plan, whether the day is counted. Exact for as long as the punch-context
# generation (govem.attendance.context) stands: every change to employees, units,
# schedules, calendars, approved absences or the counting start bumps it.
_skeletons: OrderedDict[tuple[Any, ...], list[tuple[Any, ...]]] = OrderedDict()
_skeletons_lock = threading.Lock()
SKELETONS_KEPT = 32


def _skeleton(user: Any, day: date, unit: Unit | None) -> list[tuple[Any, ...]]:
    generation = current_generation()
    key = (scope_key(user), day, unit.pk if unit else None, generation)
    with _skeletons_lock:
        found = _skeletons.get(key)
    if found is not None and generation is not None:
        return found
    employees = list(scoped_employees(user, unit))
    plans = _plans(employees, day)
    built = []
    for employee in employees:
        plan = plans.get(employee.pk)
        built.append(
            (
                employee,
                plan.schedule if plan else None,
                (plan.day_off_code or "") if plan else "",
                plan.day_off_reason if plan else "",
                day >= starts_for(employee),
            )
        )
    if generation is not None:
        with _skeletons_lock:
            _skeletons[key] = built
            while len(_skeletons) > SKELETONS_KEPT:
                _skeletons.popitem(last=False)
    return built


def forget() -> None:
    with _skeletons_lock:
        _skeletons.clear()


def employee_days(
    user: Any, day: date, unit: Unit | None, *, only: int | None = None
) -> list[EmployeeDay]:
    if only is None:
        skeleton = _skeleton(user, day, unit)
    else:
        employees = list(scoped_employees(user, unit, only))
        plans = _plans(employees, day)
        skeleton = [
            (
                employee,
                plans[employee.pk].schedule if employee.pk in plans else None,
                (plans[employee.pk].day_off_code or "") if employee.pk in plans else "",
                plans[employee.pk].day_off_reason if employee.pk in plans else "",
                day >= starts_for(employee),
            )
            for employee in employees
        ]
    rows = {}
    for employee, schedule, absence, day_off_reason, counted in skeleton:
        rows[employee.pk] = EmployeeDay(
            employee=employee,
            schedule=schedule,
            absence=absence,
            day_off_reason=day_off_reason,
            counted=counted,
        )
    in_scope = scoped_employees(user, unit, only).values("pk")
    punches = Punch.objects.filter(local_date=day, employee_id__in=in_scope)
    for item in (
        punches.filter(verdict__in=COUNTED)
        .values("employee_id", "kind")
        .annotate(first=Min("server_time"), last=Max("server_time"))
    ):
        row = rows.get(item["employee_id"])
        if row is None:
            continue
        if item["kind"] == Punch.Kind.IN:
            row.first_in = item["first"]
        else:
            row.last_out = item["last"]
    for item in (  # type: ignore[assignment]
        punches.filter(verdict=Punch.Verdict.REJECTED)
        .values("employee_id")
        .annotate(last=Max("server_time"))
    ):
        row = rows.get(item["employee_id"])
        if row is not None:
            row.last_failed = item["last"]
    for employee_id, codes in days.codes_for(in_scope, day).items():
        row = rows.get(employee_id)
        if row is None:
            continue
        row.codes = codes
        row.absence = days.absence_code(codes) or row.absence
    return list(rows.values())


def tiles(rows: list[EmployeeDay]) -> dict[str, int]:
    counts = dict.fromkeys(TILE_KEYS, 0)
    for row in rows:
        state = row.state
        if state == "day_off":
            counts["day_off"] += 1
            continue
        counts["scheduled"] += 1
        if state == "leave":
            counts["leave"] += 1
            continue
        if state == "not_yet":
            counts["not_yet"] += 1
            continue
        counts["checked_in"] += 1
        band = row.band
        counts[band or "on_time"] += 1
        if row.last_out:
            counts["checked_out"] += 1
    return counts


@dataclass
class UnitRow:
    unit: Unit
    depth: int
    counts: dict[str, int]

    def rate(self, key: str) -> float:
        expected = self.counts["scheduled"] - self.counts["leave"]
        return round(100 * self.counts[key] / expected, 1) if expected > 0 else 0.0

    @property
    def late(self) -> int:
        return sum(self.counts[band] for band in ("TL1", "TL2", "TL3", "TL4"))

    @property
    def rates(self) -> dict[str, float]:
        expected = self.counts["scheduled"] - self.counts["leave"]
        late = round(100 * self.late / expected, 1) if expected > 0 else 0.0
        return {
            "present": self.rate("checked_in"),
            "on_time": self.rate("on_time"),
            "late": late,
            "not_yet": self.rate("not_yet"),
        }


SORT_KEYS = {
    "name": lambda row: row.unit.name.lower(),
    "scheduled": lambda row: row.counts["scheduled"],
    "present": lambda row: row.rates["present"],
    "on_time": lambda row: row.rates["on_time"],
    "late": lambda row: row.rates["late"],
    "not_yet": lambda row: row.rates["not_yet"],
}


def unit_rows(
    rows: list[EmployeeDay], units: list[Unit], *, sort: str = "", descending: bool = False
) -> list[UnitRow]:
    """One row per unit with the counts of its whole subtree."""
    by_unit: dict[int, list[EmployeeDay]] = defaultdict(list)
    for row in rows:
        by_unit[row.employee.unit_id].append(row)
    paths = {row.employee.unit_id: row.employee.unit.path for row in rows}
    result = []
    base = min((unit.path.count("/") for unit in units), default=0)
    for unit in units:
        members = [
            row
            for unit_id, unit_members in by_unit.items()
            if paths[unit_id].startswith(unit.path)
            for row in unit_members
        ]
        result.append(UnitRow(unit, unit.path.count("/") - base, tiles(members)))
    if sort in SORT_KEYS:
        result.sort(key=SORT_KEYS[sort], reverse=descending)
    return result


def not_yet(rows: list[EmployeeDay]) -> list[EmployeeDay]:
    waiting = [row for row in rows if row.state == "not_yet"]
    return sorted(waiting, key=lambda row: (row.employee.unit.path, row.employee.name))


def map_locations(rows: list[EmployeeDay]) -> list[dict[str, Any]]:

    unit_ids = {unit_id for row in rows for unit_id in row.employee.unit.ancestors_and_self_ids()}
    locations = WorkLocation.objects.filter(
        Q(units__id__in=unit_ids) | Q(extra_employees__in=[r.employee.pk for r in rows]),
        active=True,
    ).distinct()
    return [location_json(location) for location in locations[:500]]


def default_zone() -> str:
    return str(settings.TIME_ZONE)


CURVE_FROM_HOUR, CURVE_TO_HOUR, CURVE_STEP_MIN = 5, 10, 5


def _check_ins(user: Any, unit: Unit | None) -> QuerySet[Punch]:
    punches = Punch.objects.filter(
        employee_q(user, prefix="employee__"), kind=Punch.Kind.IN
    ).exclude(verdict=Punch.Verdict.REJECTED)
    if unit is not None:
        punches = punches.filter(employee__unit__path__startswith=unit.path)
    return punches


def _per_bucket(punches: QuerySet[Punch], day: date) -> list[int]:
    slots = (CURVE_TO_HOUR - CURVE_FROM_HOUR) * 60 // CURVE_STEP_MIN
    counts = [0] * slots
    for moment, zone in punches.filter(local_date=day).values_list("server_time", "time_zone"):
        local = moment.astimezone(ZoneInfo(zone))
        minute = (local.hour - CURVE_FROM_HOUR) * 60 + local.minute
        if 0 <= minute < slots * CURVE_STEP_MIN:
            counts[minute // CURVE_STEP_MIN] += 1
    return counts


def morning_curve(user: Any, day: date, unit: Unit | None) -> dict[str, Any]:
    """Check-ins per 5 minutes between 05:00 and 10:00 on ``day`` and on the previous day
    that had check-ins (the previous workday), in the user's scope."""
    punches = _check_ins(user, unit)
    previous = (
        punches.filter(local_date__lt=day)
        .order_by("-local_date")
        .values_list("local_date", flat=True)
        .first()
    )
    return {
        "day": day,
        "today": _per_bucket(punches, day),
        "previous_day": previous,
        "previous": _per_bucket(punches, previous) if previous else None,
        "from_hour": CURVE_FROM_HOUR,
        "step": CURVE_STEP_MIN,
    }
