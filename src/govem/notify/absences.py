"""The employee is told, through the notify outbox, of a decision on their request and of a
clarification case opened about a day without attendance (the receivers of
:mod:`govem.absences.signals`, connected in :meth:`NotifyConfig.ready`).

The texts are the editable templates ``pengajuan-diputuskan`` and ``klarifikasi-dibuka``
(admin → Templat pesan; seeded by migrations 0005 and 0006), sent on the first channel that
reaches the employee, like the reminders.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from govem.absences import signals
from govem.absences.models import AbsenceRequest, Clarification
from govem.notify.models import Message, MessageTemplate
from govem.notify.outbox import enqueue, enqueue_many
from govem.notify.reminders import Reach
from govem.notify.rendering import TemplateMissing, long_date, render, substitute
from govem.notify.wording import greeting_for

logger = logging.getLogger(__name__)

DECIDED = "pengajuan-diputuskan"
CLARIFY = "klarifikasi-dibuka"
DECISIONS = {
    AbsenceRequest.Status.APPROVED: "disetujui",
    AbsenceRequest.Status.REJECTED: "ditolak",
}


@dataclass(frozen=True)
class _Target:
    """What :class:`~govem.notify.reminders.Reach` reads of a work plan: the employee."""

    employee: Any


def period(request: AbsenceRequest) -> str:
    if request.start_date == request.end_date:
        return long_date(request.start_date)
    return f"{long_date(request.start_date)} s.d. {long_date(request.end_date)}"


def decision_context(request: AbsenceRequest) -> dict[str, str]:
    employee = request.employee
    decided_by = request.decided_by
    by_name = ""
    if decided_by is not None:
        by_employee = getattr(decided_by, "employee", None)
        by_name = by_employee.name if by_employee else decided_by.get_username()
    return {
        "salam": greeting_for(employee),
        "nama": employee.name,
        "nip": employee.identifier,
        "unit": employee.unit.name,
        "jenis": request.type.name,
        "tanggal": period(request),
        "keputusan": DECISIONS.get(
            AbsenceRequest.Status(request.status), request.get_status_display()
        ),
        "catatan": request.note or "-",
        "pemutus": by_name or "-",
        "instansi": settings.GOVEM["REGENCY_NAME"],
    }


def notify_decision(request_id: int) -> Any:
    """Queue one message about the decision on ``request_id`` (once: deduplicated by id).

    Called on commit of the decision; ``None`` when the employee cannot be reached, the
    template is gone, or the message was queued before.
    """
    request = (
        AbsenceRequest.objects.select_related("employee__unit", "employee__user", "type")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.status not in DECISIONS:
        return None
    target = Reach([_Target(request.employee)]).first(request.employee)  # type: ignore[list-item]
    if target is None:
        logger.info("notify: employee %s cannot be reached", request.employee_id)
        return None
    channel, address = target
    try:
        subject, body = render(DECIDED, channel, decision_context(request))
    except TemplateMissing:
        logger.warning("notify: template %s is missing", DECIDED)
        return None
    return enqueue(
        channel=channel,
        address=address,
        subject=subject,
        body=body,
        employee=request.employee,
        template_key=DECIDED,
        dedupe_key=f"{DECIDED}:{request.pk}",
        url="/pengajuan/",
    )


def notify_clarifications(case_ids: list[int]) -> int:
    """Queue one notice per new clarification case ("no attendance recorded on …; answer in
    the app"); deduplicated per case. Returns how many were queued.

    In bulk — one channel lookup and one template read for all, one insert per 500 — since
    the settle step opens the day's cases for the whole regency at once.
    """

    cases = list(
        Clarification.objects.filter(pk__in=case_ids).select_related(
            "employee__unit", "employee__user"
        )
    )
    if not cases:
        return 0
    templates = {t.channel: t for t in MessageTemplate.objects.filter(key=CLARIFY)}
    if not templates:
        logger.warning("notify: template %s is missing", CLARIFY)
        return 0
    reach = Reach([_Target(case.employee) for case in cases])  # type: ignore[misc]
    messages = []
    for case in cases:
        target = reach.first(case.employee)
        if target is None:
            continue
        channel, address = target
        template = templates.get(channel) or templates.get(MessageTemplate.ANY)
        if template is None:
            continue
        context = {
            "salam": greeting_for(case.employee),
            "nama": case.employee.name,
            "nip": case.employee.identifier,
            "unit": case.employee.unit.name,
            "tanggal": long_date(case.date),
            "masalah": case.get_kind_display(),
            "instansi": settings.GOVEM["REGENCY_NAME"],
        }
        messages.append(
            Message(
                channel=channel,
                address=address,
                subject=substitute(template.subject, context)[:200],
                body=substitute(template.body, context),
                employee=case.employee,
                template_key=CLARIFY,
                dedupe_key=f"{CLARIFY}:{case.pk}",
                url="/klarifikasi/saya/",
            )
        )
    return enqueue_many(messages)


def on_request_decided(sender: Any, *, request_id: int, **kwargs: Any) -> Any:
    return notify_decision(request_id)


def on_cases_opened(sender: Any, *, case_ids: list[int], **kwargs: Any) -> int:
    return notify_clarifications(case_ids)


def connect() -> None:
    signals.request_decided.connect(on_request_decided, dispatch_uid="govem-notify-decision")
    signals.cases_opened.connect(on_cases_opened, dispatch_uid="govem-notify-clarification")
