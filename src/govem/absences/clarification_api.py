"""API v1: clarification cases — the employee answers in the app, operators work the cases.

Scoping as on the web desk: an operator sees and works the cases of their units, Tim IT all;
the Inovator reads all and writes none (403); a case outside the caller's scope is 404.
Nobody works their own case (like approving one's own request).
"""

from __future__ import annotations

import enum
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from govem.absences.clarifications import (
    OPERATOR_OUTCOMES,
    answer_case,
    log_contact,
    record_outcome,
)
from govem.absences.models import Clarification
from govem.absences.queries import (
    case_json,
    clarification_cases,
    get_case_rw_for_user_or_404,
    get_own_case_rw_for_user_or_404,
    reads_clarifications,
)
from govem.accounts.access import api_access, api_employee, get_unit_for_user_or_404
from govem.people.models import Employee
from govem.schemas import MAX_ID, TEXT_PATTERN, ApiDate, ErrorOut

router = Router(tags=["klarifikasi"])

LIMIT = 500


# The outcomes an operator records (not "resolved": that one closes a case by itself).
OperatorOutcome = enum.Enum(  # type: ignore[misc]
    "OperatorOutcome", {value: value for value, _label in OPERATOR_OUTCOMES}, type=str
)


class CaseFilter(Schema):
    day: ApiDate | None = Field(None, alias="date")
    status: Clarification.Status | None = None
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    mine: bool = False


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=2000, pattern=TEXT_PATTERN)


class ContactIn(Schema):
    channel: Clarification.Channel
    note: str = Field("", max_length=500)


class OutcomeIn(Schema):
    outcome: OperatorOutcome
    contact: str = Field("", max_length=500)
    notes: str = Field("", max_length=1000)


def _own_cases(employee: Employee) -> QuerySet[Clarification]:
    return Clarification.objects.filter(employee=employee).select_related("employee__unit")


@router.get(
    "/clarifications",
    response={200: list[dict[str, Any]], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Klarifikasi presensi: milik sendiri (pegawai) atau dalam cakupan (operator, Tim IT)",
)
def list_clarifications(request: HttpRequest, filters: Query[CaseFilter]) -> Any:
    desk = reads_clarifications(request.user) and not filters.mine
    if desk:
        cases = clarification_cases(request.user)
        if filters.unit is not None:
            unit = get_unit_for_user_or_404(request.user, filters.unit)
            cases = cases.filter(employee__unit__path__startswith=unit.path)
        if filters.status:
            cases = cases.filter(status=filters.status)
    else:
        cases = _own_cases(api_employee(request)).filter(
            status=filters.status or Clarification.Status.OPEN
        )
    if filters.day is not None:
        cases = cases.filter(date=filters.day)
    rows = cases.order_by("-date", "employee__name", "pk")[:LIMIT]
    return Status(200, [case_json(case, desk=desk) for case in rows])


@router.post(
    "/clarifications/{case_id}/answer",
    response={200: dict[str, Any], **{code: ErrorOut for code in (403, 404, 409, 413, 422)}},
    summary="Jawab klarifikasi sendiri (multipart: answer, lampiran PDF/JPEG/PNG opsional)",
)
@api_access(write=True)
def answer(
    request: HttpRequest,
    employee: Employee,
    payload: Form[AnswerIn],
    case_id: int = Path(..., ge=1, le=MAX_ID),
    attachment: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
    case = get_own_case_rw_for_user_or_404(request.user, case_id)
    case = answer_case(case=case, by=request.user, answer=payload.answer, attachment=attachment)
    return Status(200, case_json(case))


@router.post(
    "/clarifications/{case_id}/contacts",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Operator mencatat upaya kontak (telepon/WhatsApp/lainnya); kasus tetap terbuka",
)
@api_access(employee=False, write=True)
def add_contact(
    request: HttpRequest, payload: ContactIn, case_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    case = get_case_rw_for_user_or_404(request.user, case_id)
    case = log_contact(case=case, by=request.user, channel=payload.channel, note=payload.note)
    return Status(201, case_json(case, desk=True))


@router.post(
    "/clarifications/{case_id}/outcome",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Operator mencatat hasil klarifikasi dan menutup kasus (S/DL/AT disetujui otomatis)",
)
@api_access(employee=False, write=True)
def outcome(
    request: HttpRequest, payload: OutcomeIn, case_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    case = get_case_rw_for_user_or_404(request.user, case_id)
    case = record_outcome(
        case=case,
        outcome=payload.outcome.value,
        contact=payload.contact,
        notes=payload.notes,
        by=request.user,
    )
    return Status(200, case_json(case, desk=True))
