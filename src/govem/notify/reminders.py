"""SOP reminders: check-in reminders at ``prepare``, a nudge to those not yet in after the grace
period, and a check-out reminder to those still in at the end of work.

Every function may run again at any time: the outbox's dedupe key (kind, date, employee) makes
each reminder go out once, and the time checks make early or late calls harmless.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from govem.attendance.models import Punch
from govem.notify.channels import configured_channels
from govem.notify.models import ContactChannel, Message, MessageTemplate, PushSubscription
from govem.notify.outbox import enqueue_many
from govem.notify.plans import EARLY_LEAVE, LATE_ARRIVAL, WorkPlan, work_plans
from govem.notify.rendering import day_name, long_date, substitute
from govem.notify.wording import greeting

CHECKIN = "pengingat-masuk"
CHECKOUT = "pengingat-pulang"
NUDGE = "belum-presensi"


@dataclass(frozen=True)
class QueueResult:
    kind: str
    day: date
    candidates: int
    queued: int
    unreachable: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "day": self.day.isoformat(),
            "candidates": self.candidates,
            "queued": self.queued,
            "unreachable": self.unreachable,
        }


class Reach:
    """The first configured channel (GOVEM_NOTIFY_CHANNELS order) that reaches each employee."""

    def __init__(self, plans: Iterable[WorkPlan]) -> None:
        self.order = configured_channels()
        employees = [plan.employee for plan in plans]
        ids = [e.pk for e in employees]
        self.contacts = {
            (c.employee_id, c.channel): c
            for c in ContactChannel.objects.filter(employee_id__in=ids)
        }
        users = [e.user_id for e in employees if e.user_id]
        self.push_users = set(
            PushSubscription.objects.filter(
                user_id__in=users, disabled_at__isnull=True
            ).values_list("user_id", flat=True)
        )

    def first(self, employee: Any) -> tuple[str, str] | None:
        for channel in self.order:
            contact = self.contacts.get((employee.pk, channel))
            if contact is not None and not contact.enabled:
                continue
            override = contact.address if contact else ""
            if channel == "webpush" and employee.user_id in self.push_users:
                return channel, f"user:{employee.user_id}"
            if channel == "telegram" and override:
                return channel, override
            if channel == "whatsapp" and (override or employee.phone):
                return channel, override or employee.phone
            if channel == "email" and (override or employee.email):
                return channel, override or employee.email
        return None


def _templates(key: str) -> dict[str, MessageTemplate]:
    return {t.channel: t for t in MessageTemplate.objects.filter(key=key)}


def _context(plan: WorkPlan, now: datetime) -> dict[str, str]:
    zone = plan.schedule.zone
    employee = plan.employee
    return {
        "salam": greeting(now, zone),
        "nama": employee.name,
        "nip": employee.identifier,
        "tanggal": long_date(plan.schedule.local_date),
        "hari": day_name(plan.schedule.local_date),
        "jam_masuk": plan.schedule.start.astimezone(zone).strftime("%H:%M"),
        "jam_pulang": plan.schedule.end.astimezone(zone).strftime("%H:%M"),
        "unit": employee.unit.name,
        "instansi": settings.GOVEM["REGENCY_NAME"],
    }


def _queue(
    kind: str, day: date, plans: list[WorkPlan], expires: dict[int, datetime]
) -> QueueResult:
    templates = _templates(kind)
    reach = Reach(plans)
    messages = []
    unreachable = 0
    now = timezone.now()
    for plan in plans:
        target = reach.first(plan.employee)
        template = None
        if target is not None:
            template = templates.get(target[0]) or templates.get(MessageTemplate.ANY)
        if target is None or template is None:
            unreachable += 1
            continue
        context = _context(plan, now)
        messages.append(
            Message(
                channel=target[0],
                address=target[1],
                employee=plan.employee,
                template_key=kind,
                subject=substitute(template.subject, context)[:200],
                body=substitute(template.body, context),
                url="/",
                dedupe_key=f"{kind}:{day.isoformat()}:{plan.employee.pk}",
                next_attempt_at=now,
                expires_at=expires[plan.employee.pk],
            )
        )
    queued = enqueue_many(messages)
    return QueueResult(kind, day, len(plans), queued, unreachable)


def _enabled() -> bool:
    return bool(settings.GOVEM_NOTIFY["REMINDERS"])


def queue_checkin_reminders(day: date, now: datetime | None = None) -> QueueResult:
    """To everyone who works on ``day`` and whose work has not started yet."""
    now = now or timezone.now()
    plans = [p for p in _plans(day, None) if p.schedule.start > now]
    return _queue(CHECKIN, day, plans, {p.employee.pk: p.schedule.start for p in plans})


def _counted_punches(plans: list[WorkPlan], now: datetime) -> dict[int, list[Punch]]:
    if not plans:
        return {}
    since = min(p.schedule.check_in_opens for p in plans)
    by_employee: dict[int, list[Punch]] = defaultdict(list)
    punches = Punch.objects.filter(
        employee_id__in=[p.employee.pk for p in plans],
        server_time__gte=since,
        server_time__lte=now,
    ).exclude(verdict=Punch.Verdict.REJECTED)
    for punch in punches.only("employee_id", "kind", "server_time"):
        by_employee[punch.employee_id].append(punch)
    return by_employee


def _in_window(punches: list[Punch], kind: str, start: datetime, end: datetime) -> bool:
    return any(p.kind == kind and start <= p.server_time <= end for p in punches)


def _plans(day: date, plans: list[WorkPlan] | None) -> list[WorkPlan]:
    if not _enabled():
        return []
    return work_plans(day) if plans is None else plans


def queue_late_nudges(
    day: date, now: datetime | None = None, *, plans: list[WorkPlan] | None = None
) -> QueueResult:
    """To those not checked in once the grace period after their start has passed."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.GOVEM_NOTIFY["LATE_NUDGE_MINUTES"])
    due = [
        p
        for p in _plans(day, plans)
        if p.schedule.start + grace <= now < p.schedule.end and LATE_ARRIVAL not in p.excused
    ]
    punches = _counted_punches(due, now)
    plans = [
        p
        for p in due
        if not _in_window(
            punches.get(p.employee.pk, []), Punch.Kind.IN, p.schedule.check_in_opens, now
        )
    ]
    return _queue(NUDGE, day, plans, {p.employee.pk: p.schedule.end for p in plans})


