"""``govem worker`` as a process: it beats, runs due phases, and SIGTERM ends it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from govem.operations.models import PhaseRun, WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_worker_once_runs_the_due_phases_and_records_its_beat(employee: Any, capsys: Any) -> None:
    call_command("worker", "--once")

    # Whatever the hour, yesterday's three phases are due; none runs twice.
    assert PhaseRun.objects.filter(status__in=["succeeded", "failed"]).count() >= 3
    beat = WorkerHeartbeat.objects.get()
    assert beat.stopped_at is not None
    assert "berhenti" in capsys.readouterr().out


def test_sigterm_stops_the_worker_cleanly(employee: Any) -> None:
    env = dict(os.environ, DATABASE_URL=_database_url(), GOVEM_DATA_DIR=str(settings.DATA_DIR))
    process = subprocess.Popen(
        [sys.executable, "-m", "govem.cli", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            beat = WorkerHeartbeat.objects.filter(pid=process.pid).first()
            if beat is not None and PhaseRun.objects.filter(status="succeeded").exists():
                break
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0, output
    assert "SIGTERM" in output and "berhenti" in output
    beat = WorkerHeartbeat.objects.get(pid=process.pid)
    assert beat.stopped_at is not None
    assert not PhaseRun.objects.filter(status="running").exists()
