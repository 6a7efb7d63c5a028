"""Checking in to an event through the punch path: the server clock, the geodesic geofence
(:mod:`govem.rules.geofence`, same accuracy policy), the punch verdict itself
(:func:`govem.rules.punch.judge` — the same refusals in the same order and the same flags:
borderline position, clock skew, new device, mock location — with the event's window as the
day's window), the device binding (:func:`govem.people.services.bind_device`), the stored
evidence of every attempt (refusals too), idempotent retries and an HMAC receipt; the review
of flagged check-ins; and creating events (operators for their units, Tim IT for all)."""

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
from django.utils.translation import gettext as _

from govem.accounts import audit
from govem.attendance.services import PunchAttempt
from govem.errors import DomainError
from govem.events.models import Event, EventCheckin, EventCheckinReview
from govem.events.queries import HOLDS, is_required
from govem.people.models import Device, Employee, Unit, WorkLocation
from govem.people.services import bind_device
from govem.rules import geofence
from govem.rules.punch import FirstCheckIn, PunchFacts, Refusal, judge, storable_time
from govem.rules.schedule import DaySchedule, PunchKind


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


def as_schedule(event: Event) -> DaySchedule:
    """The event's window as the day's window the punch verdict checks (in: opens → closes)."""
    opens, closes = window(event)
    return DaySchedule(
        local_date=event.date,
        time_zone=event.time_zone,
        start=opens,
        end=closes,
        check_in_opens=opens,
        check_out_closes=closes,
        source=f"acara {event.pk}",
    )


def _binding(employee: Employee, attempt: PunchAttempt) -> tuple[Device | None, Refusal | None]:
    try:
        device = bind_device(
            employee=employee, device_id=attempt.device_id, label=attempt.user_agent
        )
    except DomainError as error:
        return None, Refusal(error.code, error.message, error.status, error.details)
    return device, None


def _new_device(employee: Employee, device: Device | None) -> bool:
    """As for punches: the first attempt on a newly bound phone after using another one."""
    if device is None:
        return False
    used = EventCheckin.objects.filter(employee=employee, device=device).exists()
    other = EventCheckin.objects.filter(employee=employee).exclude(device=device).exists()
    return not used and other


def _as_error(event: Event, refused: Refusal | None) -> DomainError | None:
    """The verdict's refusal, its message naming the event where the punch's names the day."""
    if refused is None:
        return None
    message: str = refused.message
    if refused.code == "outside_window":
        opens = window(event)[0]
        if timezone.now() < opens:
            message = _("Presensi %(event)s belum dibuka. Dibuka pukul %(time)s.") % {
                "event": event.name,
                "time": f"{event.opens_at:%H:%M}",
            }
        else:
            message = _("Presensi %(event)s sudah ditutup pukul %(time)s.") % {
                "event": event.name,
                "time": f"{event.closes_at:%H:%M}",
            }
    elif refused.code == "already_checked_in":
        message = _("Anda sudah presensi untuk %(event)s.") % {"event": event.name}
    return DomainError(refused.code, message, status=refused.status, details=refused.details)


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
        raise DomainError(
            "not_invited", _("Anda tidak termasuk peserta wajib acara ini."), status=403
        )
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
            device, device_refusal = _binding(employee, attempt)
            standing = (
                EventCheckin.objects.filter(HOLDS, event=event, employee=employee)
                .order_by("server_time", "pk")
                .first()
            )
            verdict = judge(
                PunchFacts(
                    kind=PunchKind.IN,
                    at=now,
                    geo=geo,
                    zone_name=event.time_zone,
                    schedule=as_schedule(event),
                    client_time=attempt.client_time,
                    mock_location=attempt.mock_location,
                    mock_policy=settings.GOVEM["MOCK_LOCATION_POLICY"],
                    accuracy_max_m=settings.GOVEM["ACCURACY_MAX_M"],
                    clock_skew_s=settings.GOVEM["CLOCK_SKEW_S"],
                    first_in=None
                    if standing is None
                    else FirstCheckIn(standing.pk, standing.server_time),
                    new_device=_new_device(employee, device),
                    device_refusal=device_refusal,
                )
            )
            refusal = _as_error(event, verdict.refusal)
            flags = list(verdict.flags)
            verdict_code = {
                geofence.Verdict.ACCEPTED: EventCheckin.Verdict.ACCEPTED,
                geofence.Verdict.FLAGGED: EventCheckin.Verdict.FLAGGED,
                geofence.Verdict.REJECTED: EventCheckin.Verdict.REJECTED,
            }[verdict.verdict]
            checkin = EventCheckin.objects.create(
                event=event,
                employee=employee,
                server_time=now,
                client_time=storable_time(attempt.client_time),
                latitude=attempt.latitude,
                longitude=attempt.longitude,
                accuracy_m=attempt.accuracy_m,
                distance_m=geo.distance_m,
                verdict=verdict_code,
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
                        "verdict": verdict_code,
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


REVIEW_DECISIONS = {
    "accept": EventCheckinReview.Decision.ACCEPTED,
    "reject": EventCheckinReview.Decision.REJECTED,
}


def review_checkin(
    *, checkin: EventCheckin, decision: str, reason: str, by: Any
) -> EventCheckinReview:
    """Accept (counts as present: no TAP) or reject (not present: TAP once the window has
    closed; the employee may try again while it is open) a flagged event check-in — once,
    with a reason, audited. Refusals write nothing. ``by`` may decide it (the caller took it
    from :func:`govem.events.queries.get_checkin_rw_for_user_or_404`)."""
    if decision not in REVIEW_DECISIONS:
        raise DomainError(
            "invalid_input",
            _("Keputusan harus 'accept' atau 'reject'."),
            details={"field": "decision"},
        )
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required", _("Alasan keputusan wajib diisi."), details={"field": "reason"}
        )
    if checkin.verdict != EventCheckin.Verdict.FLAGGED:
        raise DomainError(
            "not_flagged", _("Hanya presensi acara yang ditandai yang ditinjau."), status=409
        )
    try:
        with audit.acting_as(by, reason=reason), transaction.atomic():
            review = EventCheckinReview.objects.create(
                checkin=checkin,
                decision=REVIEW_DECISIONS[decision],
                reason=reason[:2000],
                decided_by=by if getattr(by, "pk", None) else None,
                decided_at=timezone.now(),
            )
            audit.record(
                action=audit.Action.REVIEW_EVENT_CHECKIN,
                instance=checkin,
                after={
                    "decision": review.decision,
                    "employee": checkin.employee_id,
                    "event": checkin.event_id,
                    "flags": checkin.flags,
                },
                reason=reason,
            )
    except IntegrityError as exc:
        raise DomainError(
            "already_reviewed", _("Presensi acara ini sudah ditinjau."), status=409
        ) from exc
    return review


