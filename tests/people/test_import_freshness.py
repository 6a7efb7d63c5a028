"""freshness_report(): last import and the employees who cannot attend properly."""

from __future__ import annotations

from datetime import date, time

from govem.people.freshness import freshness_report
from govem.people.importing import import_employees
from govem.people.models import Device, Employee, Unit, WorkLocation
from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule
from tests.conftest import make_employee
from tests.helpers.roster import csv_bytes, roster

MONDAY = date(2026, 11, 30)


def _schedule(code: str) -> WorkSchedule:
    schedule = WorkSchedule.objects.create(code=code, name=code)
    ScheduleDay.objects.create(
        schedule=schedule,
        weekday=0,
        start=time(7, 30),
        end=time(16, 0),
        check_in_opens=time(6, 0),
        check_out_closes=time(18, 0),
    )
    return schedule


def test_it_counts_employees_without_schedule_location_phone_or_device(
    employee: Employee, colleague: Employee, office: WorkLocation
) -> None:
    WorkSchedule.objects.update(is_default=False)
    ScheduleAssignment.objects.create(
        schedule=_schedule("KANTOR"), unit=employee.unit, valid_from=date(2026, 1, 1)
    )
    lonely = Unit.objects.create(code="UPT-X", name="UPT tanpa lokasi")
    stray = make_employee(lonely, "198001012005011001", "Tanpa Apa Pun")
    ScheduleAssignment.objects.create(
        schedule=_schedule("SHIFT"), employee=colleague, valid_from=date(2026, 1, 1)
    )
    Employee.objects.filter(pk=employee.pk).update(phone="+6281234567890")
    Device.objects.create(employee=employee, device_id="hp-rahmat")
    Employee.objects.create(
        employee_type="PNS",
        nip="198102022006042002",
        name="Sudah Keluar",
        unit=lonely,
        active=False,
    )

    report = freshness_report(MONDAY)

    assert report.active_employees == 3
    assert report.last_import_at is None
    assert (report.without_schedule.count, report.without_schedule.examples) == (
        1,
        ("Tanpa Apa Pun (UPT-X)",),
    )
    assert report.without_location.examples == ("Tanpa Apa Pun (UPT-X)",)
    assert report.without_phone.count == 2
    assert report.without_device.count == 2
    assert not report.ok

    # An extra location for the employee covers the unit without one.
    stray.extra_locations.add(office)
    assert freshness_report(MONDAY).without_location.count == 0


def test_it_inherits_locations_from_parent_units_and_reports_the_last_import(
    employee: Employee, colleague: Employee
) -> None:
    child = Unit.objects.create(code="DISKOMINFO-TIK", name="Bidang TIK", parent=employee.unit)
    make_employee(child, "198001012005011001", "Di Sub Unit")
    import_employees(data=csv_bytes(roster()), file_name="siasn.csv", dry_run=True)
    assert freshness_report(MONDAY).last_import_at is None  # a preview is not an import

    import_employees(
        data=csv_bytes(roster()), file_name="siasn.csv", dry_run=False, full_roster=False
    )

    report = freshness_report(MONDAY)
    assert report.last_import_file == "siasn.csv"
    assert report.last_import_at is not None
    assert report.without_location.count == 0
    assert report.as_dict()["without_location"] == {"count": 0, "examples": []}
