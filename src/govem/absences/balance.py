"""Annual leave (cuti tahunan) balance per PP 11/2017.

Every year brings 12 working days. Unused days of the previous year carry over, at most 6,
so a year holds at most 18. (PP 11/2017 allows up to 24 when leave was not taken for two
years in a row; that case is granted by the BKPSDM by hand and is not modelled here.)
Used days are the working days — per the employee's schedule and the holiday calendar,
``day_plans_for`` — of pending and approved CT requests; a pending request holds its days
so two requests cannot both spend the same balance. Employee records carry no start date
(TMT), so everyone is treated as employed in the previous year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govem.absences.models import AbsenceRequest
from govem.people.models import Employee
from govem.schedules.queries import day_plans_for

LEAVE_CODE = "CT"
YEARLY_DAYS = 12
MAX_CARRY_DAYS = 6


@dataclass(frozen=True)
class LeaveBalance:
    year: int
    entitled: int
    carried: int
    used: int

    @property
    def remaining(self) -> int:
        return max(0, self.entitled + self.carried - self.used)


def working_days(employee_id: int, start: date, end: date) -> int:
    plans = day_plans_for([employee_id], start, end)
    return sum(1 for plan in plans.values() if plan.is_workday)


def used_days(employee: Employee, year: int) -> int:
    first, last = date(year, 1, 1), date(year, 12, 31)
    spans = AbsenceRequest.objects.filter(
        employee=employee,
        type__code=LEAVE_CODE,
        status__in=(AbsenceRequest.Status.PENDING, AbsenceRequest.Status.APPROVED),
        start_date__lte=last,
        end_date__gte=first,
    ).values_list("start_date", "end_date")
    return sum(working_days(employee.pk, max(start, first), min(end, last)) for start, end in spans)


def annual_leave_balance(employee: Employee, year: int) -> LeaveBalance:
    previous_unused = max(0, YEARLY_DAYS - used_days(employee, year - 1))
    carried = min(MAX_CARRY_DAYS, previous_unused)
    return LeaveBalance(year, YEARLY_DAYS, carried, used_days(employee, year))
