"""The punch verdict: accept, flag or refuse one check-in/out attempt (DESIGN §3).

The service gathers the facts (the geofence result over the allowed areas, the day's
schedule, the first check-in already stored, the device binding, the new-device fact, the
policy) and this function decides; it stores nothing and asks nothing.

Order of refusals (the first that applies wins): the device binding, a mock location under
the ``reject`` policy, a too-inaccurate position, no allowed location, outside the geofence,
outside the day's window, a second check-in. Without a refusal the flags decide between
``accepted`` and ``flagged``: the geofence's borderline flag, a clock skewed beyond the
limit, a new device, a mock location under the ``flag`` policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from govem.rules import geofence
from govem.rules.schedule import DaySchedule, PunchKind, window_refusal, zone_label
from govem.rules.texts import Text, gettext_noop


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an attempt is refused: a stable code, the Indonesian message (a
    :class:`~govem.rules.texts.Text` when built here, so a page can say it in English), HTTP
    status."""

    code: str
    message: str
    status: int = 422
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FirstCheckIn:
    """The day's first stored check-in that was not rejected."""

    punch_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class PunchFacts:
    kind: PunchKind
    at: datetime  # the server's clock: the only time that counts
    geo: geofence.GeofenceResult
    zone_name: str
    schedule: DaySchedule | None = None
    client_time: datetime | None = None
    mock_location: bool = False
    mock_policy: str = "reject"  # or "flag"
    accuracy_max_m: float = 100.0
    clock_skew_s: float = 300.0
    first_in: FirstCheckIn | None = None
    new_device: bool = False
    device_refusal: Refusal | None = None  # the binding refused (another phone is bound)


@dataclass(frozen=True, slots=True)
class PunchVerdict:
    verdict: geofence.Verdict
    flags: tuple[str, ...]
    refusal: Refusal | None

    @property
    def counts(self) -> bool:
        """Whether the punch counts for its day now (a flagged one only once accepted)."""
        return self.verdict is geofence.Verdict.ACCEPTED


