"""The review queue: flagged punches (borderline, clock skew, new device) awaiting a decision.

The decision itself is issue 3's :class:`PunchReview` written by the attendance service,
which audits it and recomputes the day; this module only finds what is pending, in scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from govem.accounts.scoping import employee_q
from govem.attendance.models import DayRecord, Punch
from govem.people.models import Unit


def pending(user: Any, day: date | None, unit: Unit | None) -> QuerySet[Punch]:
    punches = Punch.objects.filter(
        employee_q(user, prefix="employee__"),
        verdict=Punch.Verdict.FLAGGED,
        review__isnull=True,
    )
    if day is not None:
        punches = punches.filter(local_date=day)
    if unit is not None:
        punches = punches.filter(employee__unit__path__startswith=unit.path)
    return punches.select_related("employee", "employee__unit", "location").order_by("id")


def locked_days(punches: list[Punch]) -> set[tuple[int, date]]:
    """(employee, date) of the punches whose day is verified (locked): a decision there
    needs a reason and is audited as a change to a verified day."""
    if not punches:
        return set()
    ids = {punch.employee_id for punch in punches}
    dates = [punch.local_date for punch in punches]
    rows = DayRecord.objects.filter(
        employee_id__in=ids, date__gte=min(dates), date__lte=max(dates), locked=True
    ).values_list("employee_id", "date")
    return set(rows)


def get_flagged_or_404(user: Any, pk: Any) -> Punch:
    from django.http import Http404

    try:
        return Punch.objects.select_related("employee").get(
            employee_q(user, prefix="employee__"), pk=int(pk)
        )
    except (Punch.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404("punch") from exc
