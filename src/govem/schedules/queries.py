"""Which schedule is in force for an employee on a date."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from govem.people.models import Employee
from govem.rules.schedule import DaySchedule, materialise
from govem.schedules.models import ScheduleAssignment, WorkSchedule


def _active_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def schedule_template_for(employee: Employee, day: date) -> WorkSchedule | None:
    """Employee's own assignment, else the nearest unit up the tree, else the default."""
    own = (
        ScheduleAssignment.objects.filter(_active_on(day), employee=employee)
        .select_related("schedule")
        .order_by("-valid_from", "-id")
        .first()
    )
    if own:
        return own.schedule
    unit_ids = employee.unit.ancestors_and_self_ids()
    by_unit = {
        assignment.unit_id: assignment
        for assignment in ScheduleAssignment.objects.filter(_active_on(day), unit_id__in=unit_ids)
        .select_related("schedule")
        .order_by("valid_from", "id")
    }
    for unit_id in reversed(unit_ids):
        if unit_id in by_unit:
            return by_unit[unit_id].schedule
    return WorkSchedule.objects.filter(is_default=True).first()


def day_schedule_for(employee: Employee, day: date, time_zone: str) -> DaySchedule | None:
    """The materialised schedule for ``day``, or ``None`` on a day off."""
    template = schedule_template_for(employee, day)
    if template is None:
        return None
    row = template.days.filter(weekday=day.weekday()).first()
    if row is None:
        return None
    return materialise(row.as_template(), day, time_zone, source=template.code)
