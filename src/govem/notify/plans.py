"""Who works on a date, and when: active employees whose day plan has a schedule (so not on a
holiday, cuti bersama, a roster day off or outside their work days), in bulk through
:func:`govem.schedules.queries.day_plans_for` (a constant number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govem.people.models import Employee
from govem.rules.schedule import DaySchedule
from govem.schedules.queries import day_plans_for


@dataclass(frozen=True)
class WorkPlan:
    employee: Employee
    schedule: DaySchedule


def work_plans(day: date) -> list[WorkPlan]:
    people = list(Employee.objects.filter(active=True).select_related("unit"))
    plans = day_plans_for([e.pk for e in people], day, day)
    result = []
    for employee in people:
        plan = plans.get((employee.pk, day))
        if plan is not None and plan.schedule is not None:
            result.append(WorkPlan(employee, plan.schedule))
    return result
