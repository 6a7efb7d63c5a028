"""A few past workdays of attendance for the demo regency, so the monitor, recap and reports
have something to show on a fresh install.

Deterministic (seeded by employee and date) and idempotent: an employee-date that already has
a punch is left alone. Punches are marked as imported demo data (source ``import``, note
"Data demo"), placed at the employee's office, and the days are computed like real ones —
the demo's counting start is moved to the history's first day, so they are counted.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govem.attendance.days import recompute_days
from govem.attendance.models import Punch
from govem.people.models import Employee
from govem.schedules.queries import day_plans_for

NOTE = "Data demo"


def _moment(base: datetime, minutes: int, rng: random.Random) -> datetime:
    return base + timedelta(minutes=minutes, seconds=rng.randint(0, 59))


def _day(rng: random.Random, start: datetime, end: datetime) -> tuple[Any, Any]:
    """(check-in, check-out) for one person-day: mostly on time, some late or early, a few
    missing — the mix a regency sees."""
    roll = rng.random()
    if roll < 0.04:
        return None, None  # absent: becomes TK, then a clarification case
    if roll < 0.78:
        arrive = _moment(start, -rng.randint(2, 35), rng)
    elif roll < 0.92:
        arrive = _moment(start, rng.randint(1, 30), rng)
    else:
        arrive = _moment(start, rng.randint(31, 100), rng)
    leave_roll = rng.random()
    if leave_roll < 0.04:
        return arrive, None  # forgot to check out
    if leave_roll < 0.10:
        return arrive, _moment(end, -rng.randint(5, 70), rng)
    return arrive, _moment(end, rng.randint(0, 45), rng)


def _count_from(first: date) -> None:
    """The demo's history is counted: its go-live moves back to the history's first day
    (unless ``GOVEM_COUNTING_STARTS`` fixes it)."""
    # operations imports attendance too: local, so neither app loads the other at import
    from govem.operations.golive import regency_start, set_regency_start

    if settings.GOVEM_COUNTING_STARTS is None and regency_start() > first:
        set_regency_start(first, source="demo")


def lay_history(days: int = 5, *, today: date | None = None) -> dict[str, int]:
    """Punches for the last ``days`` workdays before ``today`` for every active employee."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days * 2 + 4)
    employees = list(Employee.objects.filter(active=True).select_related("unit"))
    ids = [employee.pk for employee in employees]
    plans = day_plans_for(ids, start, today - timedelta(days=1))
    workdays = sorted({day for (_, day), plan in plans.items() if plan.schedule is not None})
    chosen = workdays[-days:]
    if not chosen:
        return {"punches": 0, "days": 0}
    taken = set(
        Punch.objects.filter(employee_id__in=ids, local_date__in=chosen).values_list(
            "employee_id", "local_date"
        )
    )
    by_id = {employee.pk: employee for employee in employees}
    rows: list[Punch] = []
    offices: dict[int, Any] = {}  # sub-units inherit their parent's office
    for (employee_id, day), plan in sorted(plans.items()):
        schedule = plan.schedule
        if day not in chosen or schedule is None or (employee_id, day) in taken:
            continue
        employee = by_id[employee_id]
        if employee.unit_id not in offices:
            offices[employee.unit_id] = employee.allowed_locations().first()
        location = offices[employee.unit_id]
        rng = random.Random(f"{employee_id}:{day.isoformat()}")  # noqa: S311 - demo data
        for kind, moment in zip(
            ("in", "out"), _day(rng, schedule.start, schedule.end), strict=True
        ):
            if moment is None:
                continue
            rows.append(
                Punch(
                    employee_id=employee_id,
                    kind=kind,
                    server_time=moment,
                    local_date=day,
                    time_zone=plan.time_zone,
                    latitude=location.latitude if location else None,
                    longitude=location.longitude if location else None,
                    accuracy_m=float(rng.randint(5, 25)),
                    distance_m=float(rng.randint(2, 70)) if location else None,
                    location=location,
                    verdict=Punch.Verdict.ACCEPTED,
                    source=Punch.Source.IMPORT,
                    note=NOTE,
                )
            )
    with transaction.atomic():
        Punch.objects.bulk_create(rows, batch_size=1000)
    _count_from(chosen[0])
    recompute_days(ids, chosen[0], chosen[-1])
    return {"punches": len(rows), "days": len(chosen)}
