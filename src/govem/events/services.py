"""Checking in to an event through the punch path's pieces: the server clock, the geodesic
geofence verdict (:mod:`govem.rules.geofence`, same accuracy policy), the device binding
(:func:`govem.people.services.bind_device`), the stored evidence of every attempt (refusals
too), idempotent retries and an HMAC receipt — and creating events (operators for their
units, Tim IT for all)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from govem.accounts import audit
from govem.accounts.roles import OPERATOR, role_names
from govem.accounts.scoping import can_write, is_it, visible_units
from govem.attendance.services import PunchAttempt
from govem.errors import DomainError
from govem.events.models import Event, EventCheckin
from govem.events.queries import is_required
from govem.people.models import Employee, WorkLocation
from govem.people.services import bind_device
from govem.rules import geofence


def area_of(event: Event) -> geofence.Area:
    if event.location_id:
        location = event.location
        assert location is not None
        return geofence.Area(
            id=location.pk,
            name=event.place,
            centre=geofence.Point(location.latitude, location.longitude),
            radius_m=float(location.radius_m),
            polygon=tuple(geofence.Point(float(p[0]), float(p[1])) for p in location.polygon or ()),
        )
    return geofence.Area(
        id=-event.pk,
        name=event.place,
        centre=geofence.Point(float(event.latitude or 0), float(event.longitude or 0)),
        radius_m=float(event.radius_m or 0),
    )


def window(event: Event) -> tuple[datetime, datetime]:
    zone = ZoneInfo(event.time_zone)
    return (
        datetime.combine(event.date, event.opens_at, tzinfo=zone),
        datetime.combine(event.date, event.closes_at, tzinfo=zone),
    )


def receipt_code(checkin: EventCheckin) -> str:
    """Like a punch's receipt: derived with the server's secret, so unforgeable."""
    message = f"event|{checkin.pk}|{checkin.employee_id}|{checkin.event_id}|"
    message += checkin.server_time.isoformat()
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:10]
    return f"GVA-{text[:5]}-{text[5:]}"


def _refusal(
    event: Event, attempt: PunchAttempt, geo: geofence.GeofenceResult, now: datetime, done: bool
) -> DomainError | None:
    if attempt.mock_location and settings.GOVEM["MOCK_LOCATION_POLICY"] == "reject":
        return DomainError(
            "mock_location",
            "Terdeteksi lokasi palsu (mock location). Matikan aplikasi pemalsu lokasi.",
        )
    opens, closes = window(event)
    if now < opens:
        return DomainError(
            "outside_window",
            f"Presensi {event.name} belum dibuka. Dibuka pukul {event.opens_at:%H:%M}.",
            details={"opens_at": opens.isoformat(), "closes_at": closes.isoformat()},
        )
    if now > closes:
        return DomainError(
            "outside_window",
            f"Presensi {event.name} sudah ditutup pukul {event.closes_at:%H:%M}.",
            details={"opens_at": opens.isoformat(), "closes_at": closes.isoformat()},
        )
    if geo.code == "accuracy_too_low":
        limit = settings.GOVEM["ACCURACY_MAX_M"]
        return DomainError(
            "accuracy_too_low",
            f"Akurasi lokasi terlalu rendah (±{geo.accuracy_m:.0f} m, batas {limit:.0f} m). "
            "Aktifkan GPS dengan mode akurasi tinggi dan coba di tempat terbuka.",
            details={"accuracy_m": geo.accuracy_m, "accuracy_max_m": limit},
        )
    if geo.verdict is geofence.Verdict.REJECTED:
        distance = geo.distance_m or 0.0
        return DomainError(
            "outside_geofence",
            f"Di luar radius: {distance:.0f} m dari {event.place} "
            f"(radius {geofence.effective_radius_m(area_of(event)):.0f} m).",
            details={"distance_m": round(distance, 1), "accuracy_m": geo.accuracy_m},
        )
    if done:
        return DomainError(
            "already_checked_in",
            f"Anda sudah presensi untuk {event.name}.",
            status=409,
        )
    return None


def _replay(employee: Employee, key: str) -> EventCheckin | None:
    if not key:
        return None
    return EventCheckin.objects.filter(employee=employee, idempotency_key=key).first()


def check_in(
    *, event: Event, employee: Employee, attempt: PunchAttempt
) -> tuple[int, dict[str, Any]]:
    """Judge and store one attempt; (HTTP status, body). Not required to attend: 403, nothing
    stored (the event is not theirs)."""
    if not is_required(event, employee):
        raise DomainError("not_invited", "Anda tidak termasuk peserta wajib acara ini.", status=403)
    previous = _replay(employee, attempt.idempotency_key)
    if previous is not None:
        return previous.response_status, previous.response_body
    now = timezone.now()
    geo = geofence.evaluate(
        geofence.Point(attempt.latitude, attempt.longitude),
        attempt.accuracy_m,
        (area_of(event),),
        geofence.Policy(
            accuracy_cap_m=settings.GOVEM["ACCURACY_CAP_M"],
            accuracy_max_m=settings.GOVEM["ACCURACY_MAX_M"],
        ),
    )
    try:
        with transaction.atomic():
            Employee.objects.select_for_update().filter(pk=employee.pk).first()
            device, device_error = None, None
            try:
                device = bind_device(
                    employee=employee, device_id=attempt.device_id, label=attempt.user_agent
                )
            except DomainError as error:
                device_error = error
            done = (
                EventCheckin.objects.filter(event=event, employee=employee)
                .exclude(verdict=EventCheckin.Verdict.REJECTED)
                .exists()
            )
            refusal = device_error or _refusal(event, attempt, geo, now, done)
            flags = [] if refusal else list(geo.flags)
            if attempt.mock_location and not refusal:
                flags.append("mock_location")
            verdict = (
                EventCheckin.Verdict.REJECTED
                if refusal
                else EventCheckin.Verdict.FLAGGED
                if flags
                else EventCheckin.Verdict.ACCEPTED
            )
            checkin = EventCheckin.objects.create(
                event=event,
                employee=employee,
                server_time=now,
                client_time=attempt.client_time,
                latitude=attempt.latitude,
                longitude=attempt.longitude,
                accuracy_m=attempt.accuracy_m,
                distance_m=geo.distance_m,
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
                refusal.details.setdefault("attempt_id", checkin.pk)
                status, body = refusal.status, refusal.as_body()
            else:
                checkin.receipt = receipt_code(checkin)
                local = now.astimezone(ZoneInfo(event.time_zone))
                status, body = (
                    201,
                    {
                        "id": checkin.pk,
                        "event": {"id": event.pk, "name": event.name, "place": event.place},
                        "verdict": verdict,
                        "flags": flags,
                        "server_time": local.isoformat(),
                        "local_time": local.strftime("%H:%M:%S"),
                        "distance_m": None if geo.distance_m is None else round(geo.distance_m, 1),
                        "accuracy_m": attempt.accuracy_m,
                        "receipt": checkin.receipt,
                    },
                )
            checkin.response_status, checkin.response_body = status, body
            checkin.save(update_fields=["receipt", "response_status", "response_body"])
    except IntegrityError:
        previous = _replay(employee, attempt.idempotency_key)
        if previous is None:
            raise
        return previous.response_status, previous.response_body
    return status, body


def can_manage_events(user: Any) -> bool:
    return can_write(user) and (is_it(user) or OPERATOR in role_names(user))


def _time(value: str, field: str) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError as exc:
        raise DomainError(
            "invalid_input", "Jam harus berformat HH:MM.", details={"field": field}
        ) from exc


def create_event(
    *,
    by: Any,
    name: str,
    kind: str,
    day: date | None,
    opens_at: str,
    closes_at: str,
    location_id: str = "",
    latitude: str = "",
    longitude: str = "",
    radius_m: str = "",
    place_name: str = "",
    unit_ids: list[str] | None = None,
    mandatory: bool = True,
    note: str = "",
) -> Event:
    """An event for units in the caller's scope, at a work location or its own circle."""
    if not can_manage_events(by):
        raise DomainError(
            "forbidden", "Hanya operator dan Tim IT yang dapat membuat acara.", status=403
        )
    if not name.strip():
        raise DomainError("invalid_input", "Nama acara wajib diisi.", details={"field": "name"})
    if kind not in Event.Kind.values:
        raise DomainError("invalid_input", "Jenis acara tidak dikenal.", details={"field": "kind"})
    if day is None:
        raise DomainError(
            "invalid_input", "Tanggal wajib diisi (YYYY-MM-DD).", details={"field": "date"}
        )
    opens, closes = _time(opens_at, "opens_at"), _time(closes_at, "closes_at")
    if closes <= opens:
        raise DomainError(
            "invalid_input", "Jam tutup harus sesudah jam buka.", details={"field": "closes_at"}
        )
    units = list(visible_units(by).filter(pk__in=[u for u in unit_ids or [] if str(u).isdigit()]))
    if not units or len(units) != len(set(unit_ids or [])):
        raise DomainError(
            "invalid_input",
            "Pilih unit wajib hadir (hanya unit dalam cakupan Anda).",
            details={"field": "units"},
        )
    location = None
    lat = lon = radius = None
    if location_id:
        location = WorkLocation.objects.filter(
            pk=location_id if location_id.isdigit() else 0
        ).first()
        if location is None:
            raise DomainError(
                "invalid_input", "Lokasi kerja tidak dikenal.", details={"field": "location"}
            )
    else:
        try:
            lat, lon, radius = float(latitude), float(longitude), int(radius_m)
        except ValueError as exc:
            raise DomainError(
                "invalid_input",
                "Pilih lokasi kerja, atau isi lintang, bujur dan radius tempat acara.",
                details={"field": "latitude"},
            ) from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 10 <= radius <= 5000):
            raise DomainError(
                "invalid_input",
                "Lintang −90..90, bujur −180..180, radius 10–5000 m.",
                details={"field": "latitude"},
            )
    with audit.acting_as(by, reason="acara dibuat"), transaction.atomic():
        event = Event.objects.create(
            name=name.strip()[:200],
            kind=kind,
            date=day,
            opens_at=opens,
            closes_at=closes,
            location=location,
            latitude=lat,
            longitude=lon,
            radius_m=radius,
            place_name=place_name.strip()[:200],
            mandatory=mandatory,
            note=note,
            created_by=by,
        )
        event.units.set(units)
    return event
