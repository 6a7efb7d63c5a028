"""Reads of events: who must attend, who is there, who is excused, who missed it — for the
event page, the monitor, the daily report, the recap, the employee's home and the TPP."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.absences.queries import approved_between
from govem.accounts.access import get_for_user_or_404
from govem.accounts.roles import OPERATOR, role_names
from govem.accounts.scoping import can_monitor, can_write, is_it, sees_everything, visible_employees
from govem.attendance.days import rule_table
from govem.attendance.recap import month_end
from govem.errors import DomainError
from govem.events.models import ABSENCE_CODE, Event, EventCheckin, EventCheckinReview
from govem.operations import golive
from govem.people.models import Employee
from govem.rules import tpp
from govem.rules.bands import Rules, rules_on
from govem.rules.daystatus import Part

# Like a punch: an accepted check-in counts; a flagged one counts only once a reviewer
# accepts it (until then, and after a rejection, the employee is not present: TAP once the
# window has closed).
COUNTS = Q(verdict=EventCheckin.Verdict.ACCEPTED) | Q(
    verdict=EventCheckin.Verdict.FLAGGED, review__decision=EventCheckinReview.Decision.ACCEPTED
)
# What stops a second attempt: any check-in not refused and not rejected by a reviewer.
HOLDS = ~Q(verdict=EventCheckin.Verdict.REJECTED) & ~Q(
    review__decision=EventCheckinReview.Decision.REJECTED
)
PENDING = Q(verdict=EventCheckin.Verdict.FLAGGED, review__isnull=True)


def holding(event: Event, employee: Employee) -> EventCheckin | None:
    """The employee's check-in that stands (counted or awaiting review), if any."""
    return (
        EventCheckin.objects.filter(HOLDS, event=event, employee=employee)
        .select_related("review")
        .order_by("server_time", "pk")
        .first()
    )


def required_q(event: Event) -> Q:
    """Employees who must attend: the event's units (with their sub-units) and named people."""
    query = Q(pk__in=event.employees.values("pk"))
    for path in event.units.values_list("path", flat=True):
        query |= Q(unit__path__startswith=path)
    return query


def required(event: Event) -> QuerySet[Employee]:
    return Employee.objects.filter(required_q(event), active=True)


def is_required(event: Event, employee: Employee) -> bool:
    return required(event).filter(pk=employee.pk).exists()


def closed(event: Event, now: datetime | None = None) -> bool:
    zone = ZoneInfo(event.time_zone)
    closes = datetime.combine(event.date, event.closes_at, tzinfo=zone)
    return (now or timezone.now()) > closes


@dataclass
class Attendance:
    """One event's roll: present (an accepted check-in, or a flagged one a reviewer accepted),
    awaiting review (flagged, not decided: not present until accepted), excused by approved
    leave or duty travel, absent (window closed, no counted check-in), not yet (still open)."""

    event: Event
    present: list[tuple[Employee, EventCheckin]] = field(default_factory=list)
    pending: list[tuple[Employee, EventCheckin]] = field(default_factory=list)
    excused: list[tuple[Employee, str]] = field(default_factory=list)
    absent: list[Employee] = field(default_factory=list)
    waiting: list[Employee] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return (
            len(self.present)
            + len(self.pending)
            + len(self.excused)
            + len(self.absent)
            + len(self.waiting)
        )


def _excuses(employee_ids: Iterable[int], day: date) -> dict[int, str]:
    """Per employee: the code of an approved full-day absence covering ``day`` (CT, DL, S…)."""
    found: dict[int, str] = {}
    for employee_id, spans in approved_between(list(employee_ids), day, day).items():
        for first, last, absence in spans:
            if first <= day <= last and absence.part is Part.FULL_DAY:
                found[employee_id] = absence.code
    return found


def attendance(event: Event, scope: QuerySet[Employee] | None = None) -> Attendance:
    """The roll, limited to ``scope`` (the caller's visible employees) when given."""
    people = required(event).select_related("unit").order_by("unit__path", "name")
    if scope is not None:
        people = people.filter(pk__in=scope.values("pk"))
    people_list = list(people)
    checkins: dict[int, EventCheckin] = {}
    rows = (
        EventCheckin.objects.filter(HOLDS, event=event)
        .select_related("review")
        .order_by("server_time", "pk")
    )
    for checkin in rows:
        checkins.setdefault(checkin.employee_id, checkin)
    excuses = _excuses([p.pk for p in people_list], event.date)
    roll = Attendance(event)
    over = closed(event)
    for person in people_list:
        standing = checkins.get(person.pk)
        if (
            standing is not None
            and standing.verdict == EventCheckin.Verdict.FLAGGED
            and not (hasattr(standing, "review"))
        ):
            roll.pending.append((person, standing))
        elif standing is not None:
            roll.present.append((person, standing))
        elif person.pk in excuses:
            roll.excused.append((person, excuses[person.pk]))
        elif over:
            roll.absent.append(person)
        else:
            roll.waiting.append(person)
    return roll


def events_on(day: date, scope: QuerySet[Employee]) -> list[tuple[Event, Attendance]]:
    """The day's events with their roll within ``scope`` (events nobody in scope must attend
    are left out)."""
    found = []
    for event in Event.objects.filter(date=day).select_related("location").order_by("opens_at"):
        roll = attendance(event, scope)
        if roll.expected:
            found.append((event, roll))
    return found


