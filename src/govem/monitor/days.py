"""The derived day records, as the console needs them: status codes per employee."""

from __future__ import annotations

from datetime import date
from typing import Any

from govem.attendance.models import DayRecord

DAY_OFF_CODES = {"L", "CB", "LIBUR"}
PRESENCE_CODES = {"H", "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK"}


def codes_for(employee_ids: Any, day: date) -> dict[int, list[str]]:
    """Day-record codes per employee; ``employee_ids`` a list or a subquery (the console's
    scope: no list of thousands of ids)."""
    result: dict[int, list[str]] = {}
    for employee_id, codes in DayRecord.objects.filter(
        employee_id__in=employee_ids, date=day
    ).values_list("employee_id", "codes"):
        result[employee_id] = list(codes or [])
    return result


def absence_code(codes: list[str]) -> str:
    """The code that explains an absence or a day off (C, S, I, DL, TB, AT, L, CB…), or ""."""
    for code in codes:
        if code not in PRESENCE_CODES:
            return code
    return ""
