"""SQLite's group commit and writer queue (govem.db): real threads, real transactions."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as PlainSQLite

from govem.db import group_commit
from tests.helpers.threads import in_threads

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL groups its commits itself"
    ),
]

LATER = datetime.now(UTC) + timedelta(days=1)


def store(key: str) -> str:
    Session.objects.create(session_key=key, session_data="x", expire_date=LATER)
    return key


def hold_first_batch(waiting: int) -> tuple[threading.Event, Any]:
    """A unit of work that keeps the write transaction open until ``waiting`` others queued."""
    group = group_commit._group("default")
    opened = threading.Event()

    def first() -> str:
        opened.set()
        deadline = time.monotonic() + 20
        while len(group.pending) < waiting and time.monotonic() < deadline:
            time.sleep(0.005)
        return store("first")

    return opened, first


def test_units_that_wait_together_commit_together_each_with_its_own_result() -> None:
    before = group_commit.stats().batches
    opened, first = hold_first_batch(waiting=6)

    def work(index: int) -> str:
        if index == 0:
            return group_commit.write(first)
        opened.wait(10)
        return group_commit.write(lambda: store(f"unit-{index}"))

    results = in_threads(7, work)
    assert results == ["first", *(f"unit-{i}" for i in range(1, 7))]
    assert Session.objects.count() == 7
    stats = group_commit.stats()
    assert stats.largest >= 6  # the six that queued behind the first went in one batch
    assert stats.batches - before == 2


def test_a_failing_unit_rolls_back_alone_and_gets_its_own_error() -> None:
    opened, first = hold_first_batch(waiting=3)

    def failing() -> str:
        store("doomed")
        raise ValueError("refused")

    def work(index: int) -> str:
        if index == 0:
            return group_commit.write(first)
        opened.wait(10)
        if index == 2:
            return group_commit.write(failing)
        return group_commit.write(lambda: store(f"unit-{index}"))

    results = in_threads(4, work)
    assert results[0] == "first" and results[1] == "unit-1" and results[3] == "unit-3"
    assert isinstance(results[2], ValueError)
    assert set(Session.objects.values_list("session_key", flat=True)) == {
        "first",
        "unit-1",
        "unit-3",
    }


def test_a_failed_commit_fails_every_unit_of_its_batch_and_acknowledges_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened, first = hold_first_batch(waiting=2)
    plain = PlainSQLite._commit
    failed = []

    def broken_commit(self: Any) -> Any:
        if not failed:
            failed.append(True)
            self.connection.rollback()
            raise OSError("disk full")
        return plain(self)

    monkeypatch.setattr(PlainSQLite, "_commit", broken_commit)

    def work(index: int) -> str:
        if index == 0:
            return group_commit.write(first)
        opened.wait(10)
        return group_commit.write(lambda: store(f"unit-{index}"))

    results = in_threads(3, work)
    failed_batch = [r for r in results if isinstance(r, OSError)]
    assert len(failed_batch) >= 1 and isinstance(results[0], OSError)
    stored = set(Session.objects.values_list("session_key", flat=True))
    # Every unit that was told "stored" is stored; none that got the error is.
    assert stored == {r for r in results if isinstance(r, str)}


def test_a_single_caller_sends_no_savepoint() -> None:
    connection.force_debug_cursor = True
    try:
        connection.queries_log.clear()
        group_commit.write(lambda: store("alone"))
        sql = [q["sql"] for q in connection.queries]
    finally:
        connection.force_debug_cursor = False
    assert sql[0] == "BEGIN IMMEDIATE" and sql[-1] == "COMMIT", sql
    assert not [s for s in sql if "SAVEPOINT" in s], sql


def test_a_writer_in_another_process_is_waited_for_in_the_kernel_not_refused() -> None:
    name = connection.settings_dict["NAME"]
    # The with block closes the holder's stdout pipe (and waits for it) when done.
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({f'{name}-writer.lock'!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(1.0)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            started = time.monotonic()
            results = in_threads(1, lambda _: group_commit.write(lambda: store("after")))
            waited = time.monotonic() - started
        finally:
            holder.wait(timeout=10)
    assert results == ["after"]
    assert 0.5 < waited < 5  # it waited for the other process, then went straight in
