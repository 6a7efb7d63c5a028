"""Decisions on absence requests; each decision recomputes the days it covers.

The request and approval screens and API are issue 5's; this is the part the day ledger
and the helpdesk (alasan teknis) need now.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.absences.balance import LEAVE_CODE, annual_leave_balance, working_days
from govem.absences.models import AbsenceRequest, AbsenceType
from govem.absences.signals import request_decided
from govem.accounts import audit
from govem.attendance.days import RecomputeResult, ensure_change_allowed, recompute_days
from govem.errors import DomainError
from govem.people.models import Employee
from govem.rules.leave import request_refusal, year_parts
from govem.uploads import ATTACHMENT


def recompute_request(*, request: AbsenceRequest, reason: str = "") -> RecomputeResult:
    return recompute_days(
        [request.employee_id], request.start_date, request.end_date, reason=reason
    )


LOCATION_TYPES = ("DL", "WFH")
OPEN_STATUSES = (AbsenceRequest.Status.PENDING, AbsenceRequest.Status.APPROVED)


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid_input", message, status=422, details={"field": field})


def create_request(
    *,
    employee: Employee,
    type_code: str,
    start_date: date,
    end_date: date,
    reason: str,
    by: Any,
    part_of_day: str = "",
    at: time | None = None,
    attachment: Any = None,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_m: int | None = None,
) -> AbsenceRequest:
    """A pending request of ``employee``, validated, with its attachment stored; audited."""
    kind = AbsenceType.objects.filter(code=type_code, active=True).first()
    if kind is None:
        raise _invalid("type", _("Jenis ketidakhadiran tidak dikenal."))
    if not reason.strip():
        raise _invalid("reason", _("Alasan wajib diisi."))
    if end_date < start_date:
        raise DomainError(
            "invalid_range",
            _("Tanggal selesai sebelum tanggal mulai."),
            status=422,
            details={"field": "end_date"},
        )
    if part_of_day:
        if part_of_day not in AbsenceRequest.PartOfDay.values or not kind.allows_part_of_day:
            raise _invalid("part_of_day", _("Jenis ini tidak dapat diajukan untuk sebagian hari."))
        if start_date != end_date:
            raise DomainError(
                "invalid_range",
                _("Izin sebagian hari hanya untuk satu tanggal."),
                status=422,
                details={"field": "end_date"},
            )
        if at is None:
            raise _invalid("time", _("Jam wajib diisi untuk izin sebagian hari."))
    located = [value is not None for value in (latitude, longitude, radius_m)]
    if any(located):
        if kind.code not in LOCATION_TYPES:
            raise _invalid("latitude", _("Lokasi hanya untuk dinas luar atau WFH."))
        if not all(located):
            raise _invalid("radius_m", _("Lokasi perlu lintang, bujur, dan radius."))
        assert latitude is not None and longitude is not None and radius_m is not None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180 and 10 <= radius_m <= 5000):
            raise _invalid("latitude", _("Lokasi atau radius tidak valid."))
    if kind.needs_evidence and attachment is None:
        raise _invalid("attachment", _("%(type)s wajib disertai lampiran.") % {"type": kind.label})
    checked = ATTACHMENT.check(attachment) if attachment is not None else None
    with audit.acting_as(by, reason=reason), transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)
        clash = AbsenceRequest.objects.filter(
            employee=employee,
            status__in=OPEN_STATUSES,
            start_date__lte=end_date,
            end_date__gte=start_date,
        ).first()
        if clash is not None:
            raise DomainError(
                "overlapping_request",
                _("Sudah ada pengajuan lain pada tanggal tersebut."),
                status=409,
                details={"request_id": clash.pk},
            )
        if kind.code == LEAVE_CODE:
            _check_leave(employee, start_date, end_date)
        request = AbsenceRequest.objects.create(
            employee=employee,
            type=kind,
            start_date=start_date,
            end_date=end_date,
            part_of_day=part_of_day,
            time=at if part_of_day else None,
            reason=reason.strip(),
            attachment=ATTACHMENT.store(checked) if checked else "",
            attachment_type=checked.content_type if checked else "",
            latitude=latitude,
            longitude=longitude,
            radius_m=radius_m,
        )
    return request


def _check_leave(employee: Employee, start: date, end: date) -> None:
    for year, first, last in year_parts(start, end):
        refusal = request_refusal(
            annual_leave_balance(employee, year),
            year=year,
            first=first,
            wanted=working_days(employee.pk, first, last),
        )
        if refusal is not None:
            raise DomainError(refusal.code, refusal.message, status=422, details=refusal.details)


def decide_request(
    *, request: AbsenceRequest, approve: bool, by: Any, note: str = ""
) -> AbsenceRequest:
    """Approve or reject a pending request, audited; the covered days are recomputed and the
    employee is told (outbox, once the decision is committed).

    A decided request is not decided again (a change of mind is a new request). Approving
    over verified (locked) days needs ``note``: it is the reason each changed locked day is
    audited with; without it nothing is written (409 ``day_locked``).
    """
    note = note.strip()
    with audit.acting_as(by, reason=note), transaction.atomic():
        locked = AbsenceRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != AbsenceRequest.Status.PENDING:
            raise DomainError(
                "already_decided",
                _("Pengajuan ini sudah diputuskan."),
                status=409,
                details={"status": locked.status},
            )
        if approve:
            ensure_change_allowed(locked.employee_id, locked.start_date, locked.end_date, note)
        locked.status = (
            AbsenceRequest.Status.APPROVED if approve else AbsenceRequest.Status.REJECTED
        )
        locked.decided_by = by if getattr(by, "pk", None) else None
        locked.decided_at = timezone.now()
        locked.note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
        if approve:
            # Without a note no day is locked (checked above): an empty reason leaves a day
            # locked meanwhile as it is instead of changing it without a reason.
            reason = f"Pengajuan {locked.pk} disetujui: {note}" if note else ""
            recompute_request(request=locked, reason=reason)
        decision_id = locked.pk
        transaction.on_commit(
            lambda: request_decided.send(AbsenceRequest, request_id=decision_id), robust=True
        )
    request.refresh_from_db()
    return request


def grant_technical_exemption(*, employee: Employee, day: date, reason: str, by: Any) -> Any:
    """An approved alasan teknis (AT) for ``day``: the system or the phone failed.

    ``reason`` is mandatory, so a verified (locked) day changes too, audited with it.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError("invalid_input", _("Alasan wajib diisi."), details={"field": "reason"})
    kind = AbsenceType.objects.filter(code="AT").first()
    if kind is None:
        raise DomainError("no_absence_type", _("Jenis ketidakhadiran AT belum tersedia."))
    ensure_change_allowed(employee.pk, day, day, reason)
    with audit.acting_as(by, reason=reason), transaction.atomic():
        request = AbsenceRequest.objects.create(
            employee=employee, type=kind, start_date=day, end_date=day, reason=reason
        )
        return decide_request(request=request, approve=True, by=by, note=reason)


