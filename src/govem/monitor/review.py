"""The review queue: flagged punches (borderline, clock skew, new device) awaiting a decision.

The decision itself is issue 3's :class:`PunchReview` written by the attendance service,
which audits it and recomputes the day; this module only finds what is pending, in scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from govem.accounts.access import get_for_user_or_404
from govem.accounts.scoping import can_review_punches, employee_q
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


def get_flagged_for_user_or_404(user: Any, pk: Any) -> Punch:
    """A punch of someone in the user's scope (the review queue's), else 404."""
    punches = Punch.objects.select_related("employee").filter(employee_q(user, "employee__"))
    return get_for_user_or_404(punches, pk, what="punch")


def get_flagged_rw_for_user_or_404(user: Any, pk: Any) -> Punch:
    """The punch the user is about to accept or reject: 403 unless Tim IT or an operator who
    may write (read-only roles and supervisors never review), then 404 outside the scope."""
    if not can_review_punches(user):
        raise PermissionDenied("review")
    return get_flagged_for_user_or_404(user, pk)
