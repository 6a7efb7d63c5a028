"""Annual leave (cuti tahunan) balance per PP 11/2017: the facts for :mod:`govem.rules.leave`.

Used days are the working days — per the employee's schedule and the holiday calendar,
``day_plans_for`` — of pending and approved CT requests; a pending request holds its days
so two requests cannot both spend the same balance. The TMT is the employee's field, else a
PNS NIP's digits 9–14. The cuti bersama days the employee's plan makes workdays (a unit with
its own calendar, a roster) are added back as leave (art. 333(3)).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext

from govem.absences.models import AbsenceRequest
from govem.people.models import Employee
from govem.rules.calendar import national_calendar
from govem.rules.codes import CUTI_BERSAMA
from govem.rules.leave import LeaveBalance, annual_leave, count_workdays, days_used
from govem.schedules.models import CalendarOverride
from govem.schedules.queries import day_plans_for

LEAVE_CODE = "CT"

__all__ = ["LEAVE_CODE", "LeaveBalance", "annual_leave_balance", "balance_json", "working_days"]


def working_days(employee_id: int, start: date, end: date) -> int:
    plans = day_plans_for([employee_id], start, end)
    return count_workdays(plan.is_workday for plan in plans.values())


def used_days(employee: Employee, year: int) -> int:
    first, last = date(year, 1, 1), date(year, 12, 31)
    spans = AbsenceRequest.objects.filter(
        employee=employee,
        type__code=LEAVE_CODE,
        status__in=(AbsenceRequest.Status.PENDING, AbsenceRequest.Status.APPROVED),
        start_date__lte=last,
        end_date__gte=first,
    ).values_list("start_date", "end_date")
    return sum(working_days(employee.pk, start, end) for start, end in days_used(spans, year))


def cuti_bersama_dates(year: int) -> set[date]:
    """The year's cuti bersama: the national calendar's and those the IT team added by hand."""
    days = {day for day, item in national_calendar(year).items() if item.code == CUTI_BERSAMA}
    days |= set(
        CalendarOverride.objects.filter(
            date__year=year, kind=CalendarOverride.Kind.CUTI_BERSAMA
        ).values_list("date", flat=True)
    )
    return days


def cuti_bersama_worked(employee: Employee, year: int) -> int:
    """Cuti bersama days that are workdays in the employee's own plan (art. 333(3))."""
    days = cuti_bersama_dates(year)
    if not days:
        return 0
    plans = day_plans_for([employee.pk], min(days), max(days))
    return count_workdays(plan.is_workday for (_pk, day), plan in plans.items() if day in days)


def annual_leave_balance(employee: Employee, year: int) -> LeaveBalance:
    tmt, source = employee.service_start()
    return annual_leave(
        year=year,
        tmt=tmt,
        tmt_source=source,
        used=used_days(employee, year),
        used_previous=used_days(employee, year - 1),
        used_two_before=used_days(employee, year - 2),
        cuti_bersama_worked=cuti_bersama_worked(employee, year),
    )


def balance_lines(balance: LeaveBalance) -> list[str]:
    """The derivation in the page's language (the API's ``derivation`` stays Indonesian)."""
    return [
        gettext(text) % {k: gettext(v) if isinstance(v, str) else v for k, v in values.items()}
        if values
        else gettext(text)
        for text, values in balance.lines
    ]


def balance_json(balance: LeaveBalance) -> dict[str, Any]:
    return {
        "year": balance.year,
        "entitled": balance.entitled,
        "carried": balance.carried,
        "cuti_bersama_compensation": balance.compensation,
        "total": balance.total,
        "used": balance.used,
        "remaining": balance.remaining,
        "available_from": balance.available_from.isoformat() if balance.available_from else None,
        "derivation": list(balance.steps),
    }
