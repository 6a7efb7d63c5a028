"""Today's apel in chromium: the event (open all day on the live server's real clock) and the
employee's phone at a position."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone

from govem.events.models import Event

PHONE = {"width": 360, "height": 640}


def all_day_apel(regency: Any) -> Event:
    """Today's apel pagi at the unit's office, open all day."""
    event = Event.objects.create(
        name="Apel pagi", kind="apel_pagi", date=timezone.localdate(), opens_at=time(0, 0),
        closes_at=time(23, 59, 59), location=regency.office,
    )  # fmt: skip
    event.units.add(regency.unit)
    return event


def phone_at(
    chromium: Any, live_server: Any, *, latitude: float, longitude: float, accuracy: float
) -> Any:
    """A phone-sized browser context whose geolocation is the position given."""
    return chromium.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport=PHONE,
        permissions=["geolocation"],
        geolocation={"latitude": latitude, "longitude": longitude, "accuracy": accuracy},
        timezone_id="Asia/Makassar",
    )
