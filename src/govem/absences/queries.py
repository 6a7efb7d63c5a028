"""Reads: the approved absences that cover employees' dates (for the day ledger), requests and
clarification cases as each user may see them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govem.absences.models import AbsenceRequest, Clarification
from govem.accounts.access import get_for_user_or_404, get_rw_for_user_or_404
from govem.accounts.roles import OPERATOR, role_names
from govem.accounts.scoping import (
    NOTHING,
    can_review_punches,
    can_write,
    employee_q,
    is_it,
    sees_everything,
)
from govem.errors import DomainError
from govem.rules import geofence
from govem.rules.daystatus import Absence, Part


def approved_between(
    employee_ids: Iterable[int] | None, start: date, end: date
) -> dict[int, list[tuple[date, date, Absence]]]:
    """Per employee: (first date, last date, absence) of every approved request in range.

    One query. ``employee_ids=None`` means every employee.
    """
    rows = AbsenceRequest.objects.filter(
        status=AbsenceRequest.Status.APPROVED, start_date__lte=end, end_date__gte=start
    )
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=list(employee_ids))
    found: dict[int, list[tuple[date, date, Absence]]] = defaultdict(list)
    for employee_id, first, last, part, at, code, name in rows.order_by("id").values_list(
        "employee_id", "start_date", "end_date", "part_of_day", "time", "type__code", "type__name"
    ):
        found[employee_id].append((first, last, Absence(code, name, Part(part), at)))
    return found


def covering(spans: list[tuple[date, date, Absence]], day: date) -> tuple[Absence, ...]:
    return tuple(absence for first, last, absence in spans if first <= day <= last)


def own_requests(user: Any) -> QuerySet[AbsenceRequest]:
    return AbsenceRequest.objects.filter(employee__user=user).select_related("type")


def approver_q(user: Any) -> Q:
    """Requests ``user`` may decide: direct subordinates' (Atasan) and, for an operator,
    those of employees in the operator's unit subtrees; never their own."""
    if is_it(user):
        return ~Q(employee__user_id=user.pk)
    if sees_everything(user):
        return NOTHING
    return employee_q(user, "employee__") & ~Q(employee__user_id=user.pk)


def decidable_requests(user: Any) -> QuerySet[AbsenceRequest]:
    if not can_write(user):
        return AbsenceRequest.objects.none()
    return AbsenceRequest.objects.filter(approver_q(user)).select_related("type", "employee")


def visible_requests(user: Any) -> QuerySet[AbsenceRequest]:
    """Owner, approvers in scope, Tim IT and Inovator (read-only)."""
    if sees_everything(user):
        return AbsenceRequest.objects.all()
    return AbsenceRequest.objects.filter(Q(employee__user_id=user.pk) | approver_q(user))


def get_request_for_user_or_404(user: Any, pk: Any) -> AbsenceRequest:
    """A request the user may see (owner, approvers in scope, Tim IT, Inovator), or 404."""
    queryset = visible_requests(user).select_related("type", "employee")
    return get_for_user_or_404(queryset, pk, what="request")


def get_request_rw_for_user_or_404(user: Any, pk: Any) -> AbsenceRequest:
    """A request the user may decide: 403 for a read-only role, 404 outside their approvals."""
    return get_rw_for_user_or_404(user, decidable_requests(user), pk, what="request")


DESK_ONLY = gettext_noop("Hanya operator unit dan Tim IT yang menangani klarifikasi.")


def visible_cases(user: Any) -> QuerySet[Clarification]:
    """The cases ``user`` sees: their own, and those of the desk's scope (operators their
    units, Tim IT and the Inovator all). A supervisor sees only their own: clarification is
    the operators' work (DESIGN §1), the Atasan decides requests."""
    cases = Clarification.objects.select_related("employee", "employee__unit")
    if sees_everything(user):
        return cases
    if reads_clarifications(user):  # an operator's units (employee_q holds their own too)
        return cases.filter(employee_q(user, "employee__"))
    return cases.filter(employee__user_id=user.pk)


def get_case_for_user_or_404(user: Any, pk: Any) -> Clarification:
    """A clarification case the user may see (:func:`visible_cases`), else 404."""
    return get_for_user_or_404(visible_cases(user), pk, what="case")


def get_case_rw_for_user_or_404(user: Any, pk: Any) -> Clarification:
    """A case the user is about to work at the desk (contact, outcome): 403 ``forbidden``
    (a :class:`DomainError`) unless an operator or Tim IT who may write, then 404 outside
    their scope and for their own case (like approving one's own request)."""
    if not can_review_punches(user):
        raise DomainError("forbidden", _(DESK_ONLY), status=403)
    cases = clarification_cases(user).exclude(employee__user_id=user.pk)
    return get_for_user_or_404(cases, pk, what="case")


