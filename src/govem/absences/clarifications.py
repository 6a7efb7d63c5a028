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
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.absences import signals
from govem.absences.models import AbsenceRequest, AbsenceType, Clarification
from govem.absences.services import decide_request
from govem.accounts import audit
from govem.errors import DomainError
from govem.l10n import stored_sentence
from govem.rules import clarification as clarification_rules
from govem.uploads import ATTACHMENT

# What an operator may record; "resolved" is only ever set by Govem itself.
OPERATOR_OUTCOMES = [
    (value, label)
    for value, label in Clarification.Outcome.choices
    if value in clarification_rules.OPERATOR_OUTCOMES
]
OUTCOME_TYPES = clarification_rules.OUTCOME_TYPES
_FIELDS: tuple[str, ...] = ("employee_id", "workday", "counted", "closed", "status", "codes")
_FIELDS += ("first_in", "last_out", "expected_end")


def _records(day: date, unit: Any) -> Any:
    # attendance imports absences at module level: a top-level import would be circular
    from govem.attendance.models import DayRecord

    records = DayRecord.objects.filter(date=day, employee__active=True, workday=True)
    if unit is not None:
        records = records.filter(employee__unit__path__startswith=unit.path)
    return records.only(*_FIELDS)


def _create(day: date, gaps: dict[int, str]) -> list[int]:
    """One case per (employee, gap), the "no check-out" flag on their day records."""
    # attendance imports absences at module level: a top-level import would be circular
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
    if not created:
        return 0
    return signals.notified(signals.cases_opened.send(Clarification, case_ids=created))


def open_known_gaps(day: date, *, now: datetime | None = None) -> dict[str, Any]:
    """Reconcile and close phases: a case for each gap already known on a day still open."""
    now = now or timezone.now()
    existing = set(Clarification.objects.filter(date=day).values_list("employee_id", flat=True))
    gaps: dict[int, str] = {}
    for record in _records(day, None).filter(closed=False):
        kind = clarification_rules.known_gap(record, now)
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


def open_clarifications(day: date, *, unit: Any = None) -> dict[str, Any]:
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
        kind = clarification_rules.settled_gap(record)
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
    for gap, ids in retyped.items():
        Clarification.objects.filter(pk__in=ids, status=Clarification.Status.OPEN).update(kind=gap)
    for case, record in resolved:
        _close_resolved(case, clarification_rules.resolved_note(record))
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


def _clear_checkout_flag(employee_id: int, day: date) -> None:
    """The day record no longer has an open "no check-out" case (the punch path reads it)."""
    # attendance imports absences at module level: a top-level import would be circular
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
            action=audit.Action.CLARIFICATION_RESOLVED,
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
    return _close_resolved(case, clarification_rules.checkout_note(at))


def _open_case_for_update(case: Clarification) -> Clarification:
    locked = Clarification.objects.select_for_update().get(pk=case.pk)
    if locked.status == Clarification.Status.CLOSED:
        raise DomainError("already_closed", _("Klarifikasi ini sudah selesai."), status=409)
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
    # attendance imports absences at module level: a top-level import would be circular
    from govem.attendance.days import ensure_change_allowed

    refusal = clarification_rules.outcome_refusal(outcome)
    if refusal is not None:
        raise DomainError(refusal.code, refusal.message, details={"field": refusal.field})
    contact, notes = contact.strip(), notes.strip()
    code = OUTCOME_TYPES.get(clarification_rules.Outcome(outcome))
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
            action=audit.Action.CLARIFY,
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
            "invalid_input", _("Saluran kontak tidak dikenal."), details={"field": "channel"}
        )
    note = note.strip()
    if len(note) > 500:
        raise DomainError(
            "invalid_input",
            _("Catatan kontak paling panjang 500 karakter."),
            details={"field": "note"},
        )
    with audit.acting_as(by, reason=note), transaction.atomic():
        locked = _open_case_for_update(case)
        entry = _log_entry(by, note, channel)
        locked.contact_log = [*locked.contact_log, entry]
        if locked.operator_id is None and getattr(by, "pk", None):
            locked.operator = by
        locked.save(update_fields=["contact_log", "operator"])
        audit.record(action=audit.Action.CLARIFICATION_CONTACT, instance=locked, after=entry)
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
                "note": stored_sentence(entry.get("note", ""), clarification_rules.AUTOMATIC_NOTES),
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
        raise DomainError("invalid_input", _("Jawaban wajib diisi."), details={"field": "answer"})
    if len(answer) > 2000:
        raise DomainError(
            "invalid_input", _("Jawaban paling panjang 2000 karakter."), details={"field": "answer"}
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