def due_for(employee: Employee, now: datetime | None = None) -> list[tuple[Event, bool]]:
    """Today's events the employee must attend whose window has not closed: (event, done)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found = []
    for event in Event.objects.filter(date=today).select_related("location").order_by("opens_at"):
        if closed(event, now) or not is_required(event, employee):
            continue
        found.append((event, holding(event, employee) is not None))
    return found


def missed_in_month(
    employee_ids: list[int], month: date, table: list[Rules]
) -> dict[int, list[tpp.Occurrence]]:
    """Missed mandatory events of ``month`` (window closed, no check-in, no approved full-day
    absence), code TAP at the rule table's percentage for that date (default 0), not before
    an employee's counting start."""

    wanted = set(employee_ids)
    found: dict[int, list[tpp.Occurrence]] = defaultdict(list)
    events = Event.objects.filter(mandatory=True, date__gte=month, date__lte=month_end(month))
    starts: dict[int, date] | None = None
    for event in events.order_by("date", "opens_at"):
        if not closed(event):
            continue
        required_ids = set(required(event).filter(pk__in=wanted).values_list("pk", flat=True))
        if not required_ids:
            continue
        came = set(
            EventCheckin.objects.filter(
                COUNTS, event=event, employee_id__in=required_ids
            ).values_list("employee_id", flat=True)
        )
        excused = set(_excuses(required_ids, event.date))
        missing = required_ids - came - excused
        if not missing:
            continue
        if starts is None:
            starts = golive.employee_starts(wanted)
        pct = rules_on(event.date, table).absence_pct.get(ABSENCE_CODE, tpp.ZERO)
        for employee_id in sorted(missing):
            if event.date >= starts.get(employee_id, date.min):
                found[employee_id].append(tpp.Occurrence(ABSENCE_CODE, event.date, pct))
    return found


def missed_by(employee: Employee, month: date) -> list[Event]:
    """The mandatory events of ``month`` the employee missed without excuse (the recap)."""

    days = {
        item.day
        for item in missed_in_month([employee.pk], month, rule_table()).get(employee.pk, [])
    }
    if not days:
        return []
    missed = []
    for event in Event.objects.filter(mandatory=True, date__in=days).order_by("date", "opens_at"):
        roll = attendance(event, Employee.objects.filter(pk=employee.pk))
        if any(person.pk == employee.pk for person in roll.absent):
            missed.append(event)
    return missed


def visible_events(user: Any, scope: QuerySet[Employee]) -> QuerySet[Event]:
    """Events someone in ``scope`` must attend, or that the user created."""

    if sees_everything(user):
        return Event.objects.all()
    units = scope.values_list("unit__path", flat=True).distinct()
    query = Q(created_by=user) | Q(employees__in=scope.values("pk"))
    paths = set(units)
    ancestors: set[int] = set()
    for path in paths:
        ancestors.update(int(part) for part in path.strip("/").split("/") if part)
    query |= Q(units__in=ancestors)
    return Event.objects.filter(query).distinct()


def pending_reviews(user: Any, scope: QuerySet[Employee]) -> QuerySet[EventCheckin]:
    """Flagged event check-ins not yet decided that ``user`` may decide, within ``scope``
    (the same people :func:`may_review` allows: Tim IT; the event's
    creator; an operator for the employees of their scope; never their own check-in)."""
    if not can_write(user):
        return EventCheckin.objects.none()
    found = EventCheckin.objects.filter(  # type: ignore[misc]
        verdict=EventCheckin.Verdict.FLAGGED, review__isnull=True, employee__in=scope
    ).exclude(employee__user_id=getattr(user, "pk", None))
    if not is_it(user) and OPERATOR not in role_names(user):
        found = found.filter(event__created_by_id=getattr(user, "pk", None))
    return found


def can_manage_events(user: Any) -> bool:
    """Create events: operators (for their units) and Tim IT, never a read-only role."""
    return can_write(user) and (is_it(user) or OPERATOR in role_names(user))


def may_review(user: Any, checkin: EventCheckin) -> bool:
    """Tim IT; the event's creator; an operator whose scope holds the employee. Not the
    employee themself, not a read-only user."""
    if not can_write(user):
        return False
    if getattr(checkin.employee, "user_id", None) == getattr(user, "pk", None):
        return False
    if is_it(user) or checkin.event.created_by_id == getattr(user, "pk", None):
        return True
    return OPERATOR in role_names(user) and (
        visible_employees(user).filter(pk=checkin.employee_id).exists()
    )


def get_checkin_for_user_or_404(user: Any, event_id: Any, pk: Any) -> EventCheckin:
    """A check-in to ``event_id`` by someone in the user's monitoring scope, or 404 (also
    for a role without the monitor: to them the check-ins of others do not exist)."""
    if not can_monitor(user):
        raise Http404("checkin")
    checkins = EventCheckin.objects.select_related("event", "employee").filter(
        event_id=event_id, employee__in=visible_employees(user)
    )
    return get_for_user_or_404(checkins, pk, what="checkin")


def get_checkin_rw_for_user_or_404(user: Any, event_id: Any, pk: Any) -> EventCheckin:
    """A check-in the user is about to decide: 404 outside the scope, then 403
    ``forbidden`` unless :func:`may_review` (the Inovator, a supervisor who did not create
    the event, the employee themself)."""
    checkin = get_checkin_for_user_or_404(user, event_id, pk)
    if not may_review(user, checkin):
        raise DomainError(
            "forbidden",
            _("Hanya pembuat acara, operator unit pegawai dan Tim IT yang dapat meninjau."),
            status=403,
        )
    return checkin


def get_event_for_user_or_404(user: Any, pk: Any) -> Event:
    """An event the user oversees (:func:`visible_events` of their monitoring scope), or 404."""
    events = visible_events(user, visible_employees(user)).select_related("location")
    return get_for_user_or_404(events, pk, what="event")