def _time(value: str, field: str) -> time:
    try:
        return time.fromisoformat(value.strip())
    except ValueError as exc:
        raise DomainError(
            "invalid_input", _("Jam harus berformat HH:MM."), details={"field": field}
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
    units: list[Unit],
    employees: list[Employee] | None = None,
    mandatory: bool = True,
    note: str = "",
) -> Event:
    """An event for ``units`` (with their sub-units) and/or named ``employees``, at a work
    location or its own circle. ``by`` may create events and ``units`` and ``employees`` are
    in their scope (the page checked, :func:`govem.events.queries.can_manage_events`,
    :func:`govem.accounts.access.get_units_for_user_or_404` and
    :func:`govem.accounts.access.get_employees_by_nip_for_user_or_404`)."""
    employees = list(employees or ())
    if not name.strip():
        raise DomainError("invalid_input", _("Nama acara wajib diisi."), details={"field": "name"})
    if kind not in Event.Kind.values:
        raise DomainError(
            "invalid_input", _("Jenis acara tidak dikenal."), details={"field": "kind"}
        )
    if day is None:
        raise DomainError(
            "invalid_input", _("Tanggal wajib diisi (YYYY-MM-DD)."), details={"field": "date"}
        )
    opens, closes = _time(opens_at, "opens_at"), _time(closes_at, "closes_at")
    if closes <= opens:
        raise DomainError(
            "invalid_input", _("Jam tutup harus sesudah jam buka."), details={"field": "closes_at"}
        )
    if not units and not employees:
        raise DomainError(
            "invalid_input",
            _(
                "Pilih unit wajib hadir atau isi NIP pegawai wajib hadir (hanya dalam "
                "cakupan Anda)."
            ),
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
                "invalid_input", _("Lokasi kerja tidak dikenal."), details={"field": "location"}
            )
    else:
        try:
            lat, lon, radius = float(latitude), float(longitude), int(radius_m)
        except ValueError as exc:
            raise DomainError(
                "invalid_input",
                _("Pilih lokasi kerja, atau isi lintang, bujur dan radius tempat acara."),
                details={"field": "latitude"},
            ) from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 10 <= radius <= 5000):
            raise DomainError(
                "invalid_input",
                _("Lintang −90..90, bujur −180..180, radius 10–5000 m."),
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
        event.employees.set(employees)
    return event
