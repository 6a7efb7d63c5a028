"""Reads for the employee page and the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from govem.attendance.models import Punch
from govem.people.models import Employee, WorkLocation
from govem.people.queries import employee_json
from govem.rules.schedule import zone_label
from govem.schedules.queries import day_plan_for


def employee_zone(employee: Employee) -> str:
    """The zone of the employee's first allowed location (their office), else the server's."""
    location = employee.allowed_locations().order_by("id").first()
    return location.time_zone if location else settings.TIME_ZONE


def local_today(employee: Employee) -> tuple[date, str]:
    zone = employee_zone(employee)
    return timezone.now().astimezone(ZoneInfo(zone)).date(), zone


def location_json(location: WorkLocation) -> dict[str, Any]:
    return {
        "id": location.pk,
        "name": location.name,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "radius_m": location.radius_m,
        "polygon": location.polygon,
        "time_zone": location.time_zone,
    }


def punch_json(punch: Punch) -> dict[str, Any]:
    zone = ZoneInfo(punch.time_zone)
    return {
        "id": punch.pk,
        "kind": punch.kind,
        "verdict": punch.verdict,
        "flags": punch.flags,
        "reason_code": punch.reason_code or None,
        "server_time": punch.server_time.astimezone(zone).isoformat(),
        "local_date": punch.local_date.isoformat(),
        "location": {"id": punch.location_id, "name": punch.location.name}
        if punch.location
        else None,
        "distance_m": round(punch.distance_m, 1) if punch.distance_m is not None else None,
        "accuracy_m": punch.accuracy_m,
        "receipt": punch.receipt or None,
        "source": punch.source,
    }


def punches_between(employee: Employee, start: date, end: date) -> list[Punch]:
    return list(
        Punch.objects.filter(employee=employee, local_date__gte=start, local_date__lte=end)
        .select_related("location")
        .order_by("-server_time", "-id")
    )


def today_json(employee: Employee) -> dict[str, Any]:
    today, zone = local_today(employee)
    plan = day_plan_for(employee, today, zone)
    schedule = plan.schedule
    punches = punches_between(employee, today, today)

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "date": today.isoformat(),
        "time_zone": zone,
        "zone_label": zone_label(zone),
        "workday": schedule is not None,
        "schedule": plan.schedule_source or None,
        "day_off_code": plan.day_off_code,
        "day_off_reason": plan.day_off_reason or None,
        "start": iso(schedule.start) if schedule else None,
        "end": iso(schedule.end) if schedule else None,
        "check_in_opens": iso(schedule.check_in_opens) if schedule else None,
        "check_out_closes": iso(schedule.check_out_closes) if schedule else None,
        "punches": [punch_json(p) for p in punches],
    }


def me_json(employee: Employee) -> dict[str, Any]:
    unit = employee.unit
    return {
        "employee": employee_json(employee),
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        "locations": [location_json(loc) for loc in employee.allowed_locations().order_by("id")],
        "today": today_json(employee),
    }
