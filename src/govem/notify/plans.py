"""Who works on a date, and when: the active employees with a schedule that day, minus
holidays. Resolved per unit (employees inherit their unit's schedule and office time zone),
with own assignments per employee, so 10 000 employees cost a handful of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from govem.people.models import Employee, Unit
from govem.rules.schedule import DaySchedule, materialise
from govem.schedules.models import ScheduleAssignment, WorkSchedule
from govem.schedules.queries import schedule_template_for


@dataclass(frozen=True)
class WorkPlan:
    employee: Employee
    schedule: DaySchedule


def is_public_holiday(day: date) -> bool:
    """National holidays and cuti bersama (``holidays``: ID, public and government)."""
    import holidays

    calendar = holidays.country_holidays("ID", years=day.year, categories=("public", "government"))
    return day in calendar


def _zones() -> dict[int, str]:
    """Unit id → the time zone of the nearest unit up the tree with an active location."""
    first_location: dict[int, str] = {}
    links = (
        Unit.locations.through.objects.filter(worklocation__active=True)
        .order_by("worklocation_id")
        .values_list("unit_id", "worklocation__time_zone")
    )
    for unit_id, zone in links:
        first_location.setdefault(unit_id, zone)
    zones = {}
    for unit in Unit.objects.only("pk", "path"):
        zone = settings.TIME_ZONE
        for unit_id in unit.ancestors_and_self_ids():
            zone = first_location.get(unit_id, zone)
        zones[unit.pk] = zone
    return zones


def _materialise(template: WorkSchedule | None, day: date, zone: str) -> DaySchedule | None:
    if template is None:
        return None
    row = next((r for r in template.days.all() if r.weekday == day.weekday()), None)
    if row is None:
        return None
    return materialise(row.as_template(), day, zone, source=template.code)


def work_plans(day: date, employees: Iterable[Employee] | None = None) -> list[WorkPlan]:
    if is_public_holiday(day):
        return []
    own = ScheduleAssignment.objects.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)),
        employee=OuterRef("pk"),
    )
    if employees is None:
        queryset = Employee.objects.filter(active=True)
    else:
        queryset = Employee.objects.filter(pk__in=[e.pk for e in employees], active=True)
    people = list(queryset.select_related("unit").annotate(has_own=Exists(own)))
    zones = _zones()
    by_unit: dict[int, WorkSchedule | None] = {}
    cache: dict[tuple[int | None, str], DaySchedule | None] = {}
    templates: dict[int, WorkSchedule] = {}
    plans = []
    for employee in people:
        if employee.has_own:
            template = schedule_template_for(employee, day)
        else:
            if employee.unit_id not in by_unit:
                by_unit[employee.unit_id] = schedule_template_for(employee, day)
            template = by_unit[employee.unit_id]
        if template is not None:
            template = templates.setdefault(template.pk, template)
        zone = zones.get(employee.unit_id, settings.TIME_ZONE)
        key = (template.pk if template else None, zone)
        if key not in cache:
            cache[key] = _materialise(template, day, zone)
        schedule = cache[key]
        if schedule is not None:
            plans.append(WorkPlan(employee, schedule))
    return plans
