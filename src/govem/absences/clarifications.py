"""Clarification cases (SOP step 5): every missing attendance followed to an outcome.

``open_clarifications(day, unit)`` creates one case per employee and date from the day
records (no check-in, no check-out, or TK), idempotently. The operator records the contact
and an outcome; "sakit" and "dinas" file an approved S / DL request, "lupa presensi" and
"kendala perangkat/GPS" an approved alasan teknis (AT), in one audited step.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govem.accounts import audit
from govem.errors import DomainError


class Clarification(models.Model):
    class Kind(models.TextChoices):
        NO_CHECK_IN = "no_check_in", _("Tidak presensi masuk")
        NO_CHECK_OUT = "no_check_out", _("Tidak presensi pulang")
        TK = "tk", _("Tanpa keterangan (TK)")

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Selesai")

    class Outcome(models.TextChoices):
        FORGOT = "forgot", _("Lupa presensi")
        TECHNICAL = "technical", _("Kendala perangkat/GPS (alasan teknis)")
        SICK = "sick", _("Sakit")
        DUTY = "duty", _("Dinas")
        UNREACHABLE = "unreachable", _("Tidak dapat dihubungi")
        UNEXCUSED = "unexcused", _("Tanpa alasan sah")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="clarifications"
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    contact_log = models.JSONField(_("catatan kontak"), default=list, blank=True)
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("catatan"), blank=True)
    answer = models.TextField(_("jawaban pegawai"), blank=True)
    answer_attachment = models.CharField(max_length=80, blank=True, editable=False)
    answer_attachment_type = models.CharField(max_length=40, blank=True, editable=False)
    request = models.ForeignKey(
        "absences.AbsenceRequest", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "absences"
        verbose_name = _("klarifikasi")
        verbose_name_plural = _("klarifikasi")
        ordering = ["-date", "employee__name"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="clarification_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.kind} {self.status}"


OUTCOME_TYPES = {
    Clarification.Outcome.FORGOT: "AT",
    Clarification.Outcome.TECHNICAL: "AT",
    Clarification.Outcome.SICK: "S",
    Clarification.Outcome.DUTY: "DL",
}


def _kind(record: Any) -> str | None:
    if not record.workday:
        return None
    if record.status == "TK":
        return Clarification.Kind.TK
    if record.first_in is None and record.last_out is not None:
        return Clarification.Kind.NO_CHECK_IN
    if record.first_in is not None and record.last_out is None:
        return Clarification.Kind.NO_CHECK_OUT
    return None


def open_clarifications(day: date, unit: Any = None) -> dict[str, Any]:
    """One case per employee with a missing attendance on ``day``; existing ones are kept."""
    from govem.attendance.models import DayRecord

    records = DayRecord.objects.filter(date=day, employee__active=True)
    if unit is not None:
        records = records.filter(employee__unit__path__startswith=unit.path)
    existing = set(Clarification.objects.filter(date=day).values_list("employee_id", flat=True))
    created = 0
    with transaction.atomic():
        for record in records.only("employee_id", "workday", "status", "first_in", "last_out"):
            kind = _kind(record)
            if kind is None or record.employee_id in existing:
                continue
            Clarification.objects.create(employee_id=record.employee_id, date=day, kind=kind)
            created += 1
    return {"created": created, "date": day.isoformat()}


def record_outcome(
    *, case: Clarification, outcome: str, contact: str, notes: str, by: Any
) -> Clarification:
    """Log the contact, close the case with ``outcome``; an excusing outcome files the
    matching request (S, DL) or AT exemption, approved in the same step."""
    from govem.absences.models import AbsenceRequest, AbsenceType
    from govem.absences.services import decide_request

    if outcome not in Clarification.Outcome.values:
        raise DomainError(
            "invalid_input", "Hasil klarifikasi tidak dikenal.", details={"field": "outcome"}
        )
    with audit.acting_as(by, reason=notes or outcome), transaction.atomic():
        locked = Clarification.objects.select_for_update().get(pk=case.pk)
        if locked.status == Clarification.Status.CLOSED:
            raise DomainError("already_closed", "Klarifikasi ini sudah selesai.", status=409)
        before = {"status": locked.status, "outcome": locked.outcome}
        locked.contact_log = [
            *locked.contact_log,
            {"at": timezone.now().isoformat(), "by": getattr(by, "username", ""), "note": contact},
        ]
        locked.outcome, locked.notes = outcome, notes
        locked.status = Clarification.Status.CLOSED
        locked.operator = by if getattr(by, "pk", None) else None
        code = OUTCOME_TYPES.get(outcome)
        if code is not None:
            kind = AbsenceType.objects.get(code=code)
            reason = f"Klarifikasi: {Clarification.Outcome(outcome).label}. {notes}".strip()
            request = AbsenceRequest.objects.create(
                employee=locked.employee,
                type=kind,
                start_date=locked.date,
                end_date=locked.date,
                reason=reason,
            )
            decide_request(request=request, approve=True, by=by, note=reason)
            locked.request = request
        locked.save()
        audit.record(
            action="clarify",
            instance=locked,
            before=before,
            after={"status": locked.status, "outcome": outcome},
        )
    case.refresh_from_db()
    return case
