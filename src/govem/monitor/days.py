"""The derived day records, as the console needs them: status codes per employee."""

from __future__ import annotations

from datetime import date
from typing import Any

from govem.attendance.models import DayRecord
from govem.rules.codes import DAY_OFF_CODES, PRESENCE_CODES, absence_code

__all__ = ["DAY_OFF_CODES", "PRESENCE_CODES", "absence_code", "codes_for"]


def codes_for(employee_ids: Any, day: date) -> dict[int, list[str]]:
    """Day-record codes per employee; ``employee_ids`` a list or a subquery (the console's
    scope: no list of thousands of ids)."""
    result: dict[int, list[str]] = {}
    for employee_id, codes in DayRecord.objects.filter(
        employee_id__in=employee_ids, date=day
    ).values_list("employee_id", "codes"):
        result[employee_id] = list(codes or [])
    return result