def _hm(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


# The offsets clocks use: UTC-12:00 to UTC+14:00 (PostgreSQL refuses beyond ±15:59).
MAX_OFFSET = timedelta(hours=14)


def storable_time(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC when it is a real clock's reading: an offset within ±14:00 and an
    instant within years 1–9999 (both databases keep UTC and must read it back); else
    ``None`` — 9999-12-31T23:59:59-14:00 is past the end, +22:30 is no time zone."""
    if moment is None:
        return None
    offset = moment.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        return None
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


def client_time_refusal(moment: datetime | None) -> Refusal | None:
    """The refusal for a device clock no instant can hold (the attempt is still stored)."""
    if moment is None or storable_time(moment) is not None:
        return None
    return Refusal(
        "invalid_client_time",
        Text(
            gettext_noop(
                "Waktu perangkat tidak masuk akal. Periksa tanggal dan jam di ponsel Anda "
                "(atur otomatis dari jaringan), lalu coba lagi."
            )
        ),
        details={"field": "client_time", "client_time": moment.isoformat()},
    )


def refusal(facts: PunchFacts) -> Refusal | None:
    """The first refusal that applies, or ``None``."""
    unreadable_clock = client_time_refusal(facts.client_time)
    if unreadable_clock is not None:
        return unreadable_clock
    if facts.device_refusal is not None:
        return facts.device_refusal
    if facts.mock_location and facts.mock_policy == "reject":
        return Refusal(
            "mock_location",
            Text(
                gettext_noop(
                    "Terdeteksi lokasi palsu (mock location). "
                    "Matikan aplikasi pemalsu lokasi, lalu coba lagi."
                )
            ),
        )
    geo = facts.geo
    nearest = {"id": geo.area.id, "name": geo.area.name} if geo.area else None
    if geo.code == "accuracy_too_low":
        limit = facts.accuracy_max_m
        return Refusal(
            "accuracy_too_low",
            Text(
                gettext_noop(
                    "Akurasi lokasi terlalu rendah (±%(accuracy)s m, batas %(limit)s m). "
                    "Aktifkan GPS dengan mode akurasi tinggi dan coba di tempat terbuka."
                ),
                accuracy=f"{geo.accuracy_m:.0f}",
                limit=f"{limit:.0f}",
            ),
            details={"accuracy_m": geo.accuracy_m, "accuracy_max_m": limit, "location": nearest},
        )
    if geo.code == "no_location":
        return Refusal(
            "no_location",
            Text(
                gettext_noop(
                    "Belum ada lokasi kerja yang diizinkan untuk Anda. Hubungi operator unit Anda."
                )
            ),
        )
    if geo.verdict is geofence.Verdict.REJECTED and geo.area is not None:
        distance = geo.distance_m or 0.0
        radius = geofence.effective_radius_m(geo.area)
        if len(geo.area.polygon) >= 3:
            message = Text(
                gettext_noop("Di luar area: %(distance)s m dari batas area %(place)s."),
                distance=f"{distance:.0f}",
                place=geo.area.name,
            )
        else:
            message = Text(
                gettext_noop(
                    "Di luar radius: %(distance)s m dari %(place)s (radius %(radius)s m)."
                ),
                distance=f"{distance:.0f}",
                place=geo.area.name,
                radius=f"{radius:.0f}",
            )
        return Refusal(
            "outside_geofence",
            message,
            details={
                "distance_m": round(distance, 1),
                "radius_m": radius,
                "accuracy_m": geo.accuracy_m,
                "location": nearest,
            },
        )
    schedule = facts.schedule
    zone = ZoneInfo(facts.zone_name)
    if schedule is not None and window_refusal(schedule, facts.kind, facts.at):
        label = zone_label(facts.zone_name)
        if facts.kind is PunchKind.IN and facts.at < schedule.check_in_opens:
            message = Text(
                gettext_noop("Presensi masuk belum dibuka. Dibuka pukul %(time)s %(zone)s."),
                time=_hm(schedule.check_in_opens, zone),
                zone=label,
            )
        else:
            message = Text(
                gettext_noop("Presensi sudah ditutup pukul %(time)s %(zone)s."),
                time=_hm(schedule.check_out_closes, zone),
                zone=label,
            )
        return Refusal(
            "outside_window",
            message,
            details={
                "check_in_opens": schedule.check_in_opens.isoformat(),
                "check_out_closes": schedule.check_out_closes.isoformat(),
            },
        )
    if facts.kind is PunchKind.IN and facts.first_in is not None:
        first_local = facts.first_in.at.astimezone(zone)
        return Refusal(
            "already_checked_in",
            Text(
                gettext_noop("Anda sudah presensi masuk hari ini pukul %(time)s %(zone)s."),
                time=f"{first_local:%H:%M:%S}",
                zone=zone_label(facts.zone_name),
            ),
            status=409,
            details={
                "first_check_in": first_local.isoformat(),
                "punch_id": facts.first_in.punch_id,
            },
        )
    return None


def flags(facts: PunchFacts) -> tuple[str, ...]:
    """Why an accepted attempt still needs a look (empty: nothing unusual)."""
    found = list(facts.geo.flags)
    client_time = storable_time(facts.client_time)
    if client_time is not None:
        skew = abs((client_time - facts.at).total_seconds())
        if skew > facts.clock_skew_s:
            found.append("clock_skew")
    if facts.new_device:
        found.append("new_device")
    if facts.mock_location:
        found.append("mock_location")
    return tuple(found)


def judge(facts: PunchFacts) -> PunchVerdict:
    """Accepted, flagged (counts once a reviewer accepts it) or rejected with the reason."""
    refused = refusal(facts)
    if refused is not None:
        return PunchVerdict(geofence.Verdict.REJECTED, (), refused)
    found = flags(facts)
    if found:
        return PunchVerdict(geofence.Verdict.FLAGGED, found, None)
    return PunchVerdict(geofence.Verdict.ACCEPTED, (), None)
