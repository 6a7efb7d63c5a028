"""``govem worker``: the loop that runs the SOP day (DESIGN §5).

Each tick: beat the heartbeat row, run the phases of yesterday and today that are due and
not done (claimed in the ledger, so two workers never run one twice) — never for a date
before the counting start, so the first tick after go-live books nothing — run re-runs asked for
on the operations page, then the per-tick hooks (reminders that depend on each employee's own
hours, the outbox). SIGTERM/SIGINT set a flag: the step in progress finishes, the phase is
handed back to the ledger (its finished steps are kept) and the loop exits.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django.utils import timezone

from govem.operations import golive, phases
from govem.operations.models import PhaseRun, WorkerHeartbeat
from govem.operations.timing import PhaseTimes, phase_times

logger = logging.getLogger("govem.worker")
TIMES_TTL_S = 300.0

_TICK_HOOKS: dict[str, Callable[[], Any]] = {}


def register_tick(name: str, func: Callable[[], Any]) -> None:
    """Call ``func()`` on every worker tick (after the phases); replaces a hook of that name."""
    _TICK_HOOKS[name] = func


def _default_hooks() -> dict[str, Callable[[], Any]]:
    hooks: dict[str, Callable[[], Any]] = {}
    if importlib.util.find_spec("govem.notify.reminders") is not None:
        # notify imports operations too: local, so neither app loads the other at import
        from govem.notify import reminders

        if hasattr(reminders, "tick"):
            hooks["notify.reminders"] = reminders.tick
    if importlib.util.find_spec("govem.notify.outbox") is not None:
        # notify imports operations too: local, so neither app loads the other at import
        from govem.notify import outbox

        if hasattr(outbox, "send_due"):
            hooks["notify.outbox"] = outbox.send_due
    return hooks


def tick_hooks() -> dict[str, Callable[[], Any]]:
    return {**_default_hooks(), **_TICK_HOOKS}


class Worker:
    def __init__(self, *, interval: float = 5.0, log: Callable[[str], None] | None = None) -> None:
        self.interval = interval
        self.name = phases.worker_id()
        self.stop = threading.Event()
        self.log = log or logger.info
        self._times: dict[Any, tuple[float, PhaseTimes]] = {}
        self._started = timezone.now()

    # --- signals and heartbeat ----------------------------------------------------------

    def install_signals(self) -> None:
        def handler(signum: int, frame: FrameType | None) -> None:
            self.log(f"Sinyal {signal.Signals(signum).name}: menyelesaikan langkah lalu berhenti.")
            self.stop.set()
            signal.signal(signum, signal.SIG_DFL)  # a second signal ends it at once

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def beat(self, *, stopped: bool = False) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            name=self.name,
            defaults={
                "host": socket.gethostname()[:100],
                "pid": os.getpid(),
                "started_at": self._started,
                "last_beat": now,
                "stopped_at": now if stopped else None,
            },
        )

    # --- the day's phases ---------------------------------------------------------------

    def times(self, day: Any) -> PhaseTimes:
        cached = self._times.get(day)
        if cached is None or time.monotonic() - cached[0] > TIMES_TTL_S:
            cached = (time.monotonic(), phase_times(day))
            self._times = {key: value for key, value in self._times.items() if key >= day} | {
                day: cached
            }
        return cached[1]

    def _run(self, day: Any, phase: str) -> PhaseRun | None:
        self.log(f"Fase {phase} {day} dimulai.")
        run = phases.run_phase(day, phase, by=self.name, should_stop=self.stop.is_set)
        if run is not None:
            self.log(f"Fase {phase} {day}: {run.status}. {run.error}".strip())
        return run

    def due_phases(self, now: datetime) -> list[tuple[Any, str]]:
        today = timezone.localdate(now)
        starts = golive.regency_start()
        due = []
        for day in (today - timedelta(days=1), today):
            if day < starts:
                continue
            times = self.times(day)
            for phase in phases.PHASES:
                run = phases.ensure_run(day, phase, times.due(phase))
                finished = run.status in (PhaseRun.Status.SUCCEEDED, PhaseRun.Status.FAILED)
                if run.requested_at is None and (finished or now < times.due(phase)):
                    continue
                due.append((day, phase))
        return due

    def tick(self, now: datetime | None = None) -> list[PhaseRun]:
        now = now or timezone.now()
        self.beat()
        ran: list[PhaseRun] = []
        try:
            wanted = self.due_phases(now)
            wanted += [
                (run.date, run.phase)
                for run in phases.requested_runs()
                if (run.date, run.phase) not in wanted
            ]
            for day, phase in wanted:
                if self.stop.is_set():
                    break
                run = self._run(day, phase)
                if run is not None:
                    ran.append(run)
                self.beat()
        except phases.StopRequested:
            self.log("Fase diserahkan kembali ke antrean; worker berhenti.")
            return ran
        for name, hook in tick_hooks().items():
            if self.stop.is_set():
                break
            try:
                hook()
            except Exception:
                logger.exception("worker hook %s failed", name)
        return ran

    def run(self, *, once: bool = False) -> None:
        self.log(f"Worker {self.name} berjalan (jeda {self.interval:g} detik).")
        try:
            while not self.stop.is_set():
                close_old_connections()  # like a request: a fresh connection if it was lost
                try:
                    self.tick()
                except Exception:
                    # A database outage must not end the loop; the next tick tries again.
                    logger.exception("worker tick failed")
                    close_old_connections()
                if once:
                    break
                self.stop.wait(self.interval)
        finally:
            try:
                self.beat(stopped=True)
            except Exception:
                logger.exception("could not record the worker's stop")
            close_old_connections()
        self.log(f"Worker {self.name} berhenti.")
