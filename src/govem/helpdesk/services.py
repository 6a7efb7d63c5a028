"""Writes of the helpdesk: tickets, replies, and the IT team's resolution actions.

Every function takes keyword-only arguments, owns its transaction and leaves an audit
entry (tickets and replies through the tracked models, actions through explicit records).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.absences.services import grant_technical_exemption as grant
from govem.accounts import audit
from govem.attendance.days import recompute_day
from govem.attendance.models import Punch
from govem.attendance.queries import employee_zone
from govem.attendance.reviews import hold_day
from govem.attendance.services import receipt_code
from govem.errors import DomainError
from govem.helpdesk.models import Ticket, TicketReply
from govem.people.models import Employee
from govem.people.services import active_device, release_device
from govem.uploads import SCREENSHOT

MAX_DESCRIPTION = 4000


@contextlib.contextmanager
def _acting(by: Any) -> Iterator[None]:
    actor = audit.current_actor()
    if actor is not None and actor.user == by:
        yield
        return
    with audit.acting_as(by, ip=actor.ip if actor else None):
        yield


def _text(value: str, field: str, message: str, limit: int = MAX_DESCRIPTION) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("invalid_input", message, details={"field": field})
    if len(value) > limit:
        raise DomainError(
            "invalid_input",
            _("Teks terlalu panjang (maksimal %(limit)s karakter).") % {"limit": limit},
            details={"field": field},
        )
    return value


def create_ticket(
    *,
    employee: Employee,
    category: str,
    description: str,
    screenshot: Any = None,
    by: Any,
) -> Ticket:
    """An employee's problem report; the screenshot must be a real JPEG/PNG/WebP image."""
    if category not in Ticket.Category.values:
        raise DomainError(
            "invalid_input",
            _("Kategori kendala tidak dikenal."),
            details={"field": "category", "allowed": list(Ticket.Category.values)},
        )
    description = _text(description, "description", _("Uraian kendala wajib diisi."))
    image = SCREENSHOT.check(screenshot) if screenshot else None
    name = SCREENSHOT.store(image) if image else ""
    with _acting(by), transaction.atomic():
        return Ticket.objects.create(
            employee=employee,
            category=category,
            description=description,
            screenshot=name,
            screenshot_type=image.content_type if image else "",
            created_by=by if getattr(by, "pk", None) else None,
        )


def _reply(ticket: Ticket, by: Any, body: str, action: str) -> TicketReply:
    reply = TicketReply.objects.create(ticket=ticket, author=by, body=body, action=action)
    if ticket.status == Ticket.Status.OPEN and action != TicketReply.Action.STATUS:
        ticket.status = Ticket.Status.IN_PROGRESS
        ticket.save(update_fields=["status", "updated_at"])
    return reply


def add_reply(*, ticket: Ticket, by: Any, body: str) -> TicketReply:
    body = _text(body, "body", _("Isi balasan wajib diisi."))
    with _acting(by), transaction.atomic():
        return _reply(ticket, by, body, TicketReply.Action.REPLY)


def assign(*, ticket: Ticket, by: Any, assignee: Any) -> Ticket:
    with _acting(by), transaction.atomic():
        ticket.assignee = assignee
        if ticket.status == Ticket.Status.OPEN:
            ticket.status = Ticket.Status.IN_PROGRESS
        ticket.save(update_fields=["assignee", "status", "updated_at"])
        name = getattr(assignee, "username", "") if assignee else "-"
        TicketReply.objects.create(
            ticket=ticket,
            author=by,
            action=TicketReply.Action.ASSIGN,
            body=f"Ditugaskan kepada {name}.",
        )
    return ticket


def set_status(*, ticket: Ticket, by: Any, status: str, note: str = "") -> Ticket:
    if status not in Ticket.Status.values:
        raise DomainError("invalid_input", _("Status tidak dikenal."), details={"field": "status"})
    note = (note or "").strip()[:MAX_DESCRIPTION]
    with _acting(by), transaction.atomic():
        ticket.status = status
        ticket.resolved_at = timezone.now() if status == Ticket.Status.RESOLVED else None
        ticket.save(update_fields=["status", "resolved_at", "updated_at"])
        label = Ticket.Status(status).label
        body = f"Status: {label}." + (f" {note}" if note else "")
        TicketReply.objects.create(
            ticket=ticket, author=by, action=TicketReply.Action.STATUS, body=body
        )
    return ticket


