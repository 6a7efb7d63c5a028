"""The day's ledger: each phase runs once per date, survives a dead worker, records results."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.utils import timezone

from govem.operations import phases
from govem.operations.models import PhaseRun, WorkerHeartbeat
from govem.operations.timing import phase_times
from govem.operations.worker import Worker

MONDAY = date(2026, 11, 30)
SUNDAY = date(2026, 11, 29)
Status = PhaseRun.Status


def ok_step(day: date) -> dict[str, Any]:
    return {"counted": 3}


def broken_step(day: date) -> None:
    raise RuntimeError("disk penuh")


@pytest.mark.django_db
def test_it_runs_a_phase_once_per_date_and_records_each_steps_result(only_steps: Any) -> None:
    calls: list[date] = []
    only_steps(
        "reconcile", ("first", lambda day: calls.append(day) or {"n": 1}), ("second", ok_step)
    )

    run = phases.run_phase(MONDAY, "reconcile", by="host-a:1")
    again = phases.run_phase(MONDAY, "reconcile", by="host-b:2")

    assert run is not None and run.status == Status.SUCCEEDED
    assert again is None
    assert calls == [MONDAY]
    assert run.result["steps"]["first"]["value"] == {"n": 1}
    assert run.result["steps"]["second"]["ok"] is True
    assert run.claimed_by == "host-a:1" and run.finished_at is not None
    assert PhaseRun.objects.filter(date=MONDAY, phase="reconcile").count() == 1


@pytest.mark.django_db
def test_it_marks_the_run_failed_but_still_runs_the_other_steps(only_steps: Any) -> None:
    only_steps("close", ("backup", broken_step), ("evaluation", ok_step))

    run = phases.run_phase(MONDAY, "close")

    assert run is not None and run.status == Status.FAILED
    assert "disk penuh" in run.error
    assert run.result["steps"]["backup"]["ok"] is False
    assert run.result["steps"]["evaluation"]["value"] == {"counted": 3}


@pytest.mark.django_db
def test_it_fails_a_step_that_reports_ok_false(only_steps: Any) -> None:
    only_steps("close", ("verify", lambda day: {"ok": False, "message": "jumlah baris berbeda"}))

    run = phases.run_phase(MONDAY, "close")

    assert run is not None and run.status == Status.FAILED
    assert "jumlah baris berbeda" in run.error


@pytest.mark.django_db
def test_it_gives_a_phase_to_only_one_of_two_claimers() -> None:
    first = phases.claim(MONDAY, "prepare", by="host-a:1")
    second = phases.claim(MONDAY, "prepare", by="host-b:2")

    assert first is not None and first.status == Status.RUNNING
    assert second is None
    assert PhaseRun.objects.get(date=MONDAY, phase="prepare").claimed_by == "host-a:1"


@pytest.mark.django_db
def test_it_lets_another_worker_take_over_a_run_whose_worker_died(only_steps: Any) -> None:
    only_steps("prepare", ("health", ok_step))
    dead = phases.claim(MONDAY, "prepare", by="host-a:1")
    assert dead is not None
    # Still alive a minute later: nobody may take it.
    assert (
        phases.claim(MONDAY, "prepare", by="host-b:2", now=timezone.now() + timedelta(minutes=1))
        is None
    )

    later = timezone.now() + phases.STALE_AFTER + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        run = phases.run_phase(MONDAY, "prepare", by="host-b:2")

    assert run is not None and run.status == Status.SUCCEEDED
    assert run.claimed_by == "host-b:2" and run.attempts == 2


@pytest.mark.django_db
def test_it_hands_an_interrupted_phase_back_and_does_not_repeat_finished_steps(
    only_steps: Any,
) -> None:
    calls: list[str] = []
    only_steps(
        "close",
        ("close_days", lambda day: calls.append("close_days")),
        ("backup", lambda day: calls.append("backup")),
    )
    stop = {"now": False}

    def first_step_then_stop(day: date) -> None:
        calls.append("close_days")
        stop["now"] = True  # SIGTERM arrives while the first step runs

    phases.register_step("close", "close_days", first_step_then_stop, order=0)
    with pytest.raises(phases.StopRequested):
        phases.run_phase(MONDAY, "close", by="host-a:1", should_stop=lambda: stop["now"])
    handed_back = PhaseRun.objects.get(date=MONDAY, phase="close")
    assert handed_back.status == Status.PENDING
    assert handed_back.result["steps"]["close_days"]["ok"] is True

    run = phases.run_phase(MONDAY, "close", by="host-b:2")

    assert run is not None and run.status == Status.SUCCEEDED
    assert calls == ["close_days", "backup"]


@pytest.mark.django_db
def test_it_reruns_a_finished_phase_only_when_forced_and_keeps_the_history(
    only_steps: Any,
) -> None:
    only_steps("close", ("backup", broken_step))
    failed = phases.run_phase(MONDAY, "close")
    assert failed is not None and failed.status == Status.FAILED
    only_steps("close", ("backup", ok_step))

    assert phases.run_phase(MONDAY, "close") is None
    run = phases.run_phase(MONDAY, "close", force=True, requested_by="tim-it")

    assert run is not None and run.status == Status.SUCCEEDED and run.error == ""
    assert run.attempts == 2
    assert run.history[0]["status"] == "failed"
    assert "disk penuh" in run.history[0]["error"]
    assert run.history[0]["rerun_by"] == "tim-it"


@pytest.mark.django_db
def test_it_times_the_phases_from_the_schedules_in_force(employee: Any) -> None:
    times = phase_times(MONDAY)  # NASIONAL-5H: Monday 07:30–16:00 WITA

    wita = timezone.get_fixed_timezone(8 * 60)
    assert times.prepare_at == datetime(2026, 11, 30, 7, 0, tzinfo=wita)
    assert times.reconcile_at == datetime(2026, 11, 30, 16, 0, tzinfo=wita)
    assert times.close_at == datetime(2026, 11, 30, 16, 30, tzinfo=wita)
    # Settled when check-out closes (18:00), not at the close phase: TK/PSW4 exist only then.
    assert times.settle_at == datetime(2026, 11, 30, 18, 0, tzinfo=wita)
    assert times.employees == 1 and times.schedules == 1


@pytest.mark.django_db
def test_it_times_the_phases_by_the_earliest_start_and_the_last_end(employee: Any) -> None:
    from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule
    from tests.conftest import make_employee

    early = WorkSchedule.objects.create(code="PAGI-6", name="Pagi")
    ScheduleDay.objects.create(
        schedule=early,
        weekday=0,
        start=time(6, 0),
        end=time(18, 30),
        check_in_opens=time(5, 0),
        check_out_closes=time(20, 0),
    )
    nurse = make_employee(employee.unit, "199505052020122001", "Perawat Jaga")
    ScheduleAssignment.objects.create(schedule=early, employee=nurse, valid_from=date(2026, 1, 1))

    times = phase_times(MONDAY)

    wita = timezone.get_fixed_timezone(8 * 60)
    assert times.prepare_at == datetime(2026, 11, 30, 5, 30, tzinfo=wita)
    assert times.close_at == datetime(2026, 11, 30, 19, 0, tzinfo=wita)
    assert times.settle_at == datetime(2026, 11, 30, 20, 0, tzinfo=wita)
    assert times.schedules == 2 and times.employees == 2


@pytest.mark.django_db
def test_it_still_runs_the_phases_on_a_day_nobody_works(employee: Any) -> None:
    times = phase_times(SUNDAY)

    assert times.schedules == 0 and times.employees == 0
    assert times.prepare_at < times.reconcile_at < times.close_at < times.settle_at


@pytest.mark.django_db
def test_the_worker_runs_only_the_phases_that_are_due_and_beats(
    employee: Any, only_steps: Any
) -> None:
    for phase in phases.PHASES:
        only_steps(phase, ("noop", ok_step))
    worker = Worker(log=lambda text: None)
    # Monday 07:10 WITA: Sunday's phases and Monday's prepare (07:00) are due.
    with time_machine.travel(datetime(2026, 11, 29, 23, 10, tzinfo=UTC), tick=False):
        ran = worker.tick()
        assert worker.tick() == []

    assert {(run.date, run.phase) for run in ran} == {
        (SUNDAY, "prepare"),
        (SUNDAY, "reconcile"),
        (SUNDAY, "close"),
        (SUNDAY, "settle"),
        (MONDAY, "prepare"),
    }
    pending = PhaseRun.objects.get(date=MONDAY, phase="close")
    assert pending.status == Status.PENDING
    assert pending.due_at == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    beat = WorkerHeartbeat.objects.get(name=worker.name)
    assert beat.last_beat == datetime(2026, 11, 29, 23, 10, tzinfo=UTC)


@pytest.mark.django_db
def test_the_worker_runs_a_rerun_asked_for_on_the_page(employee: Any, only_steps: Any) -> None:
    for phase in phases.PHASES:
        only_steps(phase, ("noop", ok_step))
    old = date(2026, 11, 20)
    phases.run_phase(old, "close")
    phases.request_rerun(old, "close", by="admin-it")

    # A fixed clock: the real date's phases (backups, partitions) are not this test's concern.
    with time_machine.travel(datetime(2026, 11, 30, 3, 0, tzinfo=UTC), tick=False):
        ran = Worker(log=lambda text: None).tick()

    assert [(run.date, run.phase) for run in ran if run.date == old] == [(old, "close")]
    run = PhaseRun.objects.get(date=old, phase="close")
    assert run.attempts == 2 and run.requested_at is None
    assert run.history[-1]["rerun_by"] == "admin-it"


@pytest.mark.django_db(transaction=True)
def test_it_gives_a_phase_to_one_of_many_concurrent_workers(only_steps: Any) -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def counted(day: date) -> None:
        with lock:
            calls.append(threading.current_thread().name)

    only_steps("close", ("count", counted))
    barrier = threading.Barrier(4)
    results: list[Any] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            results.append(phases.run_phase(MONDAY, "close", by=name))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(f"w{n}",), name=f"w{n}") for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(calls) == 1
    assert sum(1 for result in results if result is not None) == 1
    assert PhaseRun.objects.get(date=MONDAY, phase="close").status == Status.SUCCEEDED
