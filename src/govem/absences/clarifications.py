"""Clarification cases (SOP step 5): every missing attendance followed to an outcome.

Cases are opened in two moments of the day, each gap once (one case per employee and date):

- :func:`open_known_gaps` — the reconcile (end of work) and close (end + 30 min) phases, with
  what is known then: no check-in by the end of the employee's work, no check-out 30 minutes
  after it. A "no check-out" case closes itself when the employee checks out later that day
  (:func:`close_checkout_case`, called by the day update through
  ``govem.attendance.days.close_resolved_checkout_case``).
- :func:`open_clarifications` — the settle step, once the check-out window has closed: a case
  for every TK, missing check-in and missing check-out; an open case whose gap changed is
  given its settled kind, one whose gap is gone (a late check-in, an approved leave) closes
  itself.

Each new case sends one notice. Nothing is opened for a day before the counting start. The
operator logs contact attempts (``log_contact``, the case stays open) and records an outcome;
"sakit" and "dinas" file an approved S / DL request, "lupa presensi" and "kendala
perangkat/GPS" an approved alasan teknis (AT), in one audited step. The employee answers with
``answer_case``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govem.accounts import audit
from govem.errors import DomainError
from govem.uploads import ATTACHMENT


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
        RESOLVED = "resolved", _("Selesai otomatis: presensi atau izin tercatat kemudian")

    class Channel(models.TextChoices):
        """How the operator tried to reach the employee (a contact log entry)."""

        PHONE = "phone", _("Telepon")
        WHATSAPP = "whatsapp", _("WhatsApp")
        OTHER = "other", _("Lainnya")

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


# What an operator may record; "resolved" is only ever set by Govem itself.
OPERATOR_OUTCOMES = [
    (value, label)
    for value, label in Clarification.Outcome.choices
    if value != Clarification.Outcome.RESOLVED
]

OUTCOME_TYPES = {
    Clarification.Outcome.FORGOT: "AT",
    Clarification.Outcome.TECHNICAL: "AT",
    Clarification.Outcome.SICK: "S",
    Clarification.Outcome.DUTY: "DL",
}


def _kind(record: Any) -> str | None:
    """The gap of a settled day record, or ``None`` (no gap, a day off, not counted)."""
    if not record.workday or not record.counted:
        return None
    if record.status == "TK":
        return Clarification.Kind.TK
    if record.first_in is None and record.last_out is not None:
        return Clarification.Kind.NO_CHECK_IN
    if record.first_in is not None and record.last_out is None:
        return Clarification.Kind.NO_CHECK_OUT
    return None


CHECKOUT_GRACE = timedelta(minutes=30)  # the close phase: end + 30 min (SOP step 6)
_FIELDS = ("employee_id", "workday", "counted", "closed", "status", "codes", "first_in")
_FIELDS += ("last_out", "expected_end")


def _known_gap(record: Any, now: datetime) -> str | None:
    """The gap of a day still open, when it is already certain enough to ask about."""
    if not record.workday or not record.counted or record.expected_end is None:
        return None
    if record.first_in is None and not record.codes and now >= record.expected_end:
        return Clarification.Kind.NO_CHECK_IN  # work is over and nothing recorded yet
    if (
        record.first_in is not None
        and record.last_out is None
        and now >= record.expected_end + CHECKOUT_GRACE
    ):
        return Clarification.Kind.NO_CHECK_OUT
    return None


def _records(day: date, unit: Any) -> Any:
    from govem.attendance.models import DayRecord

    records = DayRecord.objects.filter(date=day, employee__active=True, workday=True)
    if unit is not None:
        records = records.filter(employee__unit__path__startswith=unit.path)
    return records.only(*_FIELDS)


def _create(day: date, gaps: dict[int, str]) -> list[int]:
    """One case per (employee, gap), the "no check-out" flag on their day records."""
    from govem.attendance.models import DayRecord

    if not gaps:
        return []
    with transaction.atomic():
        created = Clarification.objects.bulk_create(
            [
                Clarification(employee_id=employee_id, date=day, kind=kind)
                for employee_id, kind in gaps.items()
            ],
            batch_size=1000,
        )
        checkout = [pk for pk, kind in gaps.items() if kind == Clarification.Kind.NO_CHECK_OUT]
        for offset in range(0, len(checkout), 1000):
            DayRecord.objects.filter(
                date=day, employee_id__in=checkout[offset : offset + 1000]
            ).update(checkout_case_open=True)
    return [case.pk for case in created]


def _notify(created: list[int]) -> int:
    # The notices to those without attendance (SOP step 5): ask them to answer in the app.
    from govem.absences.notifications import notify_clarifications

    return notify_clarifications(created) if created else 0


def open_known_gaps(day: date, now: datetime | None = None) -> dict[str, Any]:
    """Reconcile and close phases: a case for each gap already known on a day still open."""
    now = now or timezone.now()
    existing = set(Clarification.objects.filter(date=day).values_list("employee_id", flat=True))
    gaps: dict[int, str] = {}
    for record in _records(day, None).filter(closed=False):
        kind = _known_gap(record, now)
        if kind is not None and record.employee_id not in existing:
            gaps[record.employee_id] = kind
    created = _create(day, gaps)
    kinds = Counter(gaps.values())
    return {
        "date": day.isoformat(),
        "created": len(created),
        "no_check_in": kinds[Clarification.Kind.NO_CHECK_IN],
        "no_check_out": kinds[Clarification.Kind.NO_CHECK_OUT],
        "notified": _notify(created),
    }


def open_clarifications(day: date, unit: Any = None) -> dict[str, Any]:
    """Settle step: one case per settled day with a gap (TK, no check-in, no check-out).

    Existing cases are kept, each gap gets one case and one notice however often this runs.
    An open case opened earlier in the day takes the settled kind; one whose gap is gone
    closes itself (audited).
    """
    existing = {
        case.employee_id: case
        for case in Clarification.objects.filter(date=day).only(
            "id", "employee_id", "kind", "status"
        )
    }
    gaps: dict[int, str] = {}
    retyped: dict[str, list[int]] = {}
    resolved: list[tuple[Clarification, Any]] = []
    for record in _records(day, unit).filter(closed=True):
        kind = _kind(record)
        case = existing.get(record.employee_id)
        if case is None:
            if kind is not None:
                gaps[record.employee_id] = kind
        elif case.status == Clarification.Status.OPEN:
            if kind is None:
                resolved.append((case, record))
            elif kind != case.kind:
                retyped.setdefault(kind, []).append(case.pk)
    created = _create(day, gaps)
    for kind, ids in retyped.items():
        Clarification.objects.filter(pk__in=ids, status=Clarification.Status.OPEN).update(kind=kind)
    for case, record in resolved:
        _close_resolved(case, _resolved_note(record))
    kinds = Counter(gaps.values())
    return {
        "date": day.isoformat(),
        "created": len(created),
        "tk": kinds[Clarification.Kind.TK],
        "no_check_in": kinds[Clarification.Kind.NO_CHECK_IN],
        "no_check_out": kinds[Clarification.Kind.NO_CHECK_OUT],
        "retyped": sum(len(ids) for ids in retyped.values()),
        "resolved": len(resolved),
        "notified": _notify(created),
    }


def _resolved_note(record: Any) -> str:
    if record.status and record.status not in {"H", "TK"} and record.first_in is None:
        return f"Hari ini tercatat {record.status}; kasus ditutup otomatis."
    return "Presensi tercatat kemudian; kasus ditutup otomatis."


def _clear_checkout_flag(employee_id: int, day: date) -> None:
    """The day record no longer has an open "no check-out" case (the punch path reads it)."""
    from govem.attendance.models import DayRecord

    DayRecord.objects.filter(employee_id=employee_id, date=day).update(checkout_case_open=False)


def _close_resolved(case: Clarification, note: str) -> bool:
    """Close one open case without an operator (its gap is gone); audited. Idempotent."""

    with audit.acting_as(None, reason=note), transaction.atomic():
        locked = Clarification.objects.select_for_update().filter(pk=case.pk).first()
        if locked is None or locked.status != Clarification.Status.OPEN:
            return False
        before = {"status": locked.status, "outcome": locked.outcome}
        locked.status = Clarification.Status.CLOSED
        locked.outcome = Clarification.Outcome.RESOLVED
        locked.notes = note
        locked.contact_log = [*locked.contact_log, _log_entry(None, note)]
        locked.save(update_fields=["status", "outcome", "notes", "contact_log"])
        _clear_checkout_flag(locked.employee_id, locked.date)
        audit.record(
            action="clarification_resolved",
            instance=locked,
            before=before,
            after={"status": locked.status, "outcome": locked.outcome},
            reason=note,
        )
    return True


def close_checkout_case(*, employee_id: int, day: date, checked_out_at: datetime) -> bool:
    """The employee checked out after a "no check-out" case was opened: close it (audited).

    The rare path behind ``govem.attendance.days.close_resolved_checkout_case``; the punch
    path calls that only when the day record says such a case is open.
    """
    case = Clarification.objects.filter(
        employee_id=employee_id,
        date=day,
        kind=Clarification.Kind.NO_CHECK_OUT,
        status=Clarification.Status.OPEN,
    ).first()
    if case is None:
        _clear_checkout_flag(employee_id, day)
        return False
    at = timezone.localtime(checked_out_at).strftime("%H:%M")
    return _close_resolved(case, f"Presensi pulang {at} tercatat; kasus ditutup otomatis.")


def _open_case_for_update(case: Clarification) -> Clarification:
    locked = Clarification.objects.select_for_update().get(pk=case.pk)
    if locked.status == Clarification.Status.CLOSED:
        raise DomainError("already_closed", "Klarifikasi ini sudah selesai.", status=409)
    return locked


def _log_entry(by: Any, note: str, channel: str = "") -> dict[str, str]:
    entry = {"at": timezone.now().isoformat(), "by": getattr(by, "username", ""), "note": note}
    if channel:
        entry["channel"] = channel
    return entry


def record_outcome(
    *, case: Clarification, outcome: str, contact: str, notes: str, by: Any
) -> Clarification:
    """Log the contact, close the case with ``outcome``; an excusing outcome files the
    matching request (S, DL) or AT exemption, approved in the same step.

    An excusing outcome on a verified (locked) day needs ``notes``: they are the reason the
    changed day is audited with; without them nothing is written (409 ``day_locked``).
    """
    from govem.absences.models import AbsenceRequest, AbsenceType
    from govem.absences.services import decide_request
    from govem.attendance.days import ensure_change_allowed

    if outcome not in {value for value, _ in OPERATOR_OUTCOMES}:
        raise DomainError(
            "invalid_input", "Hasil klarifikasi tidak dikenal.", details={"field": "outcome"}
        )
    contact, notes = contact.strip(), notes.strip()
    code = OUTCOME_TYPES.get(outcome)
    with audit.acting_as(by, reason=notes or outcome), transaction.atomic():
        locked = _open_case_for_update(case)
        if code is not None:
            ensure_change_allowed(locked.employee_id, locked.date, locked.date, notes)
        before = {"status": locked.status, "outcome": locked.outcome}
        locked.contact_log = [*locked.contact_log, _log_entry(by, contact)]
        locked.outcome, locked.notes = outcome, notes
        locked.status = Clarification.Status.CLOSED
        locked.operator = by if getattr(by, "pk", None) else None
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
        if locked.kind == Clarification.Kind.NO_CHECK_OUT:
            _clear_checkout_flag(locked.employee_id, locked.date)
        audit.record(
            action="clarify",
            instance=locked,
            before=before,
            after={"status": locked.status, "outcome": outcome},
        )
    case.refresh_from_db()
    return case


def log_contact(*, case: Clarification, by: Any, channel: str, note: str) -> Clarification:
    """Append a contact attempt to an open case without closing it; audited."""
    if channel not in Clarification.Channel.values:
        raise DomainError(
            "invalid_input", "Saluran kontak tidak dikenal.", details={"field": "channel"}
        )
    note = note.strip()
    if len(note) > 500:
        raise DomainError(
            "invalid_input",
            "Catatan kontak paling panjang 500 karakter.",
            details={"field": "note"},
        )
    with audit.acting_as(by, reason=note), transaction.atomic():
        locked = _open_case_for_update(case)
        entry = _log_entry(by, note, channel)
        locked.contact_log = [*locked.contact_log, entry]
        if locked.operator_id is None and getattr(by, "pk", None):
            locked.operator = by
        locked.save(update_fields=["contact_log", "operator"])
        audit.record(action="clarification_contact", instance=locked, after=entry)
    case.refresh_from_db()
    return case


def contact_entries(case: Clarification) -> list[dict[str, Any]]:
    """The contact log for display: local time, who, the channel's label, the note."""
    labels = dict(Clarification.Channel.choices)
    entries = []
    for entry in case.contact_log or []:
        try:
            at: Any = timezone.localtime(datetime.fromisoformat(entry.get("at", "")))
        except (TypeError, ValueError):
            at = None
        channel = entry.get("channel", "")
        entries.append(
            {
                "at": at,
                "by": entry.get("by", ""),
                "channel": channel,
                "channel_label": labels.get(channel, channel),
                "note": entry.get("note", ""),
            }
        )
    return entries


def answer_case(
    *, case: Clarification, by: Any, answer: str, attachment: Any = None
) -> Clarification:
    """The employee's answer to an open case, with an optional checked attachment."""
    checked = ATTACHMENT.check(attachment) if attachment is not None else None
    answer = answer.strip()
    if not answer:
        raise DomainError("invalid_input", "Jawaban wajib diisi.", details={"field": "answer"})
    if len(answer) > 2000:
        raise DomainError(
            "invalid_input", "Jawaban paling panjang 2000 karakter.", details={"field": "answer"}
        )
    with audit.acting_as(by), transaction.atomic():
        locked = _open_case_for_update(case)
        locked.answer = answer
        fields = ["answer"]
        if checked is not None:
            locked.answer_attachment = ATTACHMENT.store(checked)
            locked.answer_attachment_type = checked.content_type
            fields += ["answer_attachment", "answer_attachment_type"]
        locked.save(update_fields=fields)
    case.refresh_from_db()
    return case
