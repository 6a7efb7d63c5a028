"""Decisions on flagged punches (the monitoring console's review queue writes them here).

A decision changes the punch's day. Once that day is verified (its :class:`DayRecord` is
locked), the decision needs a reason: it is refused with ``day_locked`` before anything is
written, and with a reason the day's change is audited (``recompute_locked_day``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.accounts import audit
from govem.attendance.days import ensure_change_allowed, recompute_day
from govem.attendance.models import DayRecord, Punch, PunchReview
from govem.errors import DomainError


def hold_day(*, employee_id: int, day: date, reason: str) -> list[date]:
    """Inside the writer's transaction: the day's record held, then the lock checked.

    The row lock (PostgreSQL) keeps a verification from locking the day between this
    check and the recompute; :func:`ensure_change_allowed` refuses a locked day without
    a reason before anything is written.
    """
    list(
        DayRecord.objects.select_for_update()
        .filter(employee_id=employee_id, date=day)
        .values_list("pk", flat=True)
    )
    return ensure_change_allowed(employee_id, day, day, reason)


DECISIONS = {"accept": PunchReview.Decision.ACCEPTED, "reject": PunchReview.Decision.REJECTED}


def review_punch(*, punch: Punch, decision: str, reason: str, by: Any) -> PunchReview:
    """Accept (the punch counts for its day) or reject a flagged punch, once; audited.

    On a verified (locked) day the reason is required for either decision (409
    ``day_locked`` without one, nothing written) and is passed on to the recompute.
    """
    if decision not in DECISIONS:
        raise DomainError(
            "invalid_input",
            _("Keputusan harus 'accept' atau 'reject'."),
            details={"field": "decision"},
        )
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise DomainError(
            "invalid_input", _("Alasan penolakan wajib diisi."), details={"field": "reason"}
        )
    if punch.verdict != Punch.Verdict.FLAGGED:
        raise DomainError(
            "not_flagged", _("Hanya presensi yang ditandai yang ditinjau."), status=409
        )
    try:
        with audit.acting_as(by, reason=reason), transaction.atomic():
            hold_day(employee_id=punch.employee_id, day=punch.local_date, reason=reason)
            review = PunchReview.objects.create(
                punch=punch,
                decision=DECISIONS[decision],
                decided_by=by if getattr(by, "pk", None) else None,
                decided_at=timezone.now(),
                reason=reason,
            )
            audit.record(
                action=audit.Action.REVIEW_PUNCH,
                instance=punch,
                after={"decision": review.decision, "employee": punch.employee_id},
                reason=reason,
            )
            recompute_day(employee=punch.employee, day=punch.local_date, reason=reason)
    except IntegrityError as exc:
        raise DomainError(
            "already_reviewed", _("Presensi ini sudah ditinjau."), status=409
        ) from exc
    return review
