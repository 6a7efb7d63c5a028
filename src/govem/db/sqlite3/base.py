"""Django's SQLite backend with a writer queue the kernel keeps (issue 12).

SQLite has one writer. When a second ``BEGIN IMMEDIATE`` finds the write lock taken, SQLite's
busy handler *sleeps* and retries (1, 2, 5, 10 … up to 100 ms between tries), so under a
morning rush a check-in that arrives a moment after another waits tens of milliseconds for a
lock that was free again after two, and the unlucky ones wait seconds (p99). Here every
write transaction first takes an exclusive ``flock`` on a file beside the database (one
open file per process; a thread lock in front of it, because ``flock`` is per open file and
not per thread): a waiter sleeps in the kernel and wakes the moment the holder commits or
rolls back. A process that dies while holding it (kill -9) releases it with its files.

Durability is unchanged: the lock is released only after SQLite's COMMIT returned (WAL,
``synchronous=FULL``). Writes outside a transaction (autocommit statements) do not take the
queue and still meet SQLite's own busy handler; the hot paths write inside ``atomic``.
"""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base

_guard = threading.Lock()
_queues: dict[tuple[int, str], tuple[threading.Lock, int]] = {}


def _queue(name: str) -> tuple[threading.Lock, int]:
    """This process's thread lock and open lock file for the database file ``name``."""
    key = (os.getpid(), name)  # a forked worker opens its own: flock is per open file
    with _guard:
        found = _queues.get(key)
        if found is None:
            fd = os.open(f"{name}-writer.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            found = _queues[key] = (threading.Lock(), fd)
    return found


class DatabaseWrapper(base.DatabaseWrapper):
    _queued = False

    def _queue(self) -> tuple[threading.Lock, int] | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return _queue(name)

    def _start_transaction_under_autocommit(self) -> None:
        queue = self._queue()
        if queue is not None and not self._queued:
            lock, fd = queue
            lock.acquire()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                lock.release()
                raise
            self._queued = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._queued:
            self._queued = False
            queue = self._queue()
            if queue is not None:
                lock, fd = queue
                fcntl.flock(fd, fcntl.LOCK_UN)
                lock.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._leave_queue()
