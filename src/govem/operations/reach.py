"""Who works on a date but cannot be reached by any channel (no email, WhatsApp/Telegram
number or web-push subscription that a configured channel can use), by unit.

The prepare phase records the list, ``/operasi/`` shows it, the health check counts it and the
day's evaluation compares it with the previous workday. A reminder or a case notice for these
employees is never sent: the unit operator has to reach them another way, or register a
channel for them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Person:
    name: str
    identifier: str


@dataclass(frozen=True)
class UnitGroup:
    unit: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Unreachable:
    day: date
    working: int  # employees who work that date (those away the whole day not included)
    channels: tuple[str, ...]  # the configured channels, in the order they are tried
    units: tuple[UnitGroup, ...]

    @property
    def total(self) -> int:
        return sum(len(group.people) for group in self.units)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "working": self.working,
            "channels": list(self.channels),
            "total": self.total,
            "units": [
                {
                    "unit": group.unit,
                    "people": [{"name": p.name, "identifier": p.identifier} for p in group.people],
                }
                for group in self.units
            ],
        }


def unreachable(day: date) -> Unreachable:
    """The employees working on ``day`` whom no configured channel reaches, by unit."""
    # notify imports operations too: local, so neither app loads the other at import
    from govem.notify.channels import configured_channels
    from govem.notify.plans import work_plans
    from govem.notify.reminders import Reach

    plans = work_plans(day)
    reach = Reach(plans)
    by_unit: dict[str, list[Person]] = defaultdict(list)
    for plan in plans:
        if reach.first(plan.employee) is None:
            employee = plan.employee
            by_unit[employee.unit.name].append(Person(employee.name, employee.identifier))
    units = tuple(
        UnitGroup(unit, tuple(sorted(people, key=lambda p: p.name)))
        for unit, people in sorted(by_unit.items())
    )
    return Unreachable(day, len(plans), tuple(configured_channels()), units)


def unreachable_step(day: date) -> dict[str, Any]:
    """The prepare phase's list: a warning to act on, never a failed preparation."""
    found = unreachable(day)
    return {**found.as_dict(), "ok": True, "warning": found.total > 0}
