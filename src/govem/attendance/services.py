"""The check-in / check-out use case: one service for the web page, the API and scripts."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from govem.attendance.days import recompute_day as recompute_day
from govem.attendance.models import Punch
from govem.attendance.reviews import review_punch as review_punch
from govem.errors import DomainError
from govem.people.models import Employee, WorkLocation
from govem.people.services import bind_device
from govem.rules import geofence
from govem.rules.schedule import (
    DaySchedule,
    PunchKind,
    early_minutes,
    late_minutes,
    window_refusal,
    zone_label,
)
from govem.schedules.queries import attribute_punch


@dataclass(frozen=True)
class PunchAttempt:
    """What the client sent, plus the request's evidence. Values are already type-checked."""

    kind: PunchKind
    latitude: float
    longitude: float
    accuracy_m: float
    client_time: datetime | None
    idempotency_key: str
    device_id: str
    source: str
    mock_location: bool = False
    ip: str | None = None
    user_agent: str = ""


@dataclass(frozen=True)
class PunchOutcome:
    """HTTP-ready result: 201 with the receipt body, or a refusal in the error shape."""

    status: int
    body: dict[str, Any]
    punch: Punch
    replayed: bool = False
    flags: list[str] = field(default_factory=list)


def _areas(locations: list[WorkLocation]) -> tuple[geofence.Area, ...]:
    return tuple(
        geofence.Area(
            id=location.pk,
            name=location.name,
            centre=geofence.Point(location.latitude, location.longitude),
            radius_m=float(location.radius_m),
            polygon=tuple(geofence.Point(float(p[0]), float(p[1])) for p in location.polygon or ()),
        )
        for location in locations
    )


def _policy() -> geofence.Policy:
    return geofence.Policy(
        accuracy_cap_m=settings.GOVEM["ACCURACY_CAP_M"],
        accuracy_max_m=settings.GOVEM["ACCURACY_MAX_M"],
    )


def receipt_code(punch: Punch) -> str:
    """A short code the employee can quote; derived with the server's secret, so unforgeable."""
    message = f"{punch.pk}|{punch.employee_id}|{punch.kind}|{punch.server_time.isoformat()}"
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:10]
    return f"GVM-{text[:5]}-{text[5:]}"


