"""A whole SOP day driven by ``govem worker --once`` alone, under a moving frozen clock.

The real command (``call_command("worker", "--once")``, the loop's own code path) runs at the
moments a regency lives: before and after each SOP time and at the close of check-out. The
employees punch through the real punch service in between. After the last window closes the
day is settled: its codes, one clarification case per gap, the report draft's totals, and a
restore of the backup that carries the date into an emptied database gives the same records.
"""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from govem.absences.models import AbsenceRequest, AbsenceType, Clarification
from govem.attendance.models import DayRecord
from govem.attendance.services import PunchAttempt, record_punch
from govem.files import store as files
from govem.notify.models import Message
from govem.operations.models import Backup, PhaseRun
from govem.operations.timeline import phase_line
from govem.people.models import Employee, Unit, WorkLocation
from govem.rules.schedule import PunchKind
from tests.conftest import OFFICE_LAT, OFFICE_LON
from tests.helpers.regency import logged_in, staff_user
from tests.seeds import reseed

pytestmark = pytest.mark.django_db(transaction=True)

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 30)
CROWD = 52
FIELDS = ("employee_id", "status", "codes", "deduction_pct", "closed", "counted")
FIELDS += ("first_in", "last_out", "late_minutes", "early_minutes")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WITA)


@pytest.fixture
def regency(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    reseed()
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("GOVEM_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.delenv("GOVEM_BACKUP_MIRROR_DIR", raising=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GOVEM_NOTIFY = {**settings.GOVEM_NOTIFY, "CHANNELS": ["email"]}
    # Go-live on the Monday: the Sunday before is never run, never booked.
    settings.GOVEM_COUNTING_STARTS = MONDAY
    unit = Unit.objects.create(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
    office = WorkLocation.objects.create(
        name="Kantor Diskominfo", latitude=OFFICE_LAT, longitude=OFFICE_LON, radius_m=100
    )
    unit.locations.add(office)
    people = [
        Employee.objects.create(
            employee_type="PNS",
            nip=f"1980010120050110{n:02d}",
            name=f"Pegawai {n:02d}",
            unit=unit,
            email=f"pegawai{n:02d}@tapin.example" if n % 2 == 0 else "",
        )
        for n in range(CROWD)
    ]
    names = ("on_time", "late", "early", "no_checkout", "on_leave", "late_checkout")
    roles = dict(zip(names, people, strict=False))
    return {"unit": unit, "people": people, "absent": people[len(names) :], **roles}


def worker_at(moment: datetime) -> list[PhaseRun]:
    """``govem worker --once`` at ``moment``; the runs it finished."""
    before = set(PhaseRun.objects.filter(finished_at__isnull=False).values_list("pk", flat=True))
    with time_machine.travel(moment, tick=False):
        call_command("worker", "--once")
    return list(
        PhaseRun.objects.filter(finished_at__isnull=False).exclude(pk__in=before).order_by("id")
    )


def punch(employee: Employee, kind: str, moment: datetime) -> dict[str, Any]:
    with time_machine.travel(moment, tick=False):
        outcome = record_punch(
            employee=employee,
            attempt=PunchAttempt(
                kind=PunchKind(kind),
                latitude=OFFICE_LAT,
                longitude=OFFICE_LON,
                accuracy_m=10.0,
                client_time=None,
                idempotency_key=str(uuid.uuid4()),
                device_id=f"device-{employee.pk}",
                source="api",
            ),
        )
    assert outcome.status == 201, outcome.body
    return outcome.body


def approve_leave(employee: Employee, day: date) -> None:
    AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="CT"),
        start_date=day,
        end_date=day,
        reason="Cuti tahunan",
        status=AbsenceRequest.Status.APPROVED,
        decided_at=at(day - timedelta(days=3), 9),
    )


def phases_of(runs: list[PhaseRun]) -> list[tuple[date, str]]:
    return [(run.date, run.phase) for run in runs]


def settled_records(day: date) -> list[tuple[Any, ...]]:
    return sorted(DayRecord.objects.filter(date=day).values_list(*FIELDS))


def restore_dated_backup(day: date) -> list[tuple[Any, ...]]:
    """Empty the database, restore the backup that carries ``day``; its records."""
    backup = Backup.objects.get(day=day)
    assert backup.verified and backup.error == ""
    assert backup.manifest["settled_day"] == day.isoformat()
    path = backup.path
    call_command("flush", "--noinput")
    assert not DayRecord.objects.exists()
    call_command("restore", path, "--yes")
    return settled_records(day)


def assert_settled(r: dict[str, Any], *, late: str, early: str) -> None:
    """Each one's settled codes; one open case per gap: every TK (an earlier "no check-in"
    case takes the settled kind) and the missing check-out — nobody else."""
    codes = dict(DayRecord.objects.filter(date=MONDAY).values_list("employee_id", "codes"))
    assert codes[r["on_time"].pk] == ["H"]
    assert codes[r["late"].pk] == [late]
    assert codes[r["early"].pk] == [early]
    assert codes[r["no_checkout"].pk] == ["PSW4"]
    assert codes[r["on_leave"].pk] == ["CT"]
    assert codes[r["late_checkout"].pk] == ["H"]
    assert {pk for pk, value in codes.items() if value == ["TK"]} == {e.pk for e in r["absent"]}
    open_cases = dict(
        Clarification.objects.filter(status="open").values_list("employee_id", "kind")
    )
    assert open_cases == {e.pk: "tk" for e in r["absent"]} | {r["no_checkout"].pk: "no_check_out"}


def test_one_nasional_5h_day_settles_itself_by_the_worker_alone(regency: dict[str, Any]) -> None:
    r = regency
    approve_leave(r["on_leave"], MONDAY)

    # 06:50: nothing is due yet — and Sunday (before go-live) is never run.
    assert worker_at(at(MONDAY, 6, 50)) == []
    assert not PhaseRun.objects.filter(date=MONDAY - timedelta(days=1)).exists()

    # 07:00 prepare: reminders to everyone who works today (not the one on leave).
    assert phases_of(worker_at(at(MONDAY, 7, 0))) == [(MONDAY, "prepare")]
    reminded = set(
        Message.objects.filter(template_key="pengingat-masuk").values_list("employee_id", flat=True)
    )
    assert r["on_leave"].pk not in reminded
    assert reminded == {e.pk for e in r["people"] if e.email and e != r["on_leave"]}

    punch(r["on_time"], "in", at(MONDAY, 7, 20))
    punch(r["early"], "in", at(MONDAY, 7, 25))
    punch(r["no_checkout"], "in", at(MONDAY, 7, 28))
    punch(r["late_checkout"], "in", at(MONDAY, 7, 29))
    punch(r["late"], "in", at(MONDAY, 7, 50))  # 20 minutes late: TL1
    punch(r["early"], "out", at(MONDAY, 15, 30))  # 30 minutes early: PSW1
    assert worker_at(at(MONDAY, 12, 0)) == []

    # 16:00 reconcile, with what is known then: nobody can be TK yet, but those without a
    # check-in by the end of work are asked (one case each, one notice each).
    assert phases_of(worker_at(at(MONDAY, 16, 0))) == [(MONDAY, "reconcile")]
    assert not DayRecord.objects.filter(date=MONDAY, status="TK").exists()
    asked = dict(Clarification.objects.values_list("employee_id", "kind"))
    assert asked == {e.pk: "no_check_in" for e in r["absent"]}

    punch(r["on_time"], "out", at(MONDAY, 16, 5))
    punch(r["late"], "out", at(MONDAY, 16, 10))

    # 16:30 close: the SOP's backup and evaluation; those checked in but not out 30 minutes
    # after the end are asked too. The window is still open, so nothing is settled.
    runs = worker_at(at(MONDAY, 16, 30))
    assert phases_of(runs) == [(MONDAY, "close")]
    assert runs[0].status == "succeeded", runs[0].error
    checkout_cases = Clarification.objects.filter(kind="no_check_out")
    assert {case.employee for case in checkout_cases} == {r["no_checkout"], r["late_checkout"]}
    assert not any(
        "PSW4" in codes
        for codes in DayRecord.objects.filter(date=MONDAY).values_list("codes", flat=True)
    )

    # 17:10 the forgetful one checks out after all: their case closes itself.
    body = punch(r["late_checkout"], "out", at(MONDAY, 17, 10))
    assert body["day"]["codes"] == ["H"]
    closed = Clarification.objects.get(employee=r["late_checkout"])
    assert (closed.status, closed.outcome) == ("closed", "resolved")
    assert "17:10" in closed.notes
    assert not DayRecord.objects.get(employee=r["late_checkout"], date=MONDAY).checkout_case_open

    # 17:59 still open; 18:00 check-out closes and the worker settles the day.
    assert worker_at(at(MONDAY, 17, 59)) == []
    runs = worker_at(at(MONDAY, 18, 0))
    assert phases_of(runs) == [(MONDAY, "settle")]
    settle = runs[0]
    assert settle.status == "succeeded", settle.error
    assert [step.name for step in phase_line("settle", "", settle).steps] == [
        "settle_days",
        "clarifications",
        "report_draft",
        "backup",
        "evaluation",
    ]

    assert_settled(r, late="TL1", early="PSW1")
    assert DayRecord.objects.filter(date=MONDAY, closed=True).count() == CROWD
    # Each case's notice went out once; + the "no check-out" case that closed itself.
    assert Clarification.objects.count() == len(r["absent"]) + 2
    notices = list(
        Message.objects.filter(template_key="klarifikasi-dibuka").values_list(
            "employee_id", flat=True
        )
    )
    assert sorted(notices) == sorted(
        e.pk for e in Employee.objects.filter(clarifications__isnull=False) if e.email
    )
    assert len(mail.outbox) == Message.objects.filter(status="sent").count()

    # The report draft holds the settled day.
    draft = settle.result["steps"]["report_draft"]["value"]
    absent = len(r["absent"])
    assert draft["rows"] == CROWD
    totals = {code: n for code, n in draft["totals"].items() if n}
    assert totals["TK"] == absent and totals["PSW4"] == 1 and totals["CT"] == 1
    assert totals["TL1"] == 1 and totals["PSW1"] == 1 and totals["H"] == 2
    stored = files.read(draft["files"]["xlsx"])
    assert stored is not None
    sheet = openpyxl.load_workbook(io.BytesIO(stored), read_only=True).active
    rows = [row for row in sheet.iter_rows(values_only=True) if "Pegawai 10" in row]
    assert len(rows) == 1 and "TK" in rows[0]  # an absent one's row, as settled

    # Verification is possible from now; nothing runs twice.
    assert worker_at(at(MONDAY, 18, 1)) == []
    assert Message.objects.filter(template_key="klarifikasi-dibuka").count() == len(notices)

    # The timeline on /operasi/ tells the day in words.
    with time_machine.travel(at(MONDAY, 18, 5), tick=False):
        html = logged_in(staff_user("it-ops", "Tim IT")).get("/operasi/").content.decode()
    assert f"Hari selesai untuk {CROWD} pegawai: TK {absent}, PSW4 1, TL4 0." in html
    assert "Memuat hari 30-11-2026 yang sudah selesai." in html
    assert "2 kasus dibuka (belum presensi masuk 0, belum presensi pulang 2)" in html

    settled = settled_records(MONDAY)
    assert restore_dated_backup(MONDAY) == settled


def test_a_night_shift_settles_the_next_morning(regency: dict[str, Any]) -> None:
    from govem.schedules.models import RosterEntry, Shift

    r = regency
    night = Shift.objects.create(
        code="MALAM",
        name="Jaga malam",
        start=time(21, 0),
        end=time(7, 0),
        opens_before_minutes=60,
        closes_after_minutes=120,
    )
    tuesday = MONDAY + timedelta(days=1)
    for employee in r["people"]:
        RosterEntry.objects.create(employee=employee, date=MONDAY, shift=night)
        RosterEntry.objects.create(employee=employee, date=tuesday, shift=None)
    approve_leave(r["on_leave"], MONDAY)

    assert phases_of(worker_at(at(MONDAY, 20, 30))) == [(MONDAY, "prepare")]
    punch(r["on_time"], "in", at(MONDAY, 20, 50))
    punch(r["early"], "in", at(MONDAY, 20, 55))
    punch(r["no_checkout"], "in", at(MONDAY, 20, 58))
    punch(r["late_checkout"], "in", at(MONDAY, 20, 59))
    punch(r["late"], "in", at(MONDAY, 21, 40))  # 40 minutes late: TL2
    punch(r["early"], "out", at(tuesday, 6, 0))  # 60 minutes early: PSW2
    # Past midnight nothing of Monday is due, and nothing is settled.
    assert worker_at(at(tuesday, 0, 30)) == []
    assert not DayRecord.objects.filter(date=MONDAY, closed=True).exists()

    assert (MONDAY, "reconcile") in phases_of(worker_at(at(tuesday, 7, 0)))
    punch(r["on_time"], "out", at(tuesday, 7, 5))
    punch(r["late"], "out", at(tuesday, 7, 10))
    runs = worker_at(at(tuesday, 7, 30))
    assert (MONDAY, "close") in phases_of(runs)
    punch(r["late_checkout"], "out", at(tuesday, 8, 15))
    assert Clarification.objects.get(employee=r["late_checkout"]).outcome == "resolved"

    # Tuesday is a roster day off; Monday's shift closes at 09:00 Tuesday.
    assert (MONDAY, "settle") not in phases_of(worker_at(at(tuesday, 8, 59)))
    runs = [run for run in worker_at(at(tuesday, 9, 0)) if run.date == MONDAY]
    assert phases_of(runs) == [(MONDAY, "settle")]
    assert runs[0].status == "succeeded", runs[0].error

    assert_settled(r, late="TL2", early="PSW2")
    totals = runs[0].result["steps"]["report_draft"]["value"]["totals"]
    assert totals["TK"] == len(r["absent"]) and totals["PSW4"] == 1

    settled = settled_records(MONDAY)
    assert restore_dated_backup(MONDAY) == settled
