"""API v1: the phone app files absence requests (multipart, optional attachment); the
clarification endpoints (``clarification_api``) hang under the same router."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from govem.absences.balance import annual_leave_balance, balance_json
from govem.absences.clarification_api import router as clarification_router
from govem.absences.models import AbsenceRequest
from govem.absences.queries import (
    decidable_requests,
    get_request_rw_for_user_or_404,
    own_requests,
    request_json,
)
from govem.absences.services import create_request, decide_request
from govem.accounts.access import api_access
from govem.accounts.scoping import can_approve
from govem.dates import FIRST_YEAR, LAST_YEAR
from govem.errors import DomainError
from govem.people.models import Employee
from govem.schemas import MAX_ID, TEXT_PATTERN, ApiDate, ErrorOut

NOT_AN_APPROVER = gettext_noop("Hanya atasan, operator unit dan Tim IT yang memutuskan pengajuan.")

router = Router(tags=["pengajuan"])
router.add_router("/", clarification_router)


class RequestIn(Schema):
    type: str = Field(
        ...,
        pattern=r"^[A-Z0-9]{1,8}$",
        description="kode jenis dari tabel jenis ketidakhadiran (CT, S, I, DL, WFH, …)",
    )
    start_date: ApiDate
    end_date: ApiDate
    reason: str = Field(..., min_length=1, max_length=2000, pattern=TEXT_PATTERN)
    part_of_day: AbsenceRequest.PartOfDay = AbsenceRequest.PartOfDay.FULL_DAY
    time: dt.time | None = None
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    radius_m: int | None = Field(None, ge=10, le=5000)


@router.post(
    "/requests",
    response={201: dict[str, Any], 403: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Ajukan cuti/izin/sakit/DL/WFH (multipart; lampiran PDF/JPEG/PNG opsional)",
)
@api_access(write=True)
def post_request(
    request: HttpRequest,
    employee: Employee,
    payload: Form[RequestIn],
    attachment: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
    created = create_request(
        employee=employee,
        type_code=payload.type,
        start_date=payload.start_date,
        end_date=payload.end_date,
        reason=payload.reason,
        part_of_day=payload.part_of_day,
        at=payload.time,
        attachment=attachment,
        latitude=payload.latitude,
        longitude=payload.longitude,
        radius_m=payload.radius_m,
        by=request.user,
    )
    return Status(201, request_json(created))


@router.get(
    "/requests",
    response={200: list[dict[str, Any]], 403: ErrorOut},
    summary="Pengajuan saya, dengan status dan catatan keputusan",
)
@api_access()
def list_requests(request: HttpRequest) -> Any:
    return Status(200, [request_json(item) for item in own_requests(request.user)[:200]])


class BalanceQuery(Schema):
    year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR)


@router.get(
    "/requests/balance",
    response={200: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    summary="Sisa cuti tahunan saya dengan cara menghitungnya (PP 11/2017 ps. 310–312, 333)",
)
@api_access()
def leave_balance(request: HttpRequest, employee: Employee, query: Query[BalanceQuery]) -> Any:
    year = query.year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise DomainError(
            "invalid_input", _("Tahun harus antara 2000 dan 2100."), details={"field": "year"}
        )
    return Status(200, balance_json(annual_leave_balance(employee, year)))


@router.get(
    "/requests/pending",
    response={200: list[dict[str, Any]], 403: ErrorOut},
    summary="Pengajuan menunggu keputusan yang boleh saya putuskan (atasan, operator, Tim IT)",
)
@api_access(employee=False, write=True)
def pending_requests(request: HttpRequest) -> Any:
    # The caller's approval queue, as the web page's: a supervisor their subordinates', an
    # operator their units', Tim IT (with or without an employee record) everyone's but their
    # own. Someone who decides nothing is refused (403), as the page refuses them.
    if not can_approve(request.user):
        raise DomainError("forbidden", _(NOT_AN_APPROVER), status=403)
    pending = decidable_requests(request.user).filter(status=AbsenceRequest.Status.PENDING)
    return Status(200, [request_json(item) for item in pending.order_by("start_date")[:200]])


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=2000)


@router.post(
    "/requests/{request_id}/decision",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Setujui atau tolak pengajuan (decision=approve|reject; catatan wajib untuk menolak "
    "dan untuk hari yang sudah diverifikasi)",
)
@api_access(employee=False, write=True)
def decide(
    request: HttpRequest,
    payload: DecisionIn,
    request_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    if payload.decision not in ("approve", "reject"):
        raise DomainError(
            "invalid_input",
            _("Keputusan harus 'approve' atau 'reject'."),
            details={"field": "decision"},
        )
    note = payload.note.strip()[:2000]
    if payload.decision == "reject" and not note:
        raise DomainError(
            "invalid_input", _("Alasan penolakan wajib diisi."), details={"field": "note"}
        )
    item = get_request_rw_for_user_or_404(request.user, request_id)
    decided = decide_request(
        request=item, approve=payload.decision == "approve", by=request.user, note=note
    )
    return Status(200, request_json(decided))