def _hm(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def _refusal(
    *,
    attempt: PunchAttempt,
    geo: geofence.GeofenceResult,
    schedule: DaySchedule | None,
    zone: ZoneInfo,
    zone_name: str,
    now: datetime,
    first_in: Punch | None,
    device_error: DomainError | None,
) -> DomainError | None:
    if device_error is not None:
        return device_error
    if attempt.mock_location and settings.GOVEM["MOCK_LOCATION_POLICY"] == "reject":
        return DomainError(
            "mock_location",
            "Terdeteksi lokasi palsu (mock location). "
            "Matikan aplikasi pemalsu lokasi, lalu coba lagi.",
        )
    nearest = {"id": geo.area.id, "name": geo.area.name} if geo.area else None
    if geo.code == "accuracy_too_low":
        limit = settings.GOVEM["ACCURACY_MAX_M"]
        return DomainError(
            "accuracy_too_low",
            f"Akurasi lokasi terlalu rendah (±{geo.accuracy_m:.0f} m, batas {limit:.0f} m). "
            "Aktifkan GPS dengan mode akurasi tinggi dan coba di tempat terbuka.",
            details={"accuracy_m": geo.accuracy_m, "accuracy_max_m": limit, "location": nearest},
        )
    if geo.code == "no_location":
        return DomainError(
            "no_location",
            "Belum ada lokasi kerja yang diizinkan untuk Anda. Hubungi operator unit Anda.",
        )
    if geo.verdict is geofence.Verdict.REJECTED and geo.area is not None:
        distance = geo.distance_m or 0.0
        radius = geofence.effective_radius_m(geo.area)
        if len(geo.area.polygon) >= 3:
            message = f"Di luar area: {distance:.0f} m dari batas area {geo.area.name}."
        else:
            message = (
                f"Di luar radius: {distance:.0f} m dari {geo.area.name} (radius {radius:.0f} m)."
            )
        return DomainError(
            "outside_geofence",
            message,
            details={
                "distance_m": round(distance, 1),
                "radius_m": radius,
                "accuracy_m": geo.accuracy_m,
                "location": nearest,
            },
        )
    if schedule is not None and window_refusal(schedule, attempt.kind, now):
        label = zone_label(zone_name)
        if attempt.kind is PunchKind.IN and now < schedule.check_in_opens:
            opens = _hm(schedule.check_in_opens, zone)
            message = f"Presensi masuk belum dibuka. Dibuka pukul {opens} {label}."
        else:
            message = (
                f"Presensi sudah ditutup pukul {_hm(schedule.check_out_closes, zone)} {label}."
            )
        return DomainError(
            "outside_window",
            message,
            details={
                "check_in_opens": schedule.check_in_opens.isoformat(),
                "check_out_closes": schedule.check_out_closes.isoformat(),
            },
        )
    if attempt.kind is PunchKind.IN and first_in is not None:
        first_local = first_in.server_time.astimezone(zone)
        return DomainError(
            "already_checked_in",
            "Anda sudah presensi masuk hari ini pukul "
            f"{first_local:%H:%M:%S} {zone_label(zone_name)}.",
            status=409,
            details={"first_check_in": first_local.isoformat(), "punch_id": first_in.pk},
        )
    return None


def _flags(
    *, attempt: PunchAttempt, geo: geofence.GeofenceResult, now: datetime, new_device: bool
) -> list[str]:
    flags = list(geo.flags)
    if attempt.client_time is not None:
        skew = abs((attempt.client_time - now).total_seconds())
        if skew > settings.GOVEM["CLOCK_SKEW_S"]:
            flags.append("clock_skew")
    if new_device:
        flags.append("new_device")
    if attempt.mock_location:
        flags.append("mock_location")
    return flags


def _success_body(punch: Punch, schedule: DaySchedule | None, zone: ZoneInfo) -> dict[str, Any]:
    local = punch.server_time.astimezone(zone)
    body: dict[str, Any] = {
        "id": punch.pk,
        "kind": punch.kind,
        "verdict": punch.verdict,
        "flags": punch.flags,
        "server_time": local.isoformat(),
        "local_time": local.strftime("%H:%M:%S"),
        "local_date": punch.local_date.isoformat(),
        "time_zone": punch.time_zone,
        "location": {"id": punch.location.pk, "name": punch.location.name}
        if punch.location
        else None,
        "distance_m": round(punch.distance_m, 1) if punch.distance_m is not None else None,
        "accuracy_m": punch.accuracy_m,
        "receipt": punch.receipt,
    }
    if punch.kind == Punch.Kind.IN:
        body["late_minutes"] = late_minutes(schedule, punch.server_time) if schedule else None
    else:
        body["early_minutes"] = early_minutes(schedule, punch.server_time) if schedule else None
    return body


def record_punch(*, employee: Employee, attempt: PunchAttempt) -> PunchOutcome:
    """Judge and store one check-in/out attempt; every attempt is stored, refusals too.

    The server clock is the only time that counts. The same ``idempotency_key`` from the
    same employee returns the original outcome and stores nothing new.
    """
    try:
        outcome = _record_punch(employee=employee, attempt=attempt)
    except IntegrityError:
        # A concurrent retry with the same key won the insert: answer with its outcome.
        existing = _replay(employee, attempt)
        if existing is None:
            raise
        outcome = existing
    return _with_day(outcome)


def _with_day(outcome: PunchOutcome) -> PunchOutcome:
    """After the commit: the punch's day recomputed, its summary added to the response."""
    if outcome.status != 201:
        return outcome
    from govem.attendance.days import safe_day_after_punch

    body = {**outcome.body, "day": safe_day_after_punch(outcome.punch)}
    return dataclasses.replace(outcome, body=body)


def _replay(employee: Employee, attempt: PunchAttempt) -> PunchOutcome | None:
    key = attempt.idempotency_key
    if not key:
        return None
    punch = Punch.objects.filter(employee=employee, idempotency_key=key).first()
    if punch is None:
        return None
    if punch.kind != attempt.kind.value:
        # A check-out must never be answered with the check-in's receipt: the phone reused
        # a key (an app bug), and the employee would believe they had checked out.
        error = DomainError(
            "idempotency_key_reused",
            "Kunci idempoten ini sudah dipakai untuk presensi lain. Coba lagi.",
            details={"field": "idempotency_key", "punch_id": punch.pk, "kind": punch.kind},
        )
        return PunchOutcome(error.status, error.as_body(), punch, replayed=True)
    return PunchOutcome(punch.response_status, punch.response_body, punch, replayed=True)


def _record_punch(*, employee: Employee, attempt: PunchAttempt) -> PunchOutcome:
    # Reads that do not depend on earlier punches happen before the write transaction: on
    # SQLite that transaction holds the one writer lock, so it must stay short.
    now = timezone.now()
    locations = list(employee.allowed_locations())
    # Approved dinas luar / WFH locations count as inside the geofence on their dates.
    from govem.absences.queries import approved_areas

    geo = geofence.evaluate(
        geofence.Point(attempt.latitude, attempt.longitude),
        attempt.accuracy_m,
        _areas(locations) + approved_areas(employee.pk, timezone.localdate(now)),
        _policy(),
    )
    location = next((loc for loc in locations if geo.area and loc.pk == geo.area.id), None)
    zone_name = location.time_zone if location else settings.TIME_ZONE
    zone = ZoneInfo(zone_name)
    # A check-out after a night shift belongs to the date the shift started.
    plan = attribute_punch(employee, now, time_zone=zone_name, kind=attempt.kind.value)
    local_date = plan.local_date
    schedule = plan.schedule
    with transaction.atomic():
        # Serialises one employee's punches on PostgreSQL (SQLite's IMMEDIATE does it globally).
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        replay = _replay(employee, attempt)
        if replay is not None:
            return replay

        device = None
        device_error = None
        try:
            device = bind_device(
                employee=employee, device_id=attempt.device_id, label=attempt.user_agent
            )
        except DomainError as error:
            device_error = error
        new_device = bool(
            device is not None
            and not Punch.objects.filter(employee=employee, device=device).exists()
            and Punch.objects.filter(employee=employee)
            .exclude(device=device)
            .exclude(device=None)
            .exists()
        )
        first_in = (
            Punch.objects.filter(employee=employee, local_date=local_date, kind=Punch.Kind.IN)
            .exclude(verdict=Punch.Verdict.REJECTED)
            .order_by("server_time", "id")
            .first()
        )
        refusal = _refusal(
            attempt=attempt,
            geo=geo,
            schedule=schedule,
            zone=zone,
            zone_name=zone_name,
            now=now,
            first_in=first_in,
            device_error=device_error,
        )
        flags = [] if refusal else _flags(attempt=attempt, geo=geo, now=now, new_device=new_device)
        if refusal:
            verdict = Punch.Verdict.REJECTED
        elif flags:
            verdict = Punch.Verdict.FLAGGED
        else:
            verdict = Punch.Verdict.ACCEPTED
        punch = Punch.objects.create(
            employee=employee,
            kind=attempt.kind.value,
            server_time=now,
            local_date=local_date,
            time_zone=zone_name,
            client_time=attempt.client_time,
            latitude=attempt.latitude,
            longitude=attempt.longitude,
            accuracy_m=attempt.accuracy_m,
            distance_m=geo.distance_m,
            location=location,
            verdict=verdict,
            flags=flags,
            reason_code=refusal.code if refusal else "",
            mock_location=attempt.mock_location,
            device=device,
            device_key=attempt.device_id[:128],
            ip=attempt.ip,
            user_agent=attempt.user_agent[:300],
            idempotency_key=attempt.idempotency_key,
            source=attempt.source,
        )
        if refusal:
            refusal.details.setdefault("attempt_id", punch.pk)
            status, body = refusal.status, refusal.as_body()
        else:
            punch.receipt = receipt_code(punch)
            status, body = 201, _success_body(punch, schedule, zone)
        punch.response_status = status
        punch.response_body = body
        punch.save(update_fields=["receipt", "response_status", "response_body"])
    return PunchOutcome(status, body, punch, flags=flags)