def queue_checkout_reminders(
    day: date, now: datetime | None = None, *, plans: list[WorkPlan] | None = None
) -> QueueResult:
    """To those checked in and not out once their work has ended (until check-out closes)."""
    now = now or timezone.now()
    after = timedelta(minutes=settings.GOVEM_NOTIFY["CHECKOUT_REMINDER_MINUTES"])
    due = [
        p
        for p in _plans(day, plans)
        if p.schedule.end + after <= now < p.schedule.check_out_closes
        and EARLY_LEAVE not in p.excused  # permitted to leave early: gone before the end
    ]
    punches = _counted_punches(due, now)
    plans = []
    for plan in due:
        mine = punches.get(plan.employee.pk, [])
        checked_in = _in_window(mine, Punch.Kind.IN, plan.schedule.check_in_opens, now)
        checked_out = _in_window(mine, Punch.Kind.OUT, plan.schedule.start, now)
        if checked_in and not checked_out:
            plans.append(plan)
    expires = {p.employee.pk: p.schedule.check_out_closes for p in plans}
    return _queue(CHECKOUT, day, plans, expires)


def tick(now: datetime | None = None) -> list[QueueResult]:
    """For the worker loop: nudges and check-out reminders that are due now (yesterday too,
    for night shifts that end this morning)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    results = []
    for day in (today - timedelta(days=1), today):
        plans = _plans(day, None)
        results.append(queue_late_nudges(day, now, plans=plans))
        results.append(queue_checkout_reminders(day, now, plans=plans))
    return results
