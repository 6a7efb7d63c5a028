"""Decisions on flagged punches (the monitoring console's review queue writes them here)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from govem.accounts import audit
from govem.attendance.days import recompute_day
from govem.attendance.models import Punch, PunchReview
from govem.errors import DomainError

DECISIONS = {"accept": PunchReview.Decision.ACCEPTED, "reject": PunchReview.Decision.REJECTED}


def review_punch(*, punch: Punch, decision: str, reason: str, by: Any) -> PunchReview:
    """Accept (the punch counts for its day) or reject a flagged punch, once; audited."""
    if decision not in DECISIONS:
        raise DomainError(
            "invalid_input",
            "Keputusan harus 'accept' atau 'reject'.",
            details={"field": "decision"},
        )
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise DomainError(
            "invalid_input", "Alasan penolakan wajib diisi.", details={"field": "reason"}
        )
    if punch.verdict != Punch.Verdict.FLAGGED:
        raise DomainError("not_flagged", "Hanya presensi yang ditandai yang ditinjau.", status=409)
    try:
        with audit.acting_as(by, reason=reason), transaction.atomic():
            review = PunchReview.objects.create(
                punch=punch,
                decision=DECISIONS[decision],
                decided_by=by if getattr(by, "pk", None) else None,
                decided_at=timezone.now(),
                reason=reason,
            )
            audit.record(
                action="review_punch",
                instance=punch,
                after={"decision": review.decision, "employee": punch.employee_id},
                reason=reason,
            )
            recompute_day(employee=punch.employee, day=punch.local_date)
    except IntegrityError as exc:
        raise DomainError("already_reviewed", "Presensi ini sudah ditinjau.", status=409) from exc
    return review