def get_own_case_rw_for_user_or_404(user: Any, pk: Any) -> Clarification:
    """The user's own case, to answer: 403 for a read-only role, else 404 for any other."""
    own = Clarification.objects.filter(employee__user_id=user.pk).select_related("employee__unit")
    return get_rw_for_user_or_404(user, own, pk, what="case")


def request_json(request: AbsenceRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "type": request.type.code,
        "type_name": request.type.name,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "part_of_day": request.part_of_day,
        "time": request.time.isoformat(timespec="minutes") if request.time else None,
        "reason": request.reason,
        "status": request.status,
        "note": request.note,
        "has_attachment": bool(request.attachment),
        "location": (
            {
                "latitude": request.latitude,
                "longitude": request.longitude,
                "radius_m": request.radius_m,
            }
            if request.latitude is not None
            else None
        ),
        "created_at": request.created_at.isoformat(),
    }


def approved_areas(employee_id: int, day: date) -> tuple[geofence.Area, ...]:
    """The locations of approved dinas luar / WFH requests covering ``day``, as geofence areas.

    Their ids are the negated request ids so they never collide with a WorkLocation's.
    """
    rows = AbsenceRequest.objects.filter(
        employee_id=employee_id,
        status=AbsenceRequest.Status.APPROVED,
        type__code__in=("DL", "WFH"),
        start_date__lte=day,
        end_date__gte=day,
        latitude__isnull=False,
        longitude__isnull=False,
        radius_m__isnull=False,
    ).values_list("pk", "type__name", "latitude", "longitude", "radius_m")
    return tuple(
        geofence.Area(id=-pk, name=name, centre=geofence.Point(lat, lon), radius_m=float(radius))  # type: ignore[arg-type]
        for pk, name, lat, lon, radius in rows
    )


def locked_request_ids(requests: list[AbsenceRequest]) -> set[int]:
    """Which of ``requests`` cover a verified (locked) day: approving them needs a note."""
    # attendance imports absences at module level: a top-level import would be circular
    from govem.attendance.models import DayRecord

    if not requests:
        return set()
    locked = set(
        DayRecord.objects.filter(
            locked=True,
            employee_id__in={item.employee_id for item in requests},
            date__gte=min(item.start_date for item in requests),
            date__lte=max(item.end_date for item in requests),
        ).values_list("employee_id", "date")
    )
    return {
        item.pk
        for item in requests
        if any(
            employee_id == item.employee_id and item.start_date <= day <= item.end_date
            for employee_id, day in locked
        )
    }


def locked_case_ids(cases: list[Clarification]) -> set[int]:
    """Which cases are on a verified (locked) day: an excusing outcome needs notes."""
    # attendance imports absences at module level: a top-level import would be circular
    from govem.attendance.models import DayRecord

    wanted = {(case.employee_id, case.date): case.pk for case in cases}
    if not wanted:
        return set()
    locked = DayRecord.objects.filter(
        locked=True,
        employee_id__in={employee_id for employee_id, _ in wanted},
        date__in={day for _, day in wanted},
    ).values_list("employee_id", "date")
    return {wanted[key] for key in locked if key in wanted}


def reads_clarifications(user: Any) -> bool:
    """May list others' clarification cases: operators (their units), Tim IT, Inovator."""
    return sees_everything(user) or OPERATOR in role_names(user)


def clarification_cases(user: Any) -> QuerySet[Clarification]:
    """The cases ``user`` sees at the desk (read): none for a plain employee or supervisor."""
    if not reads_clarifications(user):
        return Clarification.objects.none()
    cases = Clarification.objects.select_related("employee", "employee__unit")
    return cases if sees_everything(user) else cases.filter(employee_q(user, "employee__"))


def case_json(case: Clarification, *, desk: bool = False) -> dict[str, Any]:
    """A case for the API; ``desk`` adds who it is about and the operator's log and notes."""
    body: dict[str, Any] = {
        "id": case.pk,
        "date": case.date.isoformat(),
        "kind": case.kind,
        "kind_name": case.get_kind_display(),
        "status": case.status,
        "outcome": case.outcome or None,
        "outcome_name": case.get_outcome_display() if case.outcome else None,
        "answer": case.answer,
        "has_answer_attachment": bool(case.answer_attachment),
        "request_id": case.request_id,
        "created_at": case.created_at.isoformat(),
    }
    if desk:
        employee, unit = case.employee, case.employee.unit
        body["employee"] = {
            "id": employee.pk,
            "name": employee.name,
            "nip": employee.identifier,
            "phone": employee.phone,
            "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        }
        body["notes"] = case.notes
        body["contact_log"] = list(case.contact_log or [])
    return body
