"""Words that make a message read as written by a person: the greeting of the hour at the
employee's place, and links that open from a phone (absolute, on ``GOVEM_SITE_URL``)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def greeting(moment: datetime, zone: tzinfo | None = None) -> str:
    """ "Selamat pagi/siang/sore/malam" for the local hour of ``moment`` in ``zone``."""
    hour = moment.astimezone(zone or ZoneInfo(settings.TIME_ZONE)).hour
    if 4 <= hour < 11:
        return "Selamat pagi"
    if 11 <= hour < 15:
        return "Selamat siang"
    if 15 <= hour < 18:
        return "Selamat sore"
    return "Selamat malam"


def employee_zone(employee: Any) -> tzinfo:
    """The time zone of the employee's work location (the regency's when none is set)."""
    location = employee.allowed_locations().only("time_zone").first()
    return ZoneInfo(location.time_zone if location else settings.TIME_ZONE)


def greeting_for(employee: Any, moment: datetime | None = None) -> str:
    return greeting(moment or timezone.now(), employee_zone(employee))


def absolute_url(path: str) -> str:
    """``/klarifikasi/saya/`` → ``https://presensi.…/klarifikasi/saya/``; absolute URLs stay."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL + ("" if path.startswith("/") else "/") + path
