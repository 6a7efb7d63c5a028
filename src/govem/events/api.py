"""API v1 events: ``GET /events`` (own, due today or on ``date``), ``POST /events/{id}/checkins``
(the same body as ``POST /punches`` without ``kind``; same geofence, clock, device and receipt),
``GET /events/{id}/attendance`` (who is there, scoped like the monitor), and the review of
flagged event check-ins: ``GET /events/reviews`` (awaiting the caller's decision) and
``POST /events/{id}/checkins/{checkin_id}/review`` (the web page's service and permissions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from govem.accounts.access import api_access
from govem.accounts.scoping import can_monitor, visible_employees
from govem.attendance.api import PunchIn, attempt_from
from govem.errors import DomainError
from govem.events.models import Event
from govem.events.queries import (
    attendance,
    closed,
    get_checkin_rw_for_user_or_404,
    get_event_for_user_or_404,
    holding,
    is_required,
    pending_reviews,
)
from govem.events.services import check_in, review_checkin, window
from govem.people.models import Employee
from govem.schemas import MAX_ID, TEXT_PATTERN, ApiDate, ErrorOut

router = Router(tags=["acara"])


class EventCheckinIn(PunchIn):
    kind: Literal["in"] = "in"


class EventQuery(Schema):
    day: ApiDate | None = Field(None, alias="date")


def event_json(event: Event) -> dict[str, Any]:
    opens, closes = window(event)
    return {
        "id": event.pk,
        "name": event.name,
        "kind": event.kind,
        "date": event.date.isoformat(),
        "opens_at": opens.isoformat(),
        "closes_at": closes.isoformat(),
        "place": event.place,
        "mandatory": event.mandatory,
        "closed": closed(event),
    }


@router.get(
    "/events",
    response={200: list[dict[str, Any]], 403: ErrorOut, 422: ErrorOut},
    summary="Acara (apel, upacara) yang wajib diikuti pada tanggal itu (bawaan: hari ini)",
)
@api_access()
def own_events(request: HttpRequest, employee: Employee, query: Query[EventQuery]) -> Any:
    day = query.day or timezone.localdate()
    found = []
    for event in Event.objects.filter(date=day).select_related("location").order_by("opens_at"):
        if is_required(event, employee):
            body = event_json(event)
            standing = holding(event, employee)
            body["checked_in"] = standing is not None
            body["pending_review"] = (
                standing is not None
                and standing.verdict == "flagged"
                and (not hasattr(standing, "review"))
            )
            found.append(body)
    return Status(200, found)


@router.post(
    "/events/{event_id}/checkins",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Presensi acara: posisi, jam server, perangkat, tanda terima",
)
@api_access()
def event_checkin(
    request: HttpRequest,
    employee: Employee,
    payload: EventCheckinIn,
    event_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    event = Event.objects.select_related("location").filter(pk=event_id).first()
    if event is None:
        raise Http404("event")
    token = request.api_token  # type: ignore[attr-defined]
    device_id = token.device.device_id if token.device else ""
    status, body = check_in(
        event=event,
        employee=employee,
        attempt=attempt_from(request, payload, device_id=device_id, source="api"),
    )
    return Status(status, body)


@router.get(
    "/events/{event_id}/attendance",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut},
    summary="Siapa yang hadir, berhalangan, tidak hadir (dalam cakupan pemanggil)",
)
def event_attendance(request: HttpRequest, event_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    if not can_monitor(request.user):
        raise DomainError(
            "forbidden", _("Hanya untuk atasan, operator, Tim IT, Inovator."), status=403
        )
    scope = visible_employees(request.user)
    event = get_event_for_user_or_404(request.user, event_id)
    roll = attendance(event, scope)

    def person(employee: Any) -> dict[str, Any]:
        return {"employee_id": employee.pk, "nip": employee.identifier, "name": employee.name}

    return Status(
        200,
        {
            **event_json(event),
            "present": [
                {**person(e), "verdict": c.verdict, "server_time": c.server_time.isoformat()}
                for e, c in roll.present
            ],
            "excused": [{**person(e), "code": code} for e, code in roll.excused],
            "pending_review": [
                {**person(e), "checkin_id": c.pk, "flags": c.flags} for e, c in roll.pending
            ],
            "absent": [person(e) for e in roll.absent],
            "not_yet": [person(e) for e in roll.waiting],
        },
    )


class PendingReviewOut(Schema):
    """A flagged event check-in that waits for the caller's decision."""

    checkin_id: int
    event_id: int
    event_name: str
    event_date: date
    employee_id: int
    nip: str
    name: str
    server_time: datetime
    flags: list[str]


class PendingQuery(Schema):
    event: int | None = Field(None, ge=1, le=MAX_ID, description="Hanya acara ini")


class ReviewIn(Schema):
    decision: Literal["accept", "reject"]
    # Not blank, in the schema too: the service's own "reason_required" is the web page's.
    reason: str = Field(..., min_length=1, max_length=2000, pattern=TEXT_PATTERN)


class ReviewOut(Schema):
    checkin_id: int
    event_id: int
    employee_id: int
    decision: Literal["accepted", "rejected"]
    reason: str
    decided_at: datetime
    counts_as_present: bool


def _reviewer_scope(request: HttpRequest) -> Any:
    if not can_monitor(request.user):
        raise DomainError(
            "forbidden", _("Hanya untuk atasan, operator, Tim IT, Inovator."), status=403
        )
    return visible_employees(request.user)


@router.get(
    "/events/reviews",
    response={200: list[PendingReviewOut], 403: ErrorOut},
    summary="Presensi acara yang ditandai dan menunggu keputusan pemanggil (dalam cakupannya)",
)
def pending_event_reviews(request: HttpRequest, query: Query[PendingQuery]) -> Any:
    found = pending_reviews(request.user, _reviewer_scope(request))
    if query.event is not None:
        found = found.filter(event_id=query.event)
    rows = found.select_related("event", "employee").order_by("event__date", "server_time", "pk")
    return Status(
        200,
        [
            {
                "checkin_id": c.pk,
                "event_id": c.event_id,
                "event_name": c.event.name,
                "event_date": c.event.date,
                "employee_id": c.employee_id,
                "nip": c.employee.identifier,
                "name": c.employee.name,
                "server_time": c.server_time,
                "flags": list(c.flags or []),
            }
            for c in rows[:1000]
        ],
    )


@router.post(
    "/events/{event_id}/checkins/{checkin_id}/review",
    response={200: ReviewOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Terima atau tolak presensi acara yang ditandai (alasan wajib; sekali; diaudit)",
)
def review_event_checkin(
    request: HttpRequest,
    payload: ReviewIn,
    event_id: int = Path(..., ge=1, le=MAX_ID),
    checkin_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    _reviewer_scope(request)
    checkin = get_checkin_rw_for_user_or_404(request.user, event_id, checkin_id)
    decided = review_checkin(
        checkin=checkin, decision=payload.decision, reason=payload.reason, by=request.user
    )
    return Status(
        200,
        {
            "checkin_id": checkin.pk,
            "event_id": checkin.event_id,
            "employee_id": checkin.employee_id,
            "decision": decided.decision,
            "reason": decided.reason,
            "decided_at": decided.decided_at,
            "counts_as_present": decided.decision == "accepted",
        },
    )
