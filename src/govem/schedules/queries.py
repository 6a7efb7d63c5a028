"""What is expected of an employee on a date: loading for :mod:`govem.rules.calendar`.

:func:`day_plans_for` loads everything it needs in a constant number of queries (employees,
their units' paths, locations, assignments, templates, special periods, rosters, calendar
overrides, unit calendars) and resolves each employee-date in memory, so a whole regency's
date costs the same dozen queries as one employee's. :func:`day_plan_for` is the one-employee
case of the same code, so the two can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import IntegerField, Q, Value
from django.utils import formats
from django.utils.translation import gettext as _

from govem.people.models import Employee, Unit, WorkLocation
from govem.rules.calendar import (
    DayPlan,
    Override,
    OverrideKind,
    RosterDay,
    TemplateChoice,
    choose_plan,
    national_calendar,
    resolve_day,
)
from govem.rules.codes import CUTI_BERSAMA, DAY_OFF
from govem.rules.schedule import DaySchedule, DayTemplate, ShiftTemplate, materialise_shift
from govem.schedules.models import (
    CalendarOverride,
    PeriodSchedule,
    RosterEntry,
    ScheduleAssignment,
    ScheduleDay,
    SpecialPeriod,
    UnitCalendar,
    WorkSchedule,
)

# Above this many employees one query for all rows beats a huge ``IN (...)`` list.
_IN_LIMIT = 1000


def _overlaps(start: date, end: date) -> Q:
    return Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))


def _chain(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in path.strip("/").split("/") if part)


@dataclass(frozen=True, slots=True)
class _Assignment:
    valid_from: date
    valid_to: date | None
    schedule_id: int
    id: int

    def active(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class _Period:
    id: int
    name: str
    start: date
    end: date
    schedule_id: int
    applies_to_all: bool
    unit_ids: frozenset[int]
    base_ids: frozenset[int]
    replacements: tuple[tuple[int, int], ...] = ()  # (base schedule, its replacement)

    def schedule_for(self, base_id: int | None) -> int:
        """The hours in force for someone whose normal schedule is ``base_id``."""
        for base, replacement in self.replacements:
            if base == base_id:
                return replacement
        return self.schedule_id

    def applies(self, day: date, chain: tuple[int, ...], base_id: int | None) -> bool:
        if not self.start <= day <= self.end:
            return False
        if base_id is not None and base_id in dict(self.replacements):
            return not self.unit_ids or not self.unit_ids.isdisjoint(chain)
        if self.applies_to_all:
            return True
        if not self.unit_ids and not self.base_ids:
            return False
        if self.unit_ids and self.unit_ids.isdisjoint(chain):
            return False
        return not self.base_ids or base_id in self.base_ids


@dataclass(frozen=True, slots=True)
class _Shift:
    code: str
    template: ShiftTemplate


@dataclass(slots=True)
class _Context:
    employees: dict[int, tuple[int, tuple[int, ...]]] = field(default_factory=dict)
    zones: dict[int, str] = field(default_factory=dict)
    own_assignments: dict[int, list[_Assignment]] = field(default_factory=dict)
    unit_assignments: dict[int, list[_Assignment]] = field(default_factory=dict)
    templates: dict[int, tuple[str, dict[int, DayTemplate]]] = field(default_factory=dict)
    default_id: int | None = None
    periods: list[_Period] = field(default_factory=list)
    roster: dict[tuple[int, date], tuple[_Shift | None, str]] = field(default_factory=dict)
    overrides: dict[date, list[tuple[Override, frozenset[int], int]]] = field(default_factory=dict)
    own_calendar_units: set[int] = field(default_factory=set)
    memo: dict[tuple[Any, ...], DayPlan] = field(default_factory=dict)


def _load(
    employee_ids: list[int],
    start: date,
    end: date,
    *,
    employees: list[Employee] | None = None,
    zones: bool = True,
) -> _Context:
    ctx = _Context()
    wanted = set(employee_ids)
    bulk = len(wanted) > _IN_LIMIT
    if employees is not None:
        for employee in employees:
            ctx.employees[employee.pk] = (employee.unit_id, _chain(employee.unit.path))
    else:
        rows = Employee.objects.values_list("id", "unit_id", "unit__path")
        if not bulk:
            rows = rows.filter(id__in=wanted)
        for pk, unit_id, path in rows:
            if pk in wanted:
                ctx.employees[pk] = (unit_id, _chain(path))

    if zones:
        _load_zones(ctx, wanted, bulk)
    _load_schedules(ctx, wanted, bulk, start, end)
    return ctx


def _load_zones(ctx: _Context, wanted: set[int], bulk: bool) -> None:
    """Time zones: the lowest-id active allowed location, like Employee.allowed_locations()."""
    location_zone = dict(WorkLocation.objects.filter(active=True).values_list("id", "time_zone"))
    unit_locations: dict[int, list[int]] = defaultdict(list)
    for unit_id, location_id in Unit.locations.through.objects.filter(
        worklocation__active=True
    ).values_list("unit_id", "worklocation_id"):
        unit_locations[unit_id].append(location_id)
    extra_rows = Employee.extra_locations.through.objects.filter(worklocation__active=True)
    if not bulk:
        extra_rows = extra_rows.filter(employee_id__in=wanted)
    extras: dict[int, list[int]] = defaultdict(list)
    for employee_id, location_id in extra_rows.values_list("employee_id", "worklocation_id"):
        extras[employee_id].append(location_id)
    for pk, (_unit_id, chain) in ctx.employees.items():
        candidates = [loc for unit in chain for loc in unit_locations.get(unit, ())]
        candidates += extras.get(pk, [])
        ctx.zones[pk] = location_zone[min(candidates)] if candidates else settings.TIME_ZONE


def _load_schedules(ctx: _Context, wanted: set[int], bulk: bool, start: date, end: date) -> None:

    assignments = ScheduleAssignment.objects.filter(_overlaps(start, end)).values_list(
        "employee_id", "unit_id", "valid_from", "valid_to", "schedule_id", "id"
    )
    for employee_id, unit_id, valid_from, valid_to, schedule_id, pk in assignments:
        item = _Assignment(valid_from, valid_to, schedule_id, pk)
        if employee_id is not None and employee_id in wanted:
            ctx.own_assignments.setdefault(employee_id, []).append(item)
        elif unit_id is not None:
            ctx.unit_assignments.setdefault(unit_id, []).append(item)

    for pk, code, is_default in WorkSchedule.objects.values_list("id", "code", "is_default"):
        ctx.templates[pk] = (code, {})
        if is_default and ctx.default_id is None:
            ctx.default_id = pk
    for row in ScheduleDay.objects.all():
        ctx.templates[row.schedule_id][1][row.weekday] = row.as_template()

    periods = SpecialPeriod.objects.filter(start_date__lte=end, end_date__gte=start)
    period_units: dict[int, set[int]] = defaultdict(set)
    period_bases: dict[int, set[int]] = defaultdict(set)
    period_replacements: dict[int, list[tuple[int, int]]] = defaultdict(list)
    period_rows = list(
        periods.values_list("id", "name", "start_date", "end_date", "schedule_id", "applies_to_all")
    )
    if period_rows:
        ids = [row[0] for row in period_rows]
        through = SpecialPeriod.units.through.objects.filter(specialperiod_id__in=ids)
        for period_id, unit_id in through.values_list("specialperiod_id", "unit_id"):
            period_units[period_id].add(unit_id)
        # The schedules a period replaces and the per-schedule replacements, in one query
        # (replacement 0: a row of ``base_schedules``).
        through_b = SpecialPeriod.base_schedules.through.objects.filter(
            specialperiod_id__in=ids
        ).values_list("specialperiod_id", "workschedule_id", Value(0, output_field=IntegerField()))
        replaced = PeriodSchedule.objects.filter(period_id__in=ids).values_list(
            "period_id", "base_schedule_id", "schedule_id"
        )
        for period_id, base_id, schedule_id in through_b.union(replaced, all=True):
            if schedule_id:
                period_replacements[period_id].append((base_id, schedule_id))
            else:
                period_bases[period_id].add(base_id)
    for pk, name, p_start, p_end, schedule_id, applies_to_all in period_rows:
        ctx.periods.append(
            _Period(
                pk,
                name,
                p_start,
                p_end,
                schedule_id,
                applies_to_all,
                frozenset(period_units[pk]),
                frozenset(period_bases[pk]),
                tuple(sorted(period_replacements[pk])),
            )
        )
    ctx.periods.sort(key=lambda p: (p.start, p.id), reverse=True)

    roster = RosterEntry.objects.filter(date__gte=start, date__lte=end).select_related("shift")
    if not bulk:
        roster = roster.filter(employee_id__in=wanted)
    for entry in roster:
        if entry.employee_id not in wanted:
            continue
        shift = _Shift(entry.shift.code, entry.shift.as_template()) if entry.shift else None
        ctx.roster[(entry.employee_id, entry.date)] = (shift, entry.note)

    override_rows = list(
        CalendarOverride.objects.filter(date__gte=start, date__lte=end).values_list(
            "id", "date", "kind", "name", "decree"
        )
    )
    override_units: dict[int, set[int]] = defaultdict(set)
    if override_rows:
        through_o = CalendarOverride.units.through.objects.filter(
            calendaroverride_id__in=[row[0] for row in override_rows]
        )
        for override_id, unit_id in through_o.values_list("calendaroverride_id", "unit_id"):
            override_units[override_id].add(unit_id)
    for pk, day, kind, name, decree in override_rows:
        ctx.overrides.setdefault(day, []).append(
            (Override(day, OverrideKind(kind), name, decree), frozenset(override_units[pk]), pk)
        )

    ctx.own_calendar_units = set(
        UnitCalendar.objects.filter(ignores_national_holidays=True).values_list(
            "unit_id", flat=True
        )
    )


def _template_id(ctx: _Context, employee_id: int, chain: tuple[int, ...], day: date) -> int | None:
    own = [a for a in ctx.own_assignments.get(employee_id, ()) if a.active(day)]
    if own:
        return max(own, key=lambda a: (a.valid_from, a.id)).schedule_id
    for unit_id in reversed(chain):
        active = [a for a in ctx.unit_assignments.get(unit_id, ()) if a.active(day)]
        if active:
            return max(active, key=lambda a: (a.valid_from, a.id)).schedule_id
    return ctx.default_id


def _override(
    ctx: _Context, chain: tuple[int, ...], day: date, own_calendar: bool
) -> Override | None:
    """The nearest unit-scoped override, else a regency-wide one (not for own calendars)."""
    best: tuple[int, int, Override] | None = None
    for override, unit_ids, pk in ctx.overrides.get(day, ()):
        if unit_ids:
            depth = max((i + 1 for i, unit in enumerate(chain) if unit in unit_ids), default=0)
            if depth == 0:
                continue
        elif own_calendar:
            continue
        else:
            depth = 0
        if best is None or (depth, pk) > best[:2]:
            best = (depth, pk, override)
    return best[2] if best else None


def _plan(ctx: _Context, employee_id: int, day: date, zone: str) -> DayPlan:
    _unit_id, chain = ctx.employees[employee_id]
    roster_day = None
    if (employee_id, day) in ctx.roster:
        shift, note = ctx.roster[(employee_id, day)]
        if shift is None:
            roster_day = RosterDay(None, "LIBUR", note)
        else:
            schedule = materialise_shift(shift.template, day, zone, source=f"{shift.code} (roster)")
            roster_day = RosterDay(schedule, shift.code, note)
    own_calendar = any(unit in ctx.own_calendar_units for unit in chain)
    base_id = _template_id(ctx, employee_id, chain, day)
    period = next((p for p in ctx.periods if p.applies(day, chain, base_id)), None)
    override = _override(ctx, chain, day, own_calendar)
    key = (day, zone, own_calendar, override, base_id, period.id if period else None)
    if roster_day is None and key in ctx.memo:
        # Same inputs give the same plan: share the immutable schedule across employees.
        shared = ctx.memo[key]
        return DayPlan(employee_id, *_fields(shared))
    template = None
    if period is not None and period.schedule_for(base_id) in ctx.templates:
        code, days = ctx.templates[period.schedule_for(base_id)]
        template = TemplateChoice(code, days, special_period=period.name)
    elif base_id is not None and base_id in ctx.templates:
        code, days = ctx.templates[base_id]
        template = TemplateChoice(code, days)
    plan = resolve_day(
        employee_id=employee_id,
        local_date=day,
        time_zone=zone,
        roster=roster_day,
        override=override,
        own_calendar=own_calendar,
        template=template,
    )
    if roster_day is None:
        ctx.memo[key] = plan
    return plan


def _fields(plan: DayPlan) -> tuple[Any, ...]:
    return (
        plan.local_date,
        plan.time_zone,
        plan.schedule,
        plan.day_off_code,
        plan.day_off_reason,
        plan.schedule_source,
    )


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def day_plans_for(
    employee_ids: Iterable[int], start: date, end: date
) -> dict[tuple[int, date], DayPlan]:
    """Plans for every (employee, date) from ``start`` to ``end`` inclusive, in bulk."""
    ids = list(dict.fromkeys(employee_ids))
    ctx = _load(ids, start, end)
    days = _dates(start, end)
    return {
        (pk, day): _plan(ctx, pk, day, ctx.zones[pk])
        for pk in ids
        if pk in ctx.employees
        for day in days
    }


def _plans_of(
    employee: Employee, start: date, end: date, time_zone: str | None = None
) -> dict[date, DayPlan]:
    ctx = _load([employee.pk], start, end, employees=[employee], zones=time_zone is None)
    zone = time_zone or ctx.zones[employee.pk]
    return {day: _plan(ctx, employee.pk, day, zone) for day in _dates(start, end)}


def day_plan_for(employee: Employee, day: date, time_zone: str | None = None) -> DayPlan:
    """The plan of one employee for one local date (in their primary location's zone)."""
    return _plans_of(employee, day, day, time_zone)[day]


def employee_time_zone(employee: Employee) -> str:
    """The zone of the employee's primary (first allowed) location, else the server's."""
    location = employee.allowed_locations().order_by("id").first()
    return location.time_zone if location else settings.TIME_ZONE


def attribute_punch(
    employee: Employee, at: datetime, *, time_zone: str | None = None, kind: str | None = None
) -> DayPlan:
    """The plan (and local date) a punch at ``at`` belongs to.

    A check-out at 07:05 after a night shift that started at 19:00 the evening before
    belongs to that evening's date; otherwise the local date in the employee's zone
    (``time_zone``, e.g. the matched location's, overrides it). ``kind`` ("in"/"out")
    settles overlapping windows of back-to-back shifts: nearest start / nearest end.
    """
    zone = time_zone or employee_time_zone(employee)
    local_date = at.astimezone(ZoneInfo(zone)).date()
    plans = _plans_of(
        employee, local_date - timedelta(days=1), local_date + timedelta(days=1), zone
    )
    chosen = choose_plan(plans.values(), at, local_date, kind)
    return chosen if chosen is not None else plans[local_date]


class PlanSnapshot:
    """The plans of every employee of one unit subtree around a date range, loaded once
    (a constant number of queries) and resolved in memory per employee-date: what the
    punch context caches per process (govem.attendance.context)."""

    def __init__(self, root_path: str, start: date, end: date) -> None:
        rows = list(
            Employee.objects.filter(unit__path__startswith=root_path).values_list(
                "id", "unit_id", "unit__path"
            )
        )
        ids = [row[0] for row in rows]
        ctx = _Context()
        for pk, unit_id, path in rows:
            ctx.employees[pk] = (unit_id, _chain(path))
        wanted = set(ids)
        bulk = len(wanted) > _IN_LIMIT
        _load_zones(ctx, wanted, bulk)
        _load_schedules(ctx, wanted, bulk, start, end)
        for year in range(start.year, end.year + 1):
            national_calendar(year)  # built now (cached per year), not by the next punch
        self.ctx = ctx
        self.start = start
        self.end = end

    def knows(self, employee_id: int) -> bool:
        return employee_id in self.ctx.employees

    def zone(self, employee_id: int) -> str:
        return self.ctx.zones[employee_id]

    def plan(self, employee_id: int, day: date, time_zone: str | None = None) -> DayPlan:
        """As :func:`day_plans_for` (own zone) or :func:`attribute_punch` (``time_zone``)."""
        return _plan(self.ctx, employee_id, day, time_zone or self.ctx.zones[employee_id])


def punch_plans(
    employee: Employee, local_date: date, time_zone: str
) -> tuple[dict[date, DayPlan], dict[date, DayPlan]]:
    """The plans a punch near ``local_date`` needs, from one load: the dates around it in
    the punch's zone (which date it belongs to: :func:`attribute_punch`) and in the
    employee's own zone (what the day record holds, as :func:`day_plans_for` computes it)."""
    days = [local_date - timedelta(days=1), local_date, local_date + timedelta(days=1)]
    ctx = _load([employee.pk], days[0], days[-1], employees=[employee])
    in_zone = {day: _plan(ctx, employee.pk, day, time_zone) for day in days}
    own_zone = ctx.zones[employee.pk]
    if own_zone == time_zone:
        return in_zone, in_zone
    return in_zone, {day: _plan(ctx, employee.pk, day, own_zone) for day in days}


def day_schedule_for(employee: Employee, day: date, time_zone: str) -> DaySchedule | None:
    """The materialised schedule for ``day``, or ``None`` on a day off (kept for callers)."""
    return day_plan_for(employee, day, time_zone).schedule


def schedule_template_for(employee: Employee, day: date) -> WorkSchedule | None:
    """The normal template (employee's own, nearest unit up the tree, default) on ``day``."""
    ctx = _Context()
    chain = _chain(employee.unit.path)
    rows = ScheduleAssignment.objects.filter(
        _overlaps(day, day), Q(employee_id=employee.pk) | Q(unit_id__in=chain)
    ).values_list("employee_id", "unit_id", "valid_from", "valid_to", "schedule_id", "id")
    for employee_id, unit_id, valid_from, valid_to, schedule_id, pk in rows:
        item = _Assignment(valid_from, valid_to, schedule_id, pk)
        if employee_id is not None:
            ctx.own_assignments.setdefault(employee_id, []).append(item)
        else:
            ctx.unit_assignments.setdefault(unit_id, []).append(item)
    default = WorkSchedule.objects.filter(is_default=True).first()
    ctx.default_id = default.pk if default else None
    template_id = _template_id(ctx, employee.pk, chain, day)
    if default is not None and template_id == default.pk:
        return default
    return WorkSchedule.objects.filter(pk=template_id).first() if template_id else None


@dataclass(frozen=True, slots=True)
class CalendarRow:
    """One line of the year view: a non-working day (or a changed one) and where it comes from."""

    day: date
    weekday: str
    name: str
    source: str
    code: str  # "L", "CB", or "" when the day is (again) a workday
    scope: str


def year_calendar(year: int) -> list[CalendarRow]:
    """Every national holiday, cuti bersama and override of ``year``, by date."""
    rows: list[CalendarRow] = []
    overrides = (
        CalendarOverride.objects.filter(date__year=year)
        .prefetch_related("units")
        .order_by("date", "id")
    )
    changed: dict[date, list[CalendarOverride]] = defaultdict(list)
    for override in overrides:
        changed[override.date].append(override)
    # The page's words, in its language (the weekday too: rules.calendar's names are Indonesian).
    regency = _("Seluruh kabupaten")
    for holiday in national_calendar(year).values():
        national = _("Cuti bersama") if holiday.code == CUTI_BERSAMA else _("Libur nasional")
        removals = [
            o
            for o in changed[holiday.local_date]
            if o.kind in (OverrideKind.WORKDAY, OverrideKind.FLEXIBLE)
        ]
        removed_everywhere = any(not o.units.all() for o in removals)
        rows.append(
            CalendarRow(
                holiday.local_date,
                formats.date_format(holiday.local_date, "l"),
                holiday.name,
                national,
                "" if removed_everywhere else holiday.code,
                regency,
            )
        )
    for day, items in changed.items():
        for override in items:
            decree = f"SK {override.decree}" if override.decree else "SK"
            if override.kind == OverrideKind.HOLIDAY:
                source, code = _("Lokal (%(decree)s)") % {"decree": decree}, DAY_OFF
            elif override.kind == OverrideKind.CUTI_BERSAMA:
                source = _("Cuti bersama, ditambah manual (%(decree)s)") % {"decree": decree}
                code = CUTI_BERSAMA
            elif override.kind == OverrideKind.WORKDAY:
                source, code = _("Dihapus oleh %(decree)s") % {"decree": decree}, ""
            else:
                source, code = _("Kerja fleksibel/FWA (%(decree)s)") % {"decree": decree}, ""
            units = ", ".join(unit.code for unit in override.units.all())
            rows.append(
                CalendarRow(
                    day,
                    formats.date_format(day, "l"),
                    override.name,
                    source,
                    code,
                    units or regency,
                )
            )
    rows.sort(key=lambda row: (row.day, row.code == ""))
    return rows


def own_calendar_units() -> list[UnitCalendar]:
    return list(
        UnitCalendar.objects.filter(ignores_national_holidays=True)
        .select_related("unit")
        .order_by("unit__path")
    )
