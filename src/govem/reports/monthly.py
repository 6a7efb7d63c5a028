"""The monthly attendance sheet: employees × days with status codes, totals, deduction,
and the daily attendance rate per unit (the chart's data).

Totals come from :func:`govem.attendance.recap.add_day`, the same fold as the recap page and
``GET /api/v1/recap``, so the sheet and the recap cannot disagree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from govem.attendance.days import rule_table
from govem.attendance.models import DayRecord
from govem.attendance.recap import PRESENCE, MonthRecap, add_day, month_end
from govem.people.models import Employee, Unit
from govem.reports.codes import status_order
from govem.reports.daily import scope_label
from govem.rules.bands import rules_on


class _Day(NamedTuple):
    employee_id: int
    date: date
    workday: bool
    codes: list[str]
    late_minutes: int
    early_minutes: int
    deduction_pct: Decimal


@dataclass
class MonthlyRow:
    no: int
    employee_id: int
    nip: str
    name: str
    position: str
    unit: str
    days: list[str]
    recap: MonthRecap

    def count(self, code: str) -> int:
        return self.recap.counts.get(code, 0)


@dataclass
class UnitRate:
    """Attendance rate per day (present ÷ scheduled, %), ``None`` on days nobody worked."""

    unit: str
    per_day: list[float | None]
    present: int = 0
    scheduled: int = 0

    @property
    def average(self) -> float | None:
        return round(100 * self.present / self.scheduled, 1) if self.scheduled else None


@dataclass
class MonthlySheet:
    month: date
    unit: Unit | None
    scope_label: str
    dates: list[date]
    rows: list[MonthlyRow]
    codes: list[str]
    rates: list[UnitRate] = field(default_factory=list)

    @property
    def title(self) -> str:
        return "REKAPITULASI PRESENSI BULANAN PEGAWAI"


def _groups(unit: Unit | None) -> list[Unit]:
    """The units the chart compares: the scope's sub-units (the scope itself too), or the
    top-level units for the whole regency."""
    if unit is None:
        return list(Unit.objects.filter(parent__isnull=True).order_by("path"))
    return [unit, *Unit.objects.filter(parent=unit).order_by("path")]


def _group_of(path: str, groups: list[Unit]) -> Unit | None:
    best: Unit | None = None
    for group in groups:
        if path.startswith(group.path) and (best is None or len(group.path) > len(best.path)):
            best = group
    return best


def _month_days(
    employees: QuerySet[Employee], start: date, end: date
) -> Iterator[tuple[_Day, str, bool]]:
    """The month's day records with their cell text and whether the day counts as present.

    A regency's month is 310,000 rows: they are read through the query's own SQL without the
    ORM's per-value converters (JSON, dates, decimals), and the few distinct values of each
    are decoded once.
    """
    query = DayRecord.objects.filter(
        employee__in=employees, date__gte=start, date__lte=end
    ).values_list(*_Day._fields)
    sql, params = query.query.sql_with_params()
    dates: dict[Any, date] = {}
    codes_seen: dict[Any, tuple[list[str], str, bool]] = {}
    pcts: dict[Any, Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(5000):
            for employee_id, day, workday, codes, late, early, pct in batch:
                when = dates.get(day)
                if when is None:
                    when = dates[day] = day if isinstance(day, date) else date.fromisoformat(day)
                key = codes if isinstance(codes, str) else json.dumps(codes)
                decoded = codes_seen.get(key)
                if decoded is None:
                    listed = list(json.loads(key) or []) if key else []
                    decoded = codes_seen[key] = (
                        listed,
                        "/".join(listed),
                        bool(PRESENCE & set(listed)),
                    )
                deduction = pcts.get(pct)
                if deduction is None:
                    deduction = pcts[pct] = Decimal(str(pct or 0))
                listed, shown, attended = decoded
                yield (
                    _Day(employee_id, when, bool(workday), listed, late, early, deduction),
                    shown,
                    attended,
                )


def monthly_sheet(
    employees: QuerySet[Employee], month: date, unit: Unit | None = None
) -> MonthlySheet:
    """The sheet for the (already scoped) ``employees`` within ``unit``'s subtree."""
    start, end = month.replace(day=1), month_end(month)
    dates = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    had_records = DayRecord.objects.filter(employee=OuterRef("pk"), date__gte=start, date__lte=end)
    people = list(
        employees.filter(Q(active=True) | Exists(had_records))
        .select_related("unit")
        .only(
            "pk",
            "employee_type",
            "nip",
            "non_asn_id",
            "name",
            "position",
            "unit__name",
            "unit__path",
        )
        .order_by("unit__path", "name", "pk")
    )
    table = rule_table()
    rows: dict[int, MonthlyRow] = {}
    for number, person in enumerate(people, 1):
        rows[person.pk] = MonthlyRow(
            no=number,
            employee_id=person.pk,
            nip=person.identifier,
            name=person.name,
            position=person.position,
            unit=person.unit.name,
            days=[""] * len(dates),
            recap=MonthRecap(
                person, start, cap=rules_on(end, table, person.unit.path).monthly_cap_pct
            ),
        )
    groups = _groups(unit)
    group_by_unit: dict[int, Unit | None] = {}
    for person in people:
        if person.unit_id not in group_by_unit:
            group_by_unit[person.unit_id] = _group_of(person.unit.path, groups)
    unit_of = {person.pk: person.unit_id for person in people}
    scheduled: dict[int, list[int]] = defaultdict(lambda: [0] * len(dates))
    present: dict[int, list[int]] = defaultdict(lambda: [0] * len(dates))
    seen_codes: set[str] = set()
    for day, shown, attended in _month_days(employees, start, end):
        row = rows.get(day.employee_id)
        if row is None:
            continue
        index = (day.date - start).days
        row.days[index] = shown
        seen_codes.update(day.codes)
        add_day(row.recap, day, keep=False)
        group = group_by_unit.get(unit_of[day.employee_id])
        if group is not None and day.workday:
            scheduled[group.pk][index] += 1
            if attended:
                present[group.pk][index] += 1
    rates = []
    for group in groups:
        if group.pk not in scheduled:
            continue
        planned, came = scheduled[group.pk], present[group.pk]
        rates.append(
            UnitRate(
                unit=group.name,
                per_day=[
                    round(100 * c / p, 1) if p else None for c, p in zip(came, planned, strict=True)
                ],
                present=sum(came),
                scheduled=sum(planned),
            )
        )
    return MonthlySheet(
        month=start,
        unit=unit,
        scope_label=scope_label(unit),
        dates=dates,
        rows=list(rows.values()),
        codes=sorted(seen_codes, key=status_order),
        rates=rates,
    )


def summary_cells(row: MonthlyRow, codes: list[str]) -> list[Any]:
    """Per-row totals as every format shows them: per code, minutes, deduction %."""
    return [
        row.recap.scheduled,
        row.recap.present,
        *[row.count(code) for code in codes],
        row.recap.late_minutes,
        row.recap.early_minutes,
        float(row.recap.deduction),
    ]