def release_ticket_device(*, ticket: Ticket, by: Any, reason: str) -> TicketReply:
    """Release the employee's device binding so the new phone can log in."""
    reason = _text(reason, "reason", _("Alasan pelepasan perangkat wajib diisi."), 300)
    with _acting(by), transaction.atomic():
        device = active_device(ticket.employee)
        if device is None:
            raise DomainError(
                "no_device", _("Pegawai ini tidak memiliki perangkat yang terikat."), status=409
            )
        release_device(device=device, by=by, reason=reason)
        audit.record(
            action=audit.Action.RELEASE_DEVICE,
            instance=device,
            after={"ticket": ticket.pk},
            reason=reason,
        )
        return _reply(
            ticket,
            by,
            f"Ikatan perangkat dilepas ({device.label or device.device_id[:12]}). "
            f"Silakan masuk kembali dari perangkat baru. Alasan: {reason}",
            TicketReply.Action.RELEASE_DEVICE,
        )


def enter_manual_punch(
    *, employee: Employee, by: Any, kind: str, at: datetime, reason: str, ticket: Ticket | None
) -> Punch:
    """A punch entered by the IT team (source ``manual``, with its reason), then the day.

    ``at`` is when the employee was really present; it may not lie in the future. On a
    verified (locked) date the lock is checked before the punch is stored, and the day's
    change is audited with this reason (``recompute_locked_day``).
    """
    if kind not in Punch.Kind.values:
        raise DomainError(
            "invalid_input", _("Jenis presensi tidak dikenal."), details={"field": "kind"}
        )
    reason = _text(reason, "reason", _("Alasan presensi manual wajib diisi."))
    if timezone.is_naive(at):
        raise DomainError("invalid_input", _("Waktu tanpa zona waktu."), details={"field": "at"})
    if at > timezone.now() + timedelta(minutes=1):
        raise DomainError(
            "invalid_input",
            _("Waktu presensi manual tidak boleh di masa depan."),
            details={"field": "at"},
        )
    zone_name = employee_zone(employee)
    local_date = at.astimezone(ZoneInfo(zone_name)).date()
    location = employee.allowed_locations().order_by("id").first()
    with _acting(by), transaction.atomic():
        hold_day(employee_id=employee.pk, day=local_date, reason=reason)
        punch = Punch.objects.create(
            employee=employee,
            kind=kind,
            server_time=at,
            local_date=local_date,
            time_zone=zone_name,
            location=location,
            verdict=Punch.Verdict.ACCEPTED,
            flags=["manual"],
            source=Punch.Source.MANUAL,
            note=reason,
            created_by=by if getattr(by, "pk", None) else None,
        )
        punch.receipt = receipt_code(punch)
        punch.response_body = {"id": punch.pk, "receipt": punch.receipt, "source": "manual"}
        punch.save(update_fields=["receipt", "response_body"])
        audit.record(
            action=audit.Action.MANUAL_PUNCH,
            instance=punch,
            after={
                "employee": employee.pk,
                "kind": kind,
                "at": at.isoformat(),
                "ticket": ticket.pk if ticket else None,
            },
            reason=reason,
        )
        if ticket is not None:
            local = at.astimezone(ZoneInfo(zone_name))
            label = Punch.Kind(kind).label.lower()
            _reply(
                ticket,
                by,
                f"Presensi {label} manual dicatat: {local:%d-%m-%Y %H:%M}. Alasan: {reason}",
                TicketReply.Action.MANUAL_PUNCH,
            )
        recompute(employee=employee, day=local_date, reason=reason)
    return punch


def grant_technical_exemption(*, ticket: Ticket, by: Any, day: date, reason: str) -> Any:
    """An approved "alasan teknis" (AT) absence for the day: the phone or system failed."""
    reason = _text(reason, "reason", _("Alasan pemberian alasan teknis wajib diisi."))
    with _acting(by), transaction.atomic():
        request = grant(employee=ticket.employee, day=day, reason=reason, by=by)
        audit.record(
            action=audit.Action.GRANT_EXEMPTION,
            instance=ticket,
            after={"employee": ticket.employee_id, "date": day.isoformat(), "type": "AT"},
            reason=reason,
        )
        _reply(
            ticket,
            by,
            f"Alasan teknis diberikan untuk {day:%d-%m-%Y}. {reason}",
            TicketReply.Action.EXEMPTION,
        )
    return request


def recompute(*, employee: Employee, day: date, reason: str) -> Any:
    """The day after a helpdesk action; a locked day changes only with ``reason`` (audited)."""
    return recompute_day(employee=employee, day=day, reason=reason)
