"""The data the contract run fuzzes against, written through the project's own services into the
live server's database (``govem shell``, after ``tests.helpers.live_servers.prepare``).

Without it every operation that takes an id answers 404 and its success path is never fuzzed.
With it, each role has objects it can reach: for the employee, an event of today to check in to,
open clarification cases of their own to answer, tickets and requests of their own; for Tim IT,
pending requests of other employees to decide, other employees' cases to work (contacts, outcome),
flagged event check-ins to review, closed days to report on and verify, a TPP month with pagu.

Run as ``govem shell -c "import runpy; runpy.run_path('seed.py', run_name='__main__')"``: it
prints one line ``GOVEM-SEED {json}`` with the tokens and the ids the fuzzing is pointed at
(``tests/contract/test_schemathesis.py`` turns them into schemathesis dictionaries).
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any


def _days_back(today: date, *offsets: int) -> list[date]:
    return [today - timedelta(days=offset) for offset in offsets]


def seed() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image

    from govem.absences.clarifications import open_clarifications
    from govem.absences.models import Clarification
    from govem.absences.services import create_request
    from govem.accounts.services import issue_token
    from govem.attendance.days import recompute_days
    from govem.attendance.demo_history import lay_history
    from govem.attendance.services import PunchAttempt
    from govem.events.services import check_in, create_event
    from govem.helpdesk.services import create_ticket
    from govem.operations.golive import set_regency_start
    from govem.payroll.services import import_pagu
    from govem.people.models import Employee, Unit, WorkLocation
    from govem.rules.schedule import PunchKind

    today = timezone.localdate()
    tim_it = get_user_model().objects.get(username="timit")
    employees = list(Employee.objects.select_related("user").order_by("pk"))
    first, spare, *others = employees
    unit = Unit.objects.get(code="DISKOMINFO")
    office = WorkLocation.objects.get(name="Kantor Diskominfo")

    # A working past: five days of punches (some late, some missing), counted from ten days
    # back; two earlier days without any punch become TK and open a case for everyone.
    for employee in employees:
        employee.job_class = 9
        employee.position = "Pranata Komputer"
    Employee.objects.bulk_update(employees, ["job_class", "position"])
    lay_history(5, today=today)
    set_regency_start(today - timedelta(days=10), source="contract")
    empty_days = _days_back(today, 8, 7)
    recompute_days([e.pk for e in employees], empty_days[0], empty_days[-1])
    for day in empty_days:
        open_clarifications(day)
    cases = Clarification.objects.filter(status=Clarification.Status.OPEN).order_by("pk")
    own_cases = [c.pk for c in cases if c.employee_id == first.pk]
    other_cases = [c.pk for c in cases if c.employee_id != first.pk]

    # TPP: a pagu for the employees' class, so GET /tpp computes real amounts.
    import_pagu(
        data=b"NIP;Jabatan;Kelas Jabatan;Pagu TPP;Berlaku Mulai;Catatan\n"
        b";;9;Rp 5.000.000;2020-01-01;uji kontrak\n",
        file_name="pagu.csv",
        by=tim_it,
    )

    # Requests: the others' pending ones wait for Tim IT; the employee has one of their own.
    pending = [
        create_request(
            employee=employee,
            type_code="S",
            start_date=today + timedelta(days=10 + index),
            end_date=today + timedelta(days=10 + index),
            reason="Sakit (data uji kontrak)",
            by=employee.user,
        ).pk
        for index, employee in enumerate(others * 2)
    ]
    create_request(
        employee=first,
        type_code="I",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=30),
        reason="Izin keluarga (data uji kontrak)",
        by=first.user,
    )

    # Today's apel, open all day: the others checked in with their phone's clock ten minutes
    # off (flagged, awaiting review); the employee has not checked in yet.
    event = create_event(
        by=tim_it,
        name="Apel uji kontrak",
        kind="apel_pagi",
        day=today,
        opens_at="00:00",
        closes_at="23:59",
        location_id=str(office.pk),
        units=[unit],
    )
    flagged = []
    for index, employee in enumerate(others):
        status, body = check_in(
            event=event,
            employee=employee,
            attempt=PunchAttempt(
                kind=PunchKind.IN,
                latitude=office.latitude,
                longitude=office.longitude,
                accuracy_m=10.0,
                client_time=timezone.now() - timedelta(minutes=10),
                idempotency_key=f"kontrak-apel-{index:04d}",
                device_id=f"device-{employee.pk}",
                source="api",
            ),
        )
        if status == 201 and body["verdict"] == "flagged":
            flagged.append(body["id"])

    # A ticket with a screenshot: GET /tickets lists something.
    screenshot = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(screenshot, format="PNG")
    create_ticket(
        employee=first,
        category="location",
        description="GPS tidak terbaca (data uji kontrak)",
        screenshot=SimpleUploadedFile("layar.png", screenshot.getvalue(), content_type="image/png"),
        by=first.user,
    )

    history = _days_back(today, 3, 2, 1)
    return {
        "it_token": issue_token(user=tim_it, device=None)[0],
        "spare_token": issue_token(user=spare.user, device=None)[0],
        "nip": first.nip,
        "device_id": first.devices.get().device_id,
        "today": today.isoformat(),
        "ids": {
            "request": pending,
            "own_case": own_cases,
            "other_case": other_cases,
            "event": [event.pk],
            "checkin": flagged,
            "unit_id": [unit.pk],
            "unit_code": [unit.code],
            "past_day": [day.isoformat() for day in empty_days + history],
            "month": sorted({today.strftime("%Y-%m"), empty_days[0].strftime("%Y-%m")}),
        },
        "office": [office.latitude, office.longitude],
    }


if __name__ == "__main__":
    print("GOVEM-SEED " + json.dumps(seed()))
