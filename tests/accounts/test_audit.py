"""Audit trail: who changed which master data, when, from which value to which."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from govem.accounts import audit
from govem.accounts.models import AuditEntry
from govem.people.models import Device, Employee, Unit, WorkLocation
from govem.people.services import bind_device, release_device
from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule


def entries(instance: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk)
        ).order_by("id")
    )


@pytest.fixture
def operator(db: Any) -> Any:
    return get_user_model().objects.create_user("operator-bkpsdm", password="sandi-operator-1")


@pytest.fixture
def superuser(db: Any) -> Any:
    return get_user_model().objects.create_superuser("tim-it", password="sandi-tim-it-1")


def test_it_records_an_employee_created_changed_and_deleted(
    operator: Any, unit: Unit, office: WorkLocation
) -> None:
    with audit.acting_as(operator, ip="10.1.2.3"):
        person = Employee.objects.create(
            employee_type="PNS",
            nip="199105052019032004",
            name="Nurul Huda",
            unit=unit,
            phone="+6281234567890",
        )
        person.position = "Analis Kepegawaian"
        person.save()
        pk = person.pk
        person.delete()
    person.pk = pk
    created, changed, deleted = entries(person)
    assert created.action == "create"
    assert created.after["nip"] == "199105052019032004"
    assert created.after["name"] == "Nurul Huda"
    assert created.before is None
    assert changed.action == "update"
    assert changed.before == {"position": ""}
    assert changed.after == {"position": "Analis Kepegawaian"}
    assert deleted.action == "delete"
    assert deleted.before["name"] == "Nurul Huda" and deleted.after is None
    for entry in (created, changed, deleted):
        assert entry.actor == operator and entry.actor_label == "operator-bkpsdm"
        assert entry.ip == "10.1.2.3"
        assert entry.at is not None
    assert "Nurul Huda" in created.object_repr


def test_it_records_only_the_fields_that_changed(operator: Any, office: WorkLocation) -> None:
    with audit.acting_as(operator):
        office.radius_m = 150
        office.save()
        office.save()  # nothing changed: nothing to record
    changes = [e for e in entries(office) if e.action == "update"]
    assert len(changes) == 1
    assert (changes[0].before, changes[0].after) == ({"radius_m": 100}, {"radius_m": 150})


def test_it_records_changes_made_without_a_person_as_the_system(office: WorkLocation) -> None:
    office.name = "Kantor Diskominfo (baru)"
    office.save()
    change = entries(office)[-1]
    assert change.actor is None and change.actor_label == "sistem"
    assert change.after == {"name": "Kantor Diskominfo (baru)"}


def test_it_records_a_unit_and_its_locations(operator: Any, office: WorkLocation) -> None:
    with audit.acting_as(operator, reason="Pemekaran bidang"):
        unit = Unit.objects.create(code="BKPSDM", name="BKPSDM")
        unit.locations.add(office)
        unit.locations.remove(office)
    actions = [entry.action for entry in entries(unit)]
    assert actions[0] == "create" and "m2m_add" in actions and "m2m_remove" in actions
    added = next(entry for entry in entries(unit) if entry.action == "m2m_add")
    assert added.after == {"related": "people.worklocation", "ids": [office.pk]}
    assert added.actor == operator and added.reason == "Pemekaran bidang"
    assert entries(unit)[-1].after == {"related": "people.worklocation", "ids": [office.pk]}


def test_it_records_an_employees_extra_location(
    operator: Any, employee: Employee, office: WorkLocation
) -> None:
    site = WorkLocation.objects.create(name="Pos Lapangan", latitude=-3.0, longitude=115.1)
    with audit.acting_as(operator):
        employee.extra_locations.add(site)
    entry = entries(employee)[-1]
    assert entry.action == "m2m_add"
    assert entry.after == {"related": "people.worklocation", "ids": [site.pk]}


def test_it_records_a_device_bound_and_released(operator: Any, employee: Employee) -> None:
    device = bind_device(employee=employee, device_id="phone-aaaa-0001", label="Samsung A15")
    with audit.acting_as(operator):
        release_device(device=device, by=operator, reason="HP rusak")
    bound, released = entries(device)
    assert bound.action == "create" and bound.after["device_id"] == "phone-aaaa-0001"
    assert released.action == "update"
    assert released.before == {"released_at": None, "released_by_id": None, "release_reason": ""}
    assert released.after["released_by_id"] == operator.pk
    assert released.after["release_reason"] == "HP rusak"
    assert released.actor == operator


def test_it_records_schedules_their_days_and_assignments(operator: Any, unit: Unit) -> None:
    with audit.acting_as(operator):
        schedule = WorkSchedule.objects.create(code="RSUD-6H", name="RSUD 6 hari")
        monday = ScheduleDay.objects.create(
            schedule=schedule,
            weekday=0,
            start=time(7, 30),
            end=time(14, 0),
            check_in_opens=time(6, 0),
            check_out_closes=time(18, 0),
        )
        monday.end = time(14, 30)
        monday.save()
        assignment = ScheduleAssignment.objects.create(
            schedule=schedule, unit=unit, valid_from=date(2026, 12, 1)
        )
        assignment.valid_to = date(2026, 12, 31)
        assignment.save()
        assignment_pk = assignment.pk
        assignment.delete()
    assert [e.action for e in entries(schedule)] == ["create"]
    day_changes = entries(monday)
    assert [e.action for e in day_changes] == ["create", "update"]
    assert (day_changes[1].before, day_changes[1].after) == (
        {"end": "14:00:00"},
        {"end": "14:30:00"},
    )
    assignment.pk = assignment_pk
    assert [e.action for e in entries(assignment)] == ["create", "update", "delete"]
    assert entries(assignment)[1].after == {"valid_to": "2026-12-31"}
    assert all(
        e.actor == operator for e in AuditEntry.objects.filter(object_type__startswith="sch")
    )


def test_it_records_the_admin_user_as_the_actor_of_admin_changes(
    superuser: Any, unit: Unit, office: WorkLocation
) -> None:
    admin = Client(REMOTE_ADDR="10.9.8.7")
    admin.force_login(superuser)
    response = admin.post(
        "/admin/people/worklocation/add/",
        {
            "name": "Kantor Camat Tapin Utara",
            "address": "Jl. Brigjen H. Hasan Basri, Rantau",
            "latitude": "-2.9310",
            "longitude": "115.1580",
            "radius_m": "75",
            "polygon": "null",
            "time_zone": "Asia/Makassar",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    location = WorkLocation.objects.get(name="Kantor Camat Tapin Utara")
    created = entries(location)[0]
    assert created.action == "create" and created.actor == superuser
    assert created.ip == "10.9.8.7"
    assert created.after["radius_m"] == 75

    response = admin.post(
        f"/admin/people/unit/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": "Dinas Komunikasi, Informatika dan Persandian",
            "parent": "",
            "address": "",
            "locations": [office.pk, location.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    changes = [e for e in entries(unit) if e.actor == superuser]
    renamed = next(e for e in changes if e.action == "update")
    assert renamed.before == {"name": "Dinas Komunikasi dan Informatika"}
    assert renamed.after == {"name": "Dinas Komunikasi, Informatika dan Persandian"}
    added = [e for e in changes if e.action == "m2m_add"]
    assert added and added[-1].after["ids"] == [location.pk]


def test_it_records_an_employee_edited_in_the_admin(
    superuser: Any, employee: Employee, unit: Unit
) -> None:
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        f"/admin/people/employee/{employee.pk}/change/",
        {
            "user": employee.user_id,
            "employee_type": "PNS",
            "nip": employee.nip,
            "non_asn_id": "",
            "name": employee.name,
            "position": "Kepala Seksi Infrastruktur TIK",
            "unit": unit.pk,
            "supervisor": "",
            "phone": "0812-5555-0101",
            "email": "rahmat@tapinkab.go.id",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    change = [e for e in entries(employee) if e.action == "update"][-1]
    assert change.actor == superuser
    assert change.before == {"position": "Pranata Komputer", "phone": "", "email": ""}
    assert change.after == {
        "position": "Kepala Seksi Infrastruktur TIK",
        "phone": "+6281255550101",
        "email": "rahmat@tapinkab.go.id",
    }


def test_it_never_stores_a_password_in_the_trail(operator: Any) -> None:
    snapshot = audit.snapshot(operator)
    assert "password" not in snapshot
    assert snapshot["username"] == "operator-bkpsdm"


def test_it_keeps_the_device_binding_of_the_first_login(employee: Employee) -> None:
    bind_device(employee=employee, device_id="phone-aaaa-0001")
    assert Device.objects.count() == 1
    assert [e.action for e in AuditEntry.objects.filter(object_type="people.device")] == ["create"]
