"""Group commit for SQLite: the check-ins of one process that wait together commit together.

On SQLite every commit is an fsync of the WAL (``synchronous=FULL``: a receipt is a
promise), and a commit holds the single writer lock while the disk flushes — 2–10 ms on
this project's machines, which alone caps SQLite at a few hundred commits per second
whatever the CPU. PostgreSQL groups concurrent commits into one WAL flush by itself;
SQLite does not, so :func:`write` does it for the hot path:

- A thread with a unit of work (a function that runs statements on *the current thread's*
  connection) queues it. If no thread of this process is writing, it becomes the leader:
  it opens the write transaction (``BEGIN IMMEDIATE``, after the writer queue of
  :mod:`govem.db.sqlite3`), takes every unit queued by then, runs each in its own
  SAVEPOINT (one failing unit rolls back only itself), and COMMITs once.
- The other threads wait; each gets its own result (or its own exception) only **after**
  that COMMIT returned, so nothing is acknowledged before it is durable. The next leader is
  the first waiter whose unit was not in the batch.

A unit runs in its caller's :mod:`contextvars` context (active language, time zone, audit
actor) on the leader's connection. Alone in its batch it runs without a SAVEPOINT, so a
single-threaded caller sends exactly the statements it would send in ``atomic()``. Inside
an open transaction (tests, a caller's ``atomic``), or on PostgreSQL, :func:`write` is just
``atomic()``.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import connection, transaction

T = TypeVar("T")


@dataclass
class _Unit:
    work: Callable[[], Any]
    context: contextvars.Context
    done: bool = False
    result: Any = None
    error: BaseException | None = None
    tentative: Any = field(default=None, repr=False)


@dataclass
class Stats:
    """Batches and units since start (per process): how much grouping happened."""

    batches: int = 0
    units: int = 0
    largest: int = 0


class _Group:
    def __init__(self) -> None:
        self.cond = threading.Condition(threading.Lock())
        self.pending: list[_Unit] = []
        self.leading = False
        self.stats = Stats()

    def run(self, work: Callable[[], T]) -> T:
        unit = _Unit(work, contextvars.copy_context())
        with self.cond:
            self.pending.append(unit)
            while self.leading and not unit.done:
                self.cond.wait()
            if not unit.done:
                self.leading = True
        if not unit.done:
            try:
                self._lead()
            finally:
                with self.cond:
                    self.leading = False
                    self.cond.notify_all()
        if unit.error is not None:
            raise unit.error
        return cast("T", unit.result)

    def _take(self) -> list[_Unit]:
        with self.cond:
            batch, self.pending = self.pending, []
        return batch

    def _lead(self) -> None:
        batch: list[_Unit] = []
        try:
            with transaction.atomic():
                # Taken once the writer lock is ours: whoever queued while we waited for
                # it rides along.
                batch = self._take()
                if len(batch) == 1:
                    batch[0].tentative = batch[0].context.run(batch[0].work)
                else:
                    for unit in batch:
                        try:
                            with transaction.atomic():  # a SAVEPOINT
                                unit.tentative = unit.context.run(unit.work)
                        except Exception as error:  # handed to its caller
                            unit.error = error
        except BaseException as error:
            if not batch:
                batch = self._take()
            for unit in batch:
                unit.error = unit.error or error
        else:
            for unit in batch:
                if unit.error is None:
                    unit.result = unit.tentative
        finally:
            for unit in batch:
                unit.done = True
                unit.tentative = None
            self.stats.batches += 1 if batch else 0
            self.stats.units += len(batch)
            self.stats.largest = max(self.stats.largest, len(batch))


_groups: dict[str, _Group] = {}
_groups_lock = threading.Lock()


def _group(alias: str) -> _Group:
    with _groups_lock:
        return _groups.setdefault(alias, _Group())


def stats(alias: str = "default") -> Stats:
    return _group(alias).stats


def write(work: Callable[[], T]) -> T:
    """Run ``work`` in a write transaction, committed together with other threads' work."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            return work()
    return _group(connection.alias).run(work)
