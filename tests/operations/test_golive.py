"""Go-live without backfill: nothing is booked, reminded or opened before the counting start."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from govem.absences.clarifications import open_clarifications
from govem.absences.models import Clarification
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from govem.errors import DomainError
from govem.operations import golive, phases
from govem.operations.models import CountingStart, PhaseRun
from govem.people.models import Employee

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)
TUESDAY_0710_WITA = datetime(2026, 11, 30, 23, 10, tzinfo=UTC)
TUESDAY_2000_WITA = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def stored(settings: Any) -> Any:
    """No ``GOVEM_COUNTING_STARTS``: the stored date decides."""
    settings.GOVEM_COUNTING_STARTS = None
    CountingStart.objects.all().delete()
    golive.forget()

    def store(day: date) -> date:
        return golive.set_regency_start(day, source="test")

    return store


def test_it_defaults_to_the_date_of_the_first_migration_stored_once(stored: Any) -> None:
    first = MigrationRecorder.Migration.objects.order_by("applied").first()
    expected = timezone.localdate(first.applied)

    assert golive.regency_start() == expected
    row = CountingStart.objects.get()
    assert (row.starts_on, row.source) == (expected, "migration")
    golive.forget()
    assert golive.regency_start() == expected
    assert CountingStart.objects.count() == 1


def test_the_setting_overrides_the_stored_date(stored: Any, settings: Any) -> None:
    stored(MONDAY)
    settings.GOVEM_COUNTING_STARTS = date(2027, 1, 4)
    assert golive.regency_start() == date(2027, 1, 4)


def test_a_malformed_setting_stops_the_start_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from govem import settings as module

    monkeypatch.setenv("GOVEM_COUNTING_STARTS", "1-12-2026")
    with pytest.raises(ImproperlyConfigured, match="YYYY-MM-DD"):
        module._env_date("GOVEM_COUNTING_STARTS")
    monkeypatch.setenv("GOVEM_COUNTING_STARTS", "2026-12-01")
    assert module._env_date("GOVEM_COUNTING_STARTS") == TUESDAY


@pytest.mark.django_db(transaction=True)
def test_the_first_worker_tick_after_go_live_runs_and_books_nothing_before_it(
    stored: Any, employee: Employee, colleague: Employee
) -> None:
    from tests.seeds import reseed

    reseed()
    stored(TUESDAY)
    with time_machine.travel(TUESDAY_0710_WITA, tick=False):
        call_command("worker", "--once", stdout=io.StringIO())

    # Monday was a workday before Govem: no phase, no TK, no case.
    assert not PhaseRun.objects.filter(date=MONDAY).exists()
    finished = PhaseRun.objects.filter(finished_at__isnull=False)
    assert set(finished.values_list("date", "phase")) == {(TUESDAY, "prepare")}
    assert not DayRecord.objects.filter(date=MONDAY).exclude(codes=[]).exists()
    assert not Clarification.objects.exists()


def test_no_phase_runs_by_hand_or_on_request_before_it(stored: Any, employee: Employee) -> None:
    stored(TUESDAY)
    with pytest.raises(CommandError, match="sebelum mulai penghitungan"):
        call_command("run_phase", "settle", "--date", MONDAY.isoformat(), stdout=io.StringIO())
    with pytest.raises(DomainError) as refused:
        phases.request_rerun(MONDAY, "settle", by="admin-it")
    assert refused.value.code == "not_counted"
    assert not PhaseRun.objects.exists()


def test_before_an_employees_own_start_nothing_is_booked_asked_or_reminded(
    employee: Employee, colleague: Employee
) -> None:
    from govem.notify.plans import work_plans

    employee.counting_starts = TUESDAY  # TMT Tuesday
    employee.save()
    with time_machine.travel(TUESDAY_2000_WITA, tick=False):
        recompute_days(None, MONDAY, TUESDAY)
        open_clarifications(MONDAY)

    mine = DayRecord.objects.get(employee=employee, date=MONDAY)
    assert (mine.codes, mine.deduction_pct, mine.counted) == ([], 0, False)
    assert mine.explanation.startswith("Belum dihitung: presensi dihitung mulai 01-12-2026")
    theirs = DayRecord.objects.get(employee=colleague, date=MONDAY)
    assert (theirs.codes, theirs.counted) == (["TK"], True)
    assert DayRecord.objects.get(employee=employee, date=TUESDAY).codes == ["TK"]
    assert list(Clarification.objects.values_list("employee_id", flat=True)) == [colleague.pk]
    assert [plan.employee for plan in work_plans(MONDAY)] == [colleague]
    assert {plan.employee for plan in work_plans(TUESDAY)} == {employee, colleague}


def test_an_imported_new_employee_is_counted_from_the_import_day(unit: Any, clock: Any) -> None:
    from govem.people.importing import import_employees
    from tests.helpers.roster import csv_bytes, roster

    import_employees(data=csv_bytes(roster()), file_name="siasn.csv", dry_run=False)

    starts = set(Employee.objects.values_list("counting_starts", flat=True))
    assert starts == {timezone.localdate()}


def test_the_verification_of_a_day_not_counted_is_refused(
    unit: Any, office: Any, employee: Employee, colleague: Employee, settings: Any
) -> None:
    from govem.reports.verification import verify_daily
    from tests.helpers.regency import build_regency

    regency = build_regency(unit, office, employee, colleague)
    settings.GOVEM_COUNTING_STARTS = TUESDAY
    with (
        time_machine.travel(TUESDAY_2000_WITA, tick=False),
        pytest.raises(DomainError) as refused,
    ):
        verify_daily(user=regency.operator, day=MONDAY, unit=regency.unit)
    # Refused before anything is recomputed: the date lies before counting started.
    assert refused.value.code == "before_counting_start"
    assert "sebelum penghitungan presensi dimulai" in refused.value.message
    assert refused.value.details["counting_starts"] == TUESDAY.isoformat()


def test_the_demo_counts_its_own_history(stored: Any, clock: Any) -> None:
    stored(timezone.localdate())
    history = json.loads(_demo("--json", "--history", "2"))["history"]

    assert history["days"] == 2
    first = DayRecord.objects.order_by("date").first()
    assert golive.regency_start() <= first.date
    assert CountingStart.objects.get().source == "demo"
    assert DayRecord.objects.filter(status="TK").exists()
    assert not DayRecord.objects.filter(counted=False).exists()


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_monitor_and_the_daily_report_say_belum_dihitung(
    settings: Any, employee: Employee, colleague: Employee
) -> None:
    from govem.reports.daily import daily_report
    from tests.helpers.regency import logged_in, staff_user

    settings.GOVEM_COUNTING_STARTS = TUESDAY
    with time_machine.travel(TUESDAY_2000_WITA, tick=False):
        recompute_days(None, MONDAY, MONDAY)
        client = logged_in(staff_user("it-golive", "Tim IT"))
        monitor = client.get("/monitor/", {"date": MONDAY.isoformat()}).content.decode()
        today = client.get("/monitor/", {"date": TUESDAY.isoformat()}).content.decode()
        page = client.get("/laporan/", {"tanggal": MONDAY.isoformat()}).content.decode()

    assert "Belum dihitung: presensi dihitung mulai 01-12-2026" in monitor
    assert 'id="not-counted"' not in today
    report = daily_report(Employee.objects.all(), MONDAY)
    assert {row.status for row in report.rows} == {"-"}
    assert [(label, n) for _, label, n in report.totals] == [("Belum dihitung", 2)]
    assert "Belum dihitung" in page and "TK" not in {row.status for row in report.rows}
