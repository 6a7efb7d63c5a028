"""Reads: the approved absences that cover employees' dates (for the day ledger)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from govem.absences.models import AbsenceRequest
from govem.rules.daystatus import Absence, Part


def approved_between(
    employee_ids: Iterable[int] | None, start: date, end: date
) -> dict[int, list[tuple[date, date, Absence]]]:
    """Per employee: (first date, last date, absence) of every approved request in range.

    One query. ``employee_ids=None`` means every employee.
    """
    rows = AbsenceRequest.objects.filter(
        status=AbsenceRequest.Status.APPROVED, start_date__lte=end, end_date__gte=start
    )
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    found: dict[int, list[tuple[date, date, Absence]]] = defaultdict(list)
    for employee_id, first, last, part, at, code, name in rows.order_by("id").values_list(
        "employee_id", "start_date", "end_date", "part_of_day", "time", "type__code", "type__name"
    ):
        found[employee_id].append((first, last, Absence(code, name, Part(part), at)))
    return found


def covering(spans: list[tuple[date, date, Absence]], day: date) -> tuple[Absence, ...]:
    return tuple(absence for first, last, absence in spans if first <= day <= last)
