"""Who works on a date, and when: active employees whose day plan has a schedule (so not on a
holiday, cuti bersama, a roster day off or outside their work days), in bulk through
:func:`govem.schedules.queries.day_plans_for` (a constant number of queries), with their
approved absences for the date (cuti, sakit, DL … or permission to come late / leave early).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govem.absences.queries import approved_between, covering
from govem.people.models import Employee
from govem.rules.schedule import DaySchedule
from govem.schedules.queries import day_plans_for

FULL_DAY = ""
LATE_ARRIVAL = "late_arrival"
EARLY_LEAVE = "early_leave"


@dataclass(frozen=True)
class WorkPlan:
    employee: Employee
    schedule: DaySchedule
    excused: frozenset[str] = frozenset()  # parts of the day covered by an approved absence


def approved_absences(day: date) -> dict[int, set[str]]:
    """Employee id → the parts of ``day`` an approved absence covers ("" = the whole day)."""
    spans = approved_between(None, day, day)
    return {
        employee_id: {str(absence.part.value) for absence in covering(found, day)}
        for employee_id, found in spans.items()
    }


def work_plans(day: date) -> list[WorkPlan]:
    """The employees expected at work on ``day`` (those away the whole day, and those not
    counted yet on ``day`` — before the go-live or their own start — left out)."""
    # operations imports notify too: local, so neither app loads the other at import
    from govem.operations.golive import starts_for

    people = [
        employee
        for employee in Employee.objects.filter(active=True).select_related("unit")
        if day >= starts_for(employee)
    ]
    plans = day_plans_for([e.pk for e in people], day, day)
    away = approved_absences(day)
    result = []
    for employee in people:
        plan = plans.get((employee.pk, day))
        excused = frozenset(away.get(employee.pk, ()))
        if plan is None or plan.schedule is None or FULL_DAY in excused:
            continue
        result.append(WorkPlan(employee, plan.schedule, excused))
    return result
