"""Go-live without backfill: the date from which attendance is counted.

The regency's start is ``GOVEM_COUNTING_STARTS`` when set, else the one stored row of
:class:`~govem.operations.models.CountingStart` — written on the first read with the date of
this database's first migration, so a fresh install never books TK for days before it
existed. An employee's own start (``Employee.counting_starts``: TMT, or the import date of a
new employee) can only be later. The pure rule
(:func:`govem.rules.daystatus.counting_start`) combines the two; :func:`employee_starts`
gives it for many employees at once.

The stored date is read once per process (it is set once; ``govem demo`` moves it on a
fresh install before any server runs) — :func:`forget` drops the copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from govem.operations.models import CountingStart
from govem.people.models import Employee
from govem.rules.daystatus import counting_start

_stored: date | None = None


def _first_migration_date() -> date:
    first = MigrationRecorder.Migration.objects.order_by("applied").first()
    moment = first.applied if first is not None else timezone.now()
    return timezone.localdate(moment)


def _read_or_store() -> date:
    row = CountingStart.objects.order_by("pk").first()
    if row is None:
        CountingStart.objects.create(starts_on=_first_migration_date(), source="migration")
        # Two processes storing at once both read the first row back: they agree.
        row = CountingStart.objects.order_by("pk").first()
    return row.starts_on if row is not None else _first_migration_date()


def regency_start() -> date:
    """The regency's counting start (``GOVEM_COUNTING_STARTS`` or the stored date)."""
    global _stored
    configured: date | None = getattr(settings, "GOVEM_COUNTING_STARTS", None)
    if configured is not None:
        return configured
    if _stored is None:
        _stored = _read_or_store()
    return _stored


def set_regency_start(day: date, *, source: str) -> date:
    """Store ``day`` as the regency's counting start (``govem demo``, the first go-live)."""
    global _stored
    with transaction.atomic():
        row = CountingStart.objects.select_for_update().order_by("pk").first()
        if row is None:
            CountingStart.objects.create(starts_on=day, source=source[:20])
        elif row.starts_on != day:
            CountingStart.objects.filter(pk=row.pk).update(starts_on=day, source=source[:20])
    _stored = day
    return regency_start()


def forget() -> None:
    """Drop this process's copy of the stored date (tests; after ``set_regency_start``)."""
    global _stored
    _stored = None


def is_counted_date(day: date) -> bool:
    """Whether the regency counts ``day`` at all (the worker runs no phase before it)."""
    return day >= regency_start()


def employee_starts(employee_ids: Iterable[int]) -> dict[int, date]:
    """Employee id → the date counting starts for them (regency start or their own, later)."""

    regency = regency_start()
    ids = list(employee_ids)
    own: dict[int, date | None] = {}
    if ids:
        rows = Employee.objects.filter(counting_starts__isnull=False)
        if len(ids) <= 1000:
            rows = rows.filter(pk__in=ids)
        own = dict(rows.values_list("pk", "counting_starts"))
    return {pk: counting_start(regency, own.get(pk)) or regency for pk in ids}


def starts_for(employee: object) -> date:
    """One loaded employee's counting start, without a query (the punch path)."""
    own = getattr(employee, "counting_starts", None)
    return counting_start(regency_start(), own) or regency_start()
