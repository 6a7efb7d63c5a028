"""Reads of the day ledger: monthly recaps and discipline standings, scoped by the caller.

Every function takes an Employee queryset the caller already scoped
(:func:`govem.accounts.scoping.visible_employees`), so nothing here can widen a scope.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from govem.attendance.days import pct_text, rule_table
from govem.attendance.models import DayRecord
from govem.dates import FIRST_YEAR, LAST_YEAR
from govem.errors import DomainError
from govem.people.models import Employee
from govem.rules import discipline
from govem.rules.bands import EARLY_CODES, LATE_CODES, PRESENT, TK, capped, rules_on

PRESENCE = {PRESENT, *LATE_CODES, *EARLY_CODES}


def parse_month(text: str | None, *, default: date, field_name: str = "month") -> date:
    """``YYYY-MM`` → the first day of that month; 422 ``invalid_input`` otherwise."""
    if not text:
        return default.replace(day=1)
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
            raise ValueError(text)
        year, month = int(text[:4]), int(text[5:])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(text)
        return date(year, month, 1)
    except ValueError as exc:
        raise DomainError(
            "invalid_input",
            _("Bulan harus berformat YYYY-MM, misalnya 2026-11."),
            details={"field": field_name},
        ) from exc


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@dataclass
class MonthRecap:
    employee: Employee
    month: date
    scheduled: int = 0
    present: int = 0
    open_days: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    late_minutes: int = 0
    early_minutes: int = 0
    tk_days: int = 0
    deduction_uncapped: Decimal = Decimal("0")
    cap: Decimal = Decimal("100")
    days: list[DayRecord] = field(default_factory=list)

    @property
    def deduction(self) -> Decimal:
        return capped(self.deduction_uncapped, self.cap)

    @property
    def absence_counts(self) -> dict[str, int]:
        """Cuti, sakit, izin, dinas…: the codes that are neither presence, TK nor a day off."""
        skip = PRESENCE | {TK, "L", "CB"}
        return {code: n for code, n in sorted(self.counts.items()) if code not in skip}

    @property
    def capped(self) -> bool:
        return self.deduction_uncapped > self.cap

    def as_json(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee.pk,
            "month": self.month.strftime("%Y-%m"),
            "days_scheduled": self.scheduled,
            "days_present": self.present,
            "days_open": self.open_days,
            "codes": dict(sorted(self.counts.items())),
            "late_minutes": self.late_minutes,
            "early_minutes": self.early_minutes,
            "tk_days": self.tk_days,
            "deduction_pct": pct_text(self.deduction),
            "deduction_uncapped_pct": pct_text(self.deduction_uncapped),
            "monthly_cap_pct": pct_text(self.cap),
        }


class _Day(NamedTuple):
    """The fields a recap adds up (no model instances for a whole regency's month)."""

    employee_id: int
    workday: bool
    codes: list[str]
    late_minutes: int
    early_minutes: int
    deduction_pct: Decimal


def add_day(recap: MonthRecap, record: Any, *, keep: bool = True) -> None:
    """Fold one day into the recap (the recap is exactly the sum of its days)."""
    if keep:
        recap.days.append(record)
    codes = list(record.codes or [])
    if record.workday:
        recap.scheduled += 1
        if not codes:
            recap.open_days += 1
    if PRESENCE & set(codes):
        recap.present += 1
    for code in codes:
        recap.counts[code] = recap.counts.get(code, 0) + 1
    recap.tk_days += codes.count(TK)
    recap.late_minutes += record.late_minutes
    recap.early_minutes += record.early_minutes
    recap.deduction_uncapped += record.deduction_pct


def recaps(
    employees: QuerySet[Employee], month: date, *, keep_days: bool = False
) -> list[MonthRecap]:
    """One recap per employee in ``employees`` for ``month`` (three queries)."""
    start, end = month, month_end(month)
    table = rule_table()
    people = list(employees.select_related("unit").order_by("unit__path", "name", "pk"))
    by_id = {
        person.pk: MonthRecap(
            person, month, cap=rules_on(end, table, person.unit.path).monthly_cap_pct
        )
        for person in people
    }
    records = DayRecord.objects.filter(
        employee__in=employees, date__gte=start, date__lte=end
    ).order_by("date")
    rows: Any = (
        records.select_related("rule_set")
        if keep_days
        else records.values_list(*_Day._fields).iterator(5000)
    )
    for record in rows:
        day = record if keep_days else _Day(*record)
        recap = by_id.get(day.employee_id)
        if recap is not None:
            add_day(recap, day, keep=keep_days)
    return list(by_id.values())


def recap_for(employee: Employee, month: date) -> MonthRecap:
    return recaps(Employee.objects.filter(pk=employee.pk), month, keep_days=True)[0]


def days_between(employee: Employee, start: date, end: date) -> list[DayRecord]:
    return list(
        DayRecord.objects.filter(employee=employee, date__gte=start, date__lte=end).order_by("date")
    )


@dataclass(frozen=True)
class DisciplineRow:
    employee: Employee
    before: discipline.Standing
    after: discipline.Standing

    @property
    def crossed(self) -> bool:
        return discipline.crossed(self.before, self.after)


def _totals(employees: QuerySet[Employee], start: date, end: date) -> dict[int, tuple[int, int]]:
    """Per employee: (TK days, late + early minutes) from ``start`` to ``end``."""
    rows = (
        DayRecord.objects.filter(employee__in=employees, date__gte=start, date__lte=end)
        .values("employee_id")
        .annotate(
            tk=Count("id", filter=Q(status=TK)),
            late=Sum("late_minutes"),
            early=Sum("early_minutes"),
        )
    )
    return {
        row["employee_id"]: (row["tk"], (row["late"] or 0) + (row["early"] or 0)) for row in rows
    }


# How far back a run of TK days is followed into the previous year (or month): ten working
# days fit in three weeks even across Lebaran's cuti bersama, so two months is ample.
RUN_LOOKBACK = timedelta(days=62)


def _kinds(rows: Iterable[tuple[int, str, bool]]) -> dict[int, list[discipline.DayKind]]:
    kinds: dict[int, list[discipline.DayKind]] = defaultdict(list)
    for employee_id, status, workday in rows:
        if status == TK:
            kinds[employee_id].append(discipline.DayKind.TK)
        elif workday:
            kinds[employee_id].append(discipline.DayKind.OTHER)
        else:
            kinds[employee_id].append(discipline.DayKind.OFF)
    return kinds


def _day_kinds(
    employee_ids: list[int], start: date, end: date
) -> dict[int, list[discipline.DayKind]]:
    if end < start:
        return {}
    rows = (
        DayRecord.objects.filter(employee_id__in=employee_ids, date__gte=start, date__lte=end)
        .order_by("employee_id", "date")
        .values_list("employee_id", "status", "workday")
    )
    return _kinds(rows)


def _runs(employee_ids: list[int], start: date, end: date) -> dict[int, int]:
    """Longest run of consecutive TK working days from ``start`` to ``end``, a run already
    going at ``start`` counted from its first day (across the month and the year boundary).
    With ``end`` before ``start``: the run going at ``start``."""
    if not employee_ids:
        return {}
    before = _day_kinds(employee_ids, start - RUN_LOOKBACK, start - timedelta(days=1))
    within = _day_kinds(employee_ids, start, end)
    return {
        pk: discipline.longest_tk_run(
            within.get(pk, []), carried=discipline.trailing_tk_run(before.get(pk, []))
        )
        for pk in employee_ids
    }


def _run_candidates(employees: QuerySet[Employee], year_start: date, end: date) -> list[int]:
    """Who may have a run of ten: at least ten TK days in the year plus the lookback."""
    rows = (
        DayRecord.objects.filter(
            employee__in=employees, date__gte=year_start - RUN_LOOKBACK, date__lte=end, status=TK
        )
        .values("employee_id")
        .annotate(tk=Count("id"))
        .filter(tk__gte=discipline.CONSECUTIVE_DISMISSAL)
    )
    return [row["employee_id"] for row in rows]


def discipline_rows(employees: QuerySet[Employee], month: date) -> list[DisciplineRow]:
    """Standing at the end of the previous month and of ``month``: the days of the calendar
    year (PP 94/2021 art. 11), the run of consecutive TK days across the year boundary."""
    year_start = month.replace(month=1, day=1)
    before_end = month - timedelta(days=1)
    after = _totals(employees, year_start, month_end(month))
    before = _totals(employees, year_start, before_end) if month.month > 1 else {}
    many = _run_candidates(employees, year_start, month_end(month))
    runs_after = _runs(many, year_start, month_end(month))
    runs_before = _runs(many, year_start, before_end)
    people = {p.pk: p for p in employees.filter(pk__in=list(after)).select_related("unit")}
    result = []
    for pk, (tk, minutes) in after.items():
        if pk not in people:
            continue
        tk_before, minutes_before = before.get(pk, (0, 0))
        result.append(
            DisciplineRow(
                people[pk],
                discipline.standing(tk_before, minutes_before, 0, runs_before.get(pk, 0)),
                discipline.standing(tk, minutes, 0, runs_after.get(pk, 0)),
            )
        )
    result.sort(key=lambda row: (-row.after.days, row.employee.name))
    return result


def code_counts(recap_list: list[MonthRecap]) -> Counter[str]:
    total: Counter[str] = Counter()
    for recap in recap_list:
        total.update(recap.counts)
    return total
