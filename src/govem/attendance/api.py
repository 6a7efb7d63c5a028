from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime, field_validator

from govem.accounts.access import api_access
from govem.accounts.ip import client_ip
from govem.attendance.queries import me_json, punch_json, punches_between
from govem.attendance.services import PunchAttempt, known_from, record_punch
from govem.errors import DomainError
from govem.people.models import Employee
from govem.rules.schedule import PunchKind
from govem.schemas import ApiDate, ErrorOut

router = Router(tags=["presensi"])


class PunchIn(Schema):
    kind: Literal["in", "out"]
    latitude: float = Field(..., ge=-90, le=90, allow_inf_nan=False, strict=True)
    longitude: float = Field(..., ge=-180, le=180, allow_inf_nan=False, strict=True)
    accuracy_m: float = Field(..., ge=0, le=100_000, allow_inf_nan=False, strict=True)
    client_time: AwareDatetime
    idempotency_key: str = Field(..., min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-:.]+$")
    mock_location: bool = Field(False, strict=True)

    @field_validator("client_time", mode="before")
    @classmethod
    def _iso_text(cls, value: Any) -> Any:
        # The contract is ISO 8601 with offset; a bare number could be seconds or milliseconds.
        if not isinstance(value, str):
            raise ValueError("must be an ISO 8601 date-time string with offset")
        return value

    @field_validator("latitude", "longitude", "accuracy_m")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class PunchOut(Schema):
    id: int
    kind: str
    verdict: str
    flags: list[str]
    server_time: str
    local_time: str
    local_date: str
    time_zone: str
    location: dict[str, Any] | None
    distance_m: float | None
    accuracy_m: float | None
    receipt: str
    late_minutes: int | None = None
    early_minutes: int | None = None
    day: dict[str, Any] | None = None


def attempt_from(
    request: HttpRequest, payload: PunchIn, *, device_id: str, source: str
) -> PunchAttempt:
    return PunchAttempt(
        kind=PunchKind(payload.kind),
        latitude=payload.latitude,
        longitude=payload.longitude,
        accuracy_m=payload.accuracy_m,
        client_time=payload.client_time,
        idempotency_key=payload.idempotency_key,
        device_id=device_id,
        source=source,
        mock_location=payload.mock_location,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )


@router.get(
    "/me",
    response={200: dict[str, Any], 403: ErrorOut},
    summary="Data diri, lokasi yang diizinkan dan jadwal hari ini",
)
@api_access()
def me(request: HttpRequest, employee: Employee) -> Any:
    return me_json(employee)


@router.post(
    "/punches",
    response={201: PunchOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Presensi masuk atau pulang",
)
@api_access()
def create_punch(request: HttpRequest, employee: Employee, payload: PunchIn) -> Any:
    token = request.api_token  # type: ignore[attr-defined]
    device_id = token.device.device_id if token.device else ""
    known = known_from(
        employee,
        getattr(token, "cache_generation", None),
        getattr(token, "bound_device_pk", None),
        getattr(token, "bound_device_key", None),
        read=token.device,
    )
    outcome = record_punch(
        employee=employee,
        attempt=attempt_from(request, payload, device_id=device_id, source="api"),
        known=known,
    )
    return Status(outcome.status, outcome.body)


class PunchRange(Schema):
    date_from: ApiDate = Field(..., alias="from")
    date_to: ApiDate = Field(..., alias="to")


@router.get(
    "/punches",
    response={200: list[dict[str, Any]], 403: ErrorOut, 422: ErrorOut},
    summary="Riwayat presensi sendiri",
)
@api_access()
def list_punches(request: HttpRequest, employee: Employee, filters: Query[PunchRange]) -> Any:
    if filters.date_to < filters.date_from:
        raise DomainError(
            "invalid_input", _("Tanggal 'to' sebelum 'from'."), details={"field": "to"}
        )
    if filters.date_to - filters.date_from > timedelta(days=366):
        raise DomainError(
            "invalid_input", _("Rentang paling lama 366 hari."), details={"field": "to"}
        )
    return Status(
        200, [punch_json(p) for p in punches_between(employee, filters.date_from, filters.date_to)]
    )


@router.get("/time", auth=None, summary="Waktu server (untuk jam di aplikasi)")
def server_time(request: HttpRequest) -> Any:
    now = timezone.localtime()
    return {
        "server_time": now.isoformat(),
        "time_zone": str(now.tzinfo),
        "epoch_ms": int(now.timestamp() * 1000),
    }
