"""Decisions on absence requests; each decision recomputes the days it covers.

The request and approval screens and API are issue 5's; this is the part the day ledger
and the helpdesk (alasan teknis) need now.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.accounts import audit
from govem.attendance.days import RecomputeResult, recompute_days
from govem.errors import DomainError
from govem.people.models import Employee


def recompute_request(request: AbsenceRequest, *, reason: str = "") -> RecomputeResult:
    return recompute_days(
        [request.employee_id], request.start_date, request.end_date, reason=reason
    )


def decide_request(
    *, request: AbsenceRequest, approve: bool, by: Any, note: str = ""
) -> AbsenceRequest:
    """Approve or reject a pending request, audited; the covered days are recomputed.

    A decided request is not decided again (a change of mind is a new request).
    """
    with audit.acting_as(by, reason=note), transaction.atomic():
        locked = AbsenceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != AbsenceRequest.Status.PENDING:
            raise DomainError(
                "already_decided",
                "Pengajuan ini sudah diputuskan.",
                status=409,
                details={"status": locked.status},
            )
        locked.status = (
            AbsenceRequest.Status.APPROVED if approve else AbsenceRequest.Status.REJECTED
        )
        locked.decided_by = by if getattr(by, "pk", None) else None
        locked.decided_at = timezone.now()
        locked.note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
        if approve:
            recompute_request(locked, reason=f"Pengajuan {locked.pk} disetujui")
    request.refresh_from_db()
    return request


def grant_technical_exemption(*, employee: Employee, day: date, reason: str, by: Any) -> Any:
    """An approved alasan teknis (AT) for ``day``: the system or the phone failed."""
    if not reason.strip():
        raise DomainError("invalid_input", "Alasan wajib diisi.", details={"field": "reason"})
    kind = AbsenceType.objects.filter(code="AT").first()
    if kind is None:
        raise DomainError("no_absence_type", "Jenis ketidakhadiran AT belum tersedia.")
    with audit.acting_as(by, reason=reason), transaction.atomic():
        request = AbsenceRequest.objects.create(
            employee=employee, type=kind, start_date=day, end_date=day, reason=reason
        )
        return decide_request(request=request, approve=True, by=by, note=reason)
