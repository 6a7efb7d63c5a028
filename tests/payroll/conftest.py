"""November 2026 laid out for TPP: every workday on time except what a test asks for."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from govem.attendance.days import recompute_days
from govem.payroll.models import Pagu, Productivity, Sentence
from govem.people.models import Employee
from tests.ledger.conftest import LATER, lay
from tests.monitor.regency import build_regency

NOVEMBER = date(2026, 11, 1)
NOVEMBER_END = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def december() -> Iterator[Any]:
    """Mid-December 2026: all of November has closed."""
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


@pytest.fixture
def regency(unit, office, employee, colleague) -> Any:
    return build_regency(unit, office, employee, colleague)


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


@pytest.fixture
def hand_month(regency: Any, december: Any) -> Any:
    """Rahmat: class 9 (Rp 5,000,000), TL2 twice, one TK, productivity 80 %, and a
    'pemotongan TPP 25 % selama 6 bulan' that started in October (November is its 2nd)."""
    employee = regency.employee
    employee.job_class = 9
    employee.save()
    pagu(Pagu.Basis.CLASS, "9", 5_000_000)
    lay_month(employee, late=TL2_DAYS, absent=[TK_DAY])
    Productivity.objects.create(
        employee=employee, month=NOVEMBER, percent=Decimal("80"), source="import"
    )
    Sentence.objects.create(
        employee=employee,
        kind="tpp_25_6",
        decree_number="800/12/BKPSDM/2026",
        decree_date=date(2026, 9, 28),
        starts=date(2026, 10, 1),
        months=6,
        cut_pct=Decimal("25"),
    )
    return regency
