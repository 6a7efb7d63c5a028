"""November 2026 laid out for TPP: every workday on time except what a test asks for."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from govem.attendance.days import recompute_days
from govem.payroll.models import Pagu
from govem.people.models import Employee
from tests.ledger.conftest import lay

NOVEMBER = date(2026, 11, 1)
NOVEMBER_END = date(2026, 11, 30)


def workdays(month: date = NOVEMBER) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    days = [month.replace(day=d) for d in range(1, last + 1)]
    return [day for day in days if day.weekday() < 5]


def lay_month(
    employee: Employee,
    *,
    late: Iterable[date] = (),
    late_at: tuple[int, int] = (8, 5),
    absent: Iterable[date] = (),
    month: date = NOVEMBER,
) -> None:
    """On time every workday (in 07:25, out after the end), late or absent on the dates given."""
    late, absent = set(late), set(absent)
    for day in workdays(month):
        if day in absent:
            continue
        hh, mm = late_at if day in late else (7, 25)
        lay(employee, day, hh, mm, "in")
        lay(employee, day, 16, 35, "out")
    recompute_days(
        [employee.pk], month, month.replace(day=calendar.monthrange(month.year, month.month)[1])
    )


def pagu(basis: str, key: str, amount: int, valid_from: date = date(2026, 1, 1)) -> Pagu:
    return Pagu.objects.create(basis=basis, key=key, amount=amount, valid_from=valid_from)


TL2_DAYS = (date(2026, 11, 3), date(2026, 11, 10))
TK_DAY = date(2026, 11, 5)
