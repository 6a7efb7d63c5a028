"""A unit's punch context is loaded once: the first punches arriving together share one
load, and the refresher loads it before the first punch of the day or after a change."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection

from govem.attendance import context
from govem.attendance.context import (
    UnitContext,
    current_generation,
    refresh,
    start_refresher,
    unit_context,
)
from govem.people.models import Employee, Unit, WorkLocation
from govem.rules.calendar import national_calendar
from tests.helpers.regency import make_employee

TODAY = date(2026, 12, 2)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every UnitContext load, slowed so that simultaneous requests overlap it."""
    seen: list[str] = []
    real = UnitContext.__init__

    def slow(self: UnitContext, root_path: str, today: date, generation: int | None) -> None:
        seen.append(root_path)
        time.sleep(0.2)
        real(self, root_path, today, generation)

    monkeypatch.setattr(UnitContext, "__init__", slow)
    context.forget()
    yield seen
    context.forget()


def punch_together(people: list[Employee], generation: int) -> list[UnitContext]:
    """``unit_context`` for each employee at once, each in its own thread and connection."""
    got: list[UnitContext | None] = [None] * len(people)
    start = threading.Barrier(len(people))

    def one(index: int) -> None:
        try:
            start.wait()
            got[index] = unit_context(people[index], generation, TODAY)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert all(found is not None for found in got)
    return [found for found in got if found is not None]


def test_simultaneous_first_punches_of_a_unit_load_it_once(
    transactional_db: Any, loads: list[str], unit: Any, office: Any
) -> None:
    people = [make_employee(unit, f"19870512201001{n:04d}", f"Pegawai {n}") for n in range(4)]
    generation = current_generation()
    assert generation is not None

    contexts = punch_together(people, generation)

    assert len(loads) == 1
    assert all(found is contexts[0] for found in contexts)
    assert all(found.knows(person.pk) for found, person in zip(contexts, people, strict=True))


def test_after_a_change_the_next_punches_load_it_once_more(
    transactional_db: Any, loads: list[str], unit: Any, office: WorkLocation
) -> None:
    people = [make_employee(unit, f"19900202201503{n:04d}", f"Pegawai {n}") for n in range(3)]
    before = current_generation()
    assert before is not None
    first = punch_together(people, before)[0]

    WorkLocation.objects.filter(pk=office.pk).update(radius_m=250)  # the office is redrawn
    generation = current_generation()
    assert generation is not None and generation != first.generation
    again = punch_together(people, generation)

    assert len(loads) == 2
    assert all(found is again[0] and found is not first for found in again)
    assert again[0].areas(people[0].pk)[0].radius_m == 250


def test_refresh_loads_every_root_unit_before_its_first_punch(
    loads: list[str], unit: Any, office: Any
) -> None:
    employee = make_employee(unit, "198705122010011003", "Rahmat Hidayat")
    generation = current_generation()
    assert generation is not None
    roots = set(Unit.objects.filter(parent=None).values_list("path", flat=True))

    assert refresh(TODAY) == len(roots)
    assert set(loads) == roots
    found = unit_context(employee, generation, TODAY)  # the morning's first punch

    assert len(loads) == len(roots)  # it found its unit loaded
    assert found.knows(employee.pk)
    assert refresh(TODAY) == 0  # nothing went stale


def test_refresh_reloads_what_a_change_or_the_new_day_made_stale(
    loads: list[str], unit: Any, office: WorkLocation
) -> None:
    employee = make_employee(unit, "198705122010011003", "Rahmat Hidayat")
    held = refresh(TODAY)

    WorkLocation.objects.filter(pk=office.pk).update(radius_m=250)  # the office is redrawn
    assert refresh(TODAY) == held
    before = len(loads)
    found = unit_context(employee, current_generation(), TODAY)
    assert len(loads) == before  # the next punch needs no load, and sees the change
    assert found.areas(employee.pk)[0].radius_m == 250

    assert refresh(TODAY + timedelta(days=1)) == held  # after midnight: the new day's plans


def test_the_refresher_thread_loads_ahead_until_stopped(
    transactional_db: Any, loads: list[str], unit: Any, office: Any
) -> None:
    stop = threading.Event()
    thread = start_refresher(0.05, stop)
    try:
        deadline = time.monotonic() + 10
        while f"/{unit.pk}/" not in loads and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"/{unit.pk}/" in loads
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_a_context_has_no_reference_cycles_so_a_frozen_one_is_freed_when_replaced(
    unit: Any, office: Any
) -> None:
    # govem serve freezes each worker's heap after the first load (gc.freeze): the frozen
    # objects are out of the cyclic collector's reach, so a replaced context must be freed
    # by its reference count alone, or every refresh would leak the context it replaced.
    employee = make_employee(unit, "198705122010011003", "Rahmat Hidayat")
    gc.disable()
    try:
        loaded = UnitContext(f"/{unit.pk}/", TODAY, current_generation())
        assert loaded.knows(employee.pk) and loaded.areas(employee.pk)
        loaded.day_plans(employee.pk, TODAY, "Asia/Makassar")  # its lazily built parts too
        gone = weakref.ref(loaded)
        plans = weakref.ref(loaded.plans)
        del loaded
        assert gone() is None and plans() is None
    finally:
        gc.enable()


def test_a_load_builds_the_national_calendar_its_punches_will_read(unit: Any, office: Any) -> None:
    national_calendar.cache_clear()  # as in a worker that has not yet judged a punch
    UnitContext(f"/{unit.pk}/", TODAY, current_generation())
    assert national_calendar.cache_info().currsize == 1  # 2026: the first punch builds none
