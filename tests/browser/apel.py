"""Apel in chromium: Monday's apel, the employee's phone at a position, and the moving frozen
clock that moves the live server and the browser together (no test reads the wall clock)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from govem.events.models import Event

PHONE = {"width": 360, "height": 640}
WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 2)


def at(hh: int, mm: int) -> datetime:
    """Monday 2 November 2026 at hh:mm WITA."""
    return datetime.combine(MONDAY, time(hh, mm), tzinfo=WITA)


def monday_apel(regency: Any) -> Event:
    """Monday's apel pagi at the unit's office, check-in 07:00–07:30 WITA."""
    event = Event.objects.create(
        name="Apel pagi Senin", kind="apel_pagi", date=MONDAY, opens_at=time(7, 0),
        closes_at=time(7, 30), location=regency.office,
    )  # fmt: skip
    event.units.add(regency.unit)
    return event


class Clock:
    """The live server's clock (time-machine, ticking: the server thread shares the process)
    and each browser context's (Playwright's clock), moved together."""

    def __init__(self, traveller: Any) -> None:
        self.traveller = traveller
        self.contexts: list[Any] = []

    def join(self, context: Any) -> Any:
        context.clock.install(time=datetime.now(tz=WITA))
        self.contexts.append(context)
        return context

    def leave(self, context: Any) -> None:
        self.contexts.remove(context)
        context.close()

    def move_to(self, moment: datetime) -> None:
        self.traveller.move_to(moment)
        for context in self.contexts:
            context.clock.set_system_time(moment)


@contextmanager
def moving_clock(start: datetime) -> Iterator[Clock]:
    with time_machine.travel(start, tick=True) as traveller:
        yield Clock(traveller)


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
