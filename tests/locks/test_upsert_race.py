"""A verification that commits between a recompute's read and its write keeps its day."""

from __future__ import annotations

from unittest import mock

import pytest

from govem.attendance import days
from govem.attendance.models import DayRecord
from tests.helpers.days import MONDAY, lay


@pytest.mark.parametrize(("reason", "changed"), [("", False), ("memo kepala dinas", True)])
def test_a_day_locked_after_the_read_is_not_overwritten_without_a_reason(
    employee, december, reason, changed
) -> None:
    days.recompute_days([employee.pk], MONDAY, MONDAY)
    assert DayRecord.objects.get(employee=employee, date=MONDAY).status == "TK"
    lay(employee, MONDAY, 7, 20, "in")
    real_upsert = days._upsert

    def verification_commits_first(*args, **kwargs):
        DayRecord.objects.filter(employee=employee, date=MONDAY).update(locked=True)
        return real_upsert(*args, **kwargs)

    with mock.patch.object(days, "_upsert", verification_commits_first):
        days.recompute_days([employee.pk], MONDAY, MONDAY, reason=reason)
    record = DayRecord.objects.get(employee=employee, date=MONDAY)
    assert record.locked
    assert (record.status != "TK") is changed