DAY_FIELDS = ("employee_id", "type_id", "start_date", "end_date", "part_of_day", "time")


def _touched_days(old: AbsenceRequest | None, new: AbsenceRequest) -> tuple[date, date] | None:
    """The dates whose records this edit changes: none unless an approval starts, ends, or
    an approved request's dates or kind change."""
    approved = AbsenceRequest.Status.APPROVED
    was = old is not None and old.status == approved
    if new.status != approved and not was:
        return None
    if was and new.status == approved:
        assert old is not None
        if all(getattr(old, name) == getattr(new, name) for name in DAY_FIELDS):
            return None
    starts = [new.start_date] + ([old.start_date] if old is not None else [])
    ends = [new.end_date] + ([old.end_date] if old is not None else [])
    return min(starts), max(ends)


def check_edit(*, request: AbsenceRequest) -> None:
    """An edit by hand (the admin) that changes verified (locked) days needs the decision
    note as its reason: ``DomainError`` ``day_locked`` without it, nothing written."""
    old = AbsenceRequest.objects.filter(pk=request.pk).first() if request.pk else None
    span = _touched_days(old, request)
    if span is None:
        return
    for employee_id in {request.employee_id, old.employee_id if old else request.employee_id}:
        ensure_change_allowed(employee_id, *span, request.note or "")


def save_edit(*, request: AbsenceRequest, by: Any) -> AbsenceRequest:
    """Store an edit by hand (the admin). A new decision goes through :func:`decide_request`
    (audited, the days recomputed, the employee told); an approved request whose dates or
    kind changed recomputes the days it covered and covers."""
    old = AbsenceRequest.objects.filter(pk=request.pk).first() if request.pk else None
    before = old.status if old is not None else None
    wanted = request.status
    if wanted != AbsenceRequest.Status.PENDING and wanted != before:
        request.status = before or AbsenceRequest.Status.PENDING
        request.save()
        approve = wanted == AbsenceRequest.Status.APPROVED
        return decide_request(request=request, approve=approve, by=by, note=request.note)
    span = _touched_days(old, request)
    request.save()
    if span is not None:  # an approved request edited by hand changes its days
        note = (request.note or "").strip()
        reason = f"Pengajuan {request.pk} diubah di admin: {note}" if note else ""
        ids = {request.employee_id, old.employee_id if old else request.employee_id}
        recompute_days(list(ids), *span, reason=reason)
    return request
