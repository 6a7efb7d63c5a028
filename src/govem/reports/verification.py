""" "Verifikasi laporan": fix a date's report for a scope and lock its day records.

After verification a change to one of those days needs a reason (see
``govem.attendance.days.ensure_change_allowed``), is audited, and the report shows the row
as "diubah setelah verifikasi" with its old and new values.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govem.accounts import audit
from govem.accounts.scoping import visible_employees
from govem.accounts.services import employee_of
from govem.attendance.days import recompute_days, settles_at
from govem.attendance.models import DayRecord
from govem.dates import supported
from govem.errors import DomainError
from govem.operations.golive import regency_start
from govem.people.models import Unit
from govem.reports.daily import daily_report, report_employees
from govem.reports.models import ReportVerification


def verifier_identity(user: Any) -> tuple[str, str]:
    """(name, NIP) for the signature block: the user's employee record when there is one."""
    employee = employee_of(user)
    if employee is not None:
        return employee.name, employee.identifier
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.get_username()), ""


def verify_daily(*, user: Any, day: date, unit: Unit | None, note: str = "") -> ReportVerification:
    """Verify ``day``'s report for ``unit``'s subtree (``None``: the whole regency).

    The scope's day records are brought up to date first; the day must be closed for
    everyone in it (no check-out may still arrive). Returns the verification; the day
    records of the scope are locked in the same transaction. ``user`` is a verifier and
    ``unit`` within their scope, ``None`` only for Tim IT (the caller checked both,
    :func:`govem.reports.access.require_verifier`).
    """
    if day > timezone.localdate():
        raise DomainError(
            "invalid_input",
            _("Laporan tanggal yang akan datang belum dapat diverifikasi."),
            details={"field": "date"},
        )
    starts = regency_start()
    if not supported(day) or day < starts:
        # Nothing was counted then: verifying would lock day records made up on the spot.
        raise DomainError(
            "before_counting_start",
            _(
                "Tanggal %(day)s sebelum penghitungan presensi dimulai (%(starts)s); "
                "laporan hanya dapat diverifikasi sejak tanggal itu."
            )
            % {"day": day.isoformat(), "starts": f"{starts:%d-%m-%Y}"},
            details={"field": "date", "counting_starts": starts.isoformat()},
        )
    employees = visible_employees(user)
    in_scope = report_employees(employees, day, unit)
    ids = list(in_scope.values_list("pk", flat=True))
    if not ids:
        raise DomainError(
            "empty_report", _("Tidak ada pegawai pada unit kerja ini."), details={"field": "unit"}
        )
    recompute_days(ids, day, day)
    records = DayRecord.objects.filter(employee__in=in_scope, date=day)
    if not records.filter(counted=True).exists():
        raise DomainError(
            "not_counted",
            _(
                "Presensi tanggal %(day)s belum dihitung (penghitungan dimulai %(starts)s "
                "atau sesudahnya); tidak ada yang perlu diverifikasi."
            )
            % {"day": f"{day:%d-%m-%Y}", "starts": f"{starts:%d-%m-%Y}"},
            status=409,
            details={"counting_starts": starts.isoformat()},
        )
    # Verifiable from the moment the date is settled: every check-out window has closed.
    still_open = records.filter(workday=True, closed=False, counted=True).count()
    if still_open:
        at = settles_at(ids, day)
        when = timezone.localtime(at).strftime("%d-%m-%Y %H:%M") if at else ""
        raise DomainError(
            "day_not_closed",
            ngettext(
                "Hari ini belum selesai untuk %(count)d pegawai (presensi pulang masih "
                "dibuka); verifikasi dapat dilakukan mulai %(when)s.",
                "Hari ini belum selesai untuk %(count)d pegawai (presensi pulang masih "
                "dibuka); verifikasi dapat dilakukan mulai %(when)s.",
                still_open,
            )
            % {"count": still_open, "when": when},
            status=409,
            details={"open_days": still_open, "settles_at": at.isoformat() if at else None},
        )
    name, nip = verifier_identity(user)
    now = timezone.now()
    with audit.acting_as(user, reason=note), transaction.atomic():
        report = daily_report(employees, day, unit, compare=False)
        verification = ReportVerification.objects.create(
            date=day,
            unit=unit,
            scope_label=report.scope_label,
            verified_by=user if getattr(user, "pk", None) else None,
            verifier_name=name,
            verifier_nip=nip,
            verified_at=now,
            sha256=report.sha256,
            row_count=len(report.rows),
            rows={str(row.employee_id): row.verified_cells() for row in report.rows},
            note=note,
        )
        locked = DayRecord.objects.filter(employee__in=in_scope, date=day, locked=False).update(
            locked=True,
            locked_by=user if getattr(user, "pk", None) else None,
            locked_at=now,
            lock_reason=f"Verifikasi laporan #{verification.pk}",
        )
        verification.locked_days = locked
        verification.save(update_fields=["locked_days"])
        audit.record(
            action=audit.Action.VERIFY_REPORT,
            instance=verification,
            after={
                "date": day.isoformat(),
                "scope": report.scope_label,
                "sha256": report.sha256,
                "rows": len(report.rows),
                "locked_days": locked,
            },
            reason=note,
        )
    return verification
