"""``day_plans_for`` is the bulk form of ``day_plan_for``: same answers, constant queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from govem.people.models import Employee, Unit, WorkLocation
from govem.schedules import queries
from govem.schedules.models import (
    CalendarOverride,
    RosterEntry,
    ScheduleAssignment,
    Shift,
    SpecialPeriod,
    UnitCalendar,
    WorkSchedule,
)
from govem.schedules.queries import day_plan_for, day_plans_for

START, END = date(2026, 2, 14), date(2026, 3, 1)  # Ramadan 1447 H begins, cuti bersama Imlek


def build(count: int) -> list[Employee]:
    """A small regency with every source of a plan: units, zones, templates, rosters, decrees."""
    root = Unit.objects.create(code="PEMKAB", name="Pemkab")
    units = [root]
    for n, zone in enumerate(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]):
        unit = Unit.objects.create(code=f"U{n}", name=f"Unit {n}", parent=root)
        child = Unit.objects.create(code=f"U{n}-1", name=f"Sub-unit {n}", parent=unit)
        location = WorkLocation.objects.create(
            name=f"Kantor {n}", latitude=-3, longitude=115, time_zone=zone
        )
        unit.locations.add(location)
        units += [unit, child]
    six = WorkSchedule.objects.get(code="NASIONAL-6H")
    ScheduleAssignment.objects.create(schedule=six, unit=units[1], valid_from=date(2026, 1, 1))
    ScheduleAssignment.objects.create(
        schedule=six, unit=units[4], valid_from=date(2026, 2, 20), valid_to=date(2026, 2, 25)
    )
    UnitCalendar.objects.create(unit=units[5])
    local = CalendarOverride.objects.create(date=date(2026, 2, 18), kind="holiday", name="Lokal")
    local.units.add(units[3])
    CalendarOverride.objects.create(
        date=date(2026, 2, 16), kind="workday", name="Dihapus", decree="1/2026"
    )
    CalendarOverride.objects.create(date=date(2026, 2, 26), kind="flexible", name="FWA")
    period = SpecialPeriod.objects.create(
        name="Ad hoc",
        start_date=date(2026, 2, 23),
        end_date=date(2026, 2, 24),
        schedule=six,
        applies_to_all=False,
    )
    period.units.add(units[6])
    night, morning = Shift.objects.get(code="JAGA-MALAM"), Shift.objects.get(code="PAGI")
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"u{n}") for n in range(count)
    )
    people = Employee.objects.bulk_create(
        Employee(
            user=user,
            employee_type="NON_ASN",
            non_asn_id=f"NA{n}",
            name=f"Pegawai {n}",
            unit=units[n % len(units)],
        )
        for n, user in enumerate(users)
    )
    for n, person in enumerate(people[:count:4]):
        ScheduleAssignment.objects.create(
            schedule=six, employee=person, valid_from=START + timedelta(days=n % 5)
        )
    extra = WorkLocation.objects.create(name="Pos", latitude=-3, longitude=115, time_zone="UTC")
    people[1].extra_locations.add(extra)
    for n, person in enumerate(people[::3]):
        for day in range(0, 16, 2):
            shift = [night, morning, None][(n + day) % 3]
            RosterEntry.objects.create(
                employee=person, date=START + timedelta(days=day), shift=shift
            )
    return [Employee.objects.select_related("unit").get(pk=p.pk) for p in people]


@pytest.mark.parametrize("in_limit", [1000, 3])  # IN list, and "load all rows" for big batches
def test_it_agrees_with_the_per_employee_plan(db: Any, monkeypatch: Any, in_limit: int) -> None:
    monkeypatch.setattr(queries, "_IN_LIMIT", in_limit)
    people = build(24)
    bulk = day_plans_for([p.pk for p in people], START, END)
    assert len(bulk) == 24 * ((END - START).days + 1)
    sources = set()
    for person in people:
        for offset in range((END - START).days + 1):
            day = START + timedelta(days=offset)
            assert bulk[(person.pk, day)] == day_plan_for(person, day), (person.name, day)
            sources.add(bulk[(person.pk, day)].schedule_source.split(" ")[0])
    # the fixture exercises every kind of source
    assert {"NASIONAL-5H", "NASIONAL-6H", "RAMADAN-5H", "JAGA-MALAM", "PAGI", "LIBUR"} <= sources


def test_it_loads_a_constant_number_of_queries(db: Any, django_assert_max_num_queries: Any) -> None:
    people = build(60)
    few, many = [p.pk for p in people[:2]], [p.pk for p in people]
    for ids in (few, many):
        with django_assert_max_num_queries(14):
            plans = day_plans_for(ids, START, END)
        assert len(plans) == len(ids) * 16


def test_it_skips_unknown_employees(db: Any) -> None:
    assert day_plans_for([987654], START, START) == {}


def test_it_uses_the_lowest_location_as_primary(db: Any) -> None:
    people = build(3)
    plans = day_plans_for([p.pk for p in people], START, START)
    assert plans[(people[1].pk, START)].time_zone == queries.employee_time_zone(people[1])
