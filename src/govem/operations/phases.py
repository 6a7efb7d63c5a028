"""The SOP day's three phases: their steps (a registry other apps add to) and how one runs.

- ``prepare`` 30 minutes before the earliest start of the date's schedules (SOP step 1),
- ``reconcile`` at the last end (SOP step 5),
- ``close`` 30 minutes after the last end (SOP step 6),
- ``settle`` once the last check-out window of the date has closed: the day is settled (TK,
  PSW4, TL4 booked, a clarification case for every gap), its report re-drafted and the backup
  that carries the date taken.

No phase runs for a date before the regency's counting start (go-live).

A run is a :class:`~govem.operations.models.PhaseRun` row, unique per (date, phase), claimed
with one conditional UPDATE (pending → running, or running with a stale heartbeat → running),
so two workers never run the same phase of a date and a worker that died is taken over. Each
step's outcome is saved as soon as the step ends; a failing step marks the run failed but the
others still run. A run taken over after an interruption skips the steps that already
succeeded; a forced re-run (``govem run-phase --force``, the operations page) runs them all.

Other apps register their steps in their ``AppConfig.ready``::

    from govem.operations.phases import register_step
    register_step("prepare", "pengingat", my_func)   # my_func(day: date) -> dict | None
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.accounts import audit
from govem.errors import DomainError
from govem.operations.golive import regency_start
from govem.operations.models import PhaseRun

logger = logging.getLogger(__name__)

Phase = PhaseRun.Phase
Status = PhaseRun.Status
PHASES: tuple[str, ...] = (Phase.PREPARE, Phase.RECONCILE, Phase.CLOSE, Phase.SETTLE)
STALE_AFTER = timedelta(minutes=10)  # a running phase without a heartbeat this long is dead
HEARTBEAT_EVERY_S = 30.0

StepFunc = Callable[[date], Any]


@dataclass(frozen=True)
class Step:
    phase: str
    name: str
    func: StepFunc
    order: int
    label: str = ""


_STEPS: dict[tuple[str, str], Step] = {}


def register_step(
    phase: str, name: str, func: StepFunc, *, order: int = 100, label: str = ""
) -> None:
    """Add (or replace, by name) a step of ``phase``; steps run by ``order``, then name.

    ``func(day)`` returns something JSON-able (a dict, or an object with ``as_dict()``);
    a dict with ``"ok": False`` (and a ``"message"``) marks the step failed without raising.
    ``label`` is the Indonesian name shown on the operations page.
    """
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; one of {', '.join(PHASES)}")
    _STEPS[(phase, name)] = Step(phase=phase, name=name, func=func, order=order, label=label)


def steps_for(phase: str) -> list[Step]:
    return sorted(
        (step for step in _STEPS.values() if step.phase == phase),
        key=lambda step: (step.order, step.name),
    )


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class StopRequested(Exception):
    """Raised between steps when the worker was asked to stop (SIGTERM)."""


def ensure_run(day: date, phase: str, due_at: datetime | None = None) -> PhaseRun:
    """The ledger row for (day, phase), created pending if missing (insert-on-conflict)."""
    run = PhaseRun.objects.filter(date=day, phase=phase).first()
    if run is None:
        try:
            with transaction.atomic():
                run = PhaseRun.objects.create(date=day, phase=phase, due_at=due_at)
        except IntegrityError:
            run = PhaseRun.objects.get(date=day, phase=phase)
    elif (
        due_at is not None
        and run.due_at != due_at
        and (run.due_at is None or run.status == Status.PENDING)
    ):
        PhaseRun.objects.filter(pk=run.pk).update(due_at=due_at)
        run.due_at = due_at
    return run


def claim(
    day: date, phase: str, *, by: str, force: bool = False, now: datetime | None = None
) -> PhaseRun | None:
    """Take (day, phase) for ``by``; ``None`` when it is done, or running elsewhere and alive.

    One conditional UPDATE decides: of two workers only one sees a changed row.
    """
    now = now or timezone.now()
    run = ensure_run(day, phase)
    claimable = Q(status=Status.PENDING) | Q(status=Status.RUNNING, heartbeat__lt=now - STALE_AFTER)
    if force:
        claimable |= Q(status__in=[Status.SUCCEEDED, Status.FAILED])
    changed = (
        PhaseRun.objects.filter(pk=run.pk)
        .filter(claimable)
        .update(
            status=Status.RUNNING,
            claimed_by=by,
            claimed_at=now,
            heartbeat=now,
            finished_at=None,
            attempts=F("attempts") + 1,
        )
    )
    if not changed:
        return None
    return PhaseRun.objects.get(pk=run.pk)


def _still_mine(run: PhaseRun) -> Any:
    return PhaseRun.objects.filter(pk=run.pk, status=Status.RUNNING, claimed_by=run.claimed_by)


@contextmanager
def _heartbeat(run: PhaseRun) -> Iterator[None]:
    """Keep the claim alive from a thread while a long step (a backup) runs."""
    done = threading.Event()

    def beat() -> None:
        try:
            while not done.wait(HEARTBEAT_EVERY_S):
                _still_mine(run).update(heartbeat=timezone.now())
        finally:
            close_old_connections()

    thread = threading.Thread(target=beat, name=f"heartbeat-{run.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=5)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        return _jsonable(as_dict())
    return str(value)


def _run_step(step: Step, day: date) -> dict[str, Any]:
    started = time.monotonic()
    outcome: dict[str, Any] = {
        "label": step.label or step.name,
        "started_at": timezone.now().isoformat(),
    }
    try:
        value = step.func(day)
    except Exception as exc:
        logger.exception("phase step %s/%s failed for %s", step.phase, step.name, day)
        outcome.update(ok=False, error=f"{type(exc).__name__}: {exc}")
        outcome["trace"] = traceback.format_exc(limit=6)[-2000:]
    else:
        value = _jsonable(value)
        failed = isinstance(value, dict) and value.get("ok") is False
        outcome.update(ok=not failed, value=value)
        if failed:
            outcome["error"] = str(value.get("message") or "langkah melaporkan kegagalan")
    outcome["seconds"] = round(time.monotonic() - started, 3)
    return outcome


def execute(
    run: PhaseRun, *, should_stop: Callable[[], bool] = lambda: False, rerun_all: bool = False
) -> PhaseRun:
    """Run the claimed ``run``'s steps; save each outcome; finish succeeded or failed.

    If ``should_stop()`` turns true between steps, the run is handed back (pending) and
    :class:`StopRequested` is raised; steps already done are not repeated by the next claim.
    """
    result: dict[str, Any] = dict(run.result or {})
    previous = {} if rerun_all else dict(result.get("steps", {}))
    steps: dict[str, Any] = {}
    with _heartbeat(run):
        for step in steps_for(run.phase):
            if previous.get(step.name, {}).get("ok"):
                steps[step.name] = previous[step.name]
                continue
            if should_stop():
                result["steps"] = {**previous, **steps}
                _still_mine(run).update(
                    status=Status.PENDING, result=result, heartbeat=timezone.now()
                )
                raise StopRequested
            steps[step.name] = _run_step(step, run.date)
            result["steps"] = steps
            _still_mine(run).update(result=result, heartbeat=timezone.now())
    failed = [name for name, outcome in steps.items() if not outcome.get("ok")]
    result["steps"] = steps
    status = Status.FAILED if failed else Status.SUCCEEDED
    error = "; ".join(f"{name}: {steps[name].get('error', '')}" for name in failed)
    now = timezone.now()
    _still_mine(run).update(
        status=status, result=result, error=error, finished_at=now, heartbeat=now
    )
    run.refresh_from_db()
    return run


def run_phase(
    day: date,
    phase: str,
    *,
    by: str | None = None,
    force: bool = False,
    requested_by: str = "",
    should_stop: Callable[[], bool] = lambda: False,
) -> PhaseRun | None:
    """Claim and run (day, phase); ``None`` if it is done or another worker has it.

    ``force`` re-runs a finished phase from the first step and keeps the previous outcome in
    the row's history (who asked, when, what it was).
    """
    by = by or worker_id()
    refuse_before_counting_start(day)
    run = ensure_run(day, phase)
    was_finished = run.status in (Status.SUCCEEDED, Status.FAILED)
    forced = force or run.requested_at is not None
    claimed = claim(day, phase, by=by, force=forced)
    if claimed is None:
        return None
    if was_finished or run.requested_at is not None:
        entry = {
            "status": run.status,
            "claimed_by": run.claimed_by,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "error": run.error[:500],
            "rerun_by": requested_by or run.requested_by or by,
            "rerun_at": timezone.now().isoformat(),
        }
        history = [*(run.history or []), entry][-20:]
        PhaseRun.objects.filter(pk=claimed.pk).update(
            history=history, requested_at=None, requested_by="", error=""
        )
        claimed.history, claimed.requested_at, claimed.error = history, None, ""
    return execute(claimed, should_stop=should_stop, rerun_all=forced)


def refuse_before_counting_start(day: date) -> None:
    """No phase runs for a date before the go-live: it would book nothing, or backfill."""

    starts = regency_start()
    if day < starts:
        raise DomainError(
            "not_counted",
            _(
                "Tanggal %(day)s sebelum mulai penghitungan presensi (%(starts)s); "
                "fase harian tidak dijalankan untuk tanggal itu."
            )
            % {"day": f"{day:%d-%m-%Y}", "starts": f"{starts:%d-%m-%Y}"},
            status=409,
            details={"date": day.isoformat(), "counting_starts": starts.isoformat()},
        )


def request_rerun(day: date, phase: str, *, by: str) -> PhaseRun:
    """Ask the worker to run (day, phase) again at its next tick (the operations page)."""

    if phase not in PHASES:
        raise DomainError("invalid_input", _("Fase tidak dikenal."), details={"field": "phase"})
    refuse_before_counting_start(day)
    run = ensure_run(day, phase)
    now = timezone.now()
    with transaction.atomic():
        changed = (
            PhaseRun.objects.filter(pk=run.pk)
            .filter(~Q(status=Status.RUNNING) | Q(heartbeat__lt=now - STALE_AFTER))
            .update(requested_by=by[:150], requested_at=now)
        )
        if not changed:
            raise DomainError(
                "phase_running", _("Fase ini sedang berjalan; tunggu sampai selesai."), status=409
            )
        run.refresh_from_db()
        audit.record(
            action=audit.Action.PHASE_RERUN_REQUESTED,
            instance=run,
            after={"date": day.isoformat(), "phase": phase, "previous_status": run.status},
        )
    return run


def requested_runs() -> list[PhaseRun]:
    """Re-runs asked for by hand that no worker has picked up yet."""
    return list(
        PhaseRun.objects.filter(requested_at__isnull=False)
        .exclude(status=Status.RUNNING)
        .order_by("requested_at")
    )
