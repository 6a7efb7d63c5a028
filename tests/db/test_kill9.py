"""An acknowledged check-in survives kill -9 of the whole server, group commit or not.

A real `govem serve` (2 processes × 8 threads, so check-ins are committed in groups) on
SQLite takes a rush of check-ins; the process group is killed with SIGKILL in the middle
of it. Every receipt a client received must then be in the database with its id and
receipt code — a receipt is sent only after the COMMIT that holds it (WAL,
``synchronous=FULL``).
"""

from __future__ import annotations

import http.client
import os
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.live_servers import GOVEM, environment, free_port, prepare, punch, wait_ready

pytestmark = pytest.mark.server


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite's own commit path")
def test_every_acknowledged_check_in_survives_kill_minus_nine() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="govem-kill9-"))
    env = {key: value for key, value in environment(data_dir).items() if key != "DATABASE_URL"}
    setup = prepare(data_dir, employees=240)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (data_dir / "serve.log").open("ab")
    server = subprocess.Popen(
        [GOVEM, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "8"],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    acknowledged: list[dict[str, Any]] = []
    lock = threading.Lock()
    tokens = iter(setup["tokens"])
    try:
        wait_ready(base, server, timeout=60)

        def client() -> None:
            while True:
                with lock:
                    token = next(tokens, None)
                if token is None:
                    return
                try:
                    answer = punch(base, token, key=str(uuid.uuid4()), timeout=5)
                except (OSError, http.client.HTTPException, ValueError):
                    # The server is gone (refused, reset, or killed mid-answer: a truncated
                    # body or JSON): this punch was never acknowledged.
                    return
                if "receipt" in answer:
                    with lock:
                        acknowledged.append(answer)

        clients = [threading.Thread(target=client, daemon=True) for _ in range(16)]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.killpg(server.pid, signal.SIGKILL)  # mid-rush: master and workers at once
        server.wait(timeout=10)
        for thread in clients:
            thread.join(timeout=15)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    assert len(acknowledged) >= 60
    assert len(acknowledged) < len(setup["tokens"]), "the kill came after the rush"
    with sqlite3.connect(data_dir / "govem.sqlite3") as db:
        stored = dict(db.execute("SELECT id, receipt FROM attendance_punch").fetchall())
    missing = [a for a in acknowledged if stored.get(a["id"]) != a["receipt"]]
    assert not missing, f"{len(missing)} acknowledged check-ins lost: {missing[:3]}"
