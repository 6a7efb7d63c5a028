"""Two app nodes on a real PostgreSQL primary and its streaming replica (DESIGN §6).

One throwaway cluster (tests/pgcluster.py), two ``govem serve`` nodes with their own data
dirs, two ``govem worker`` processes. It checks what a province's deployment relies on: a
punch on node A is in node B's feed; a file uploaded on A downloads on B (nothing on A's
disk); each phase of a date runs once across both workers; a report on B comes from the
replica and equals the primary's; killing node A in the middle of a rush loses no
acknowledged punch while B keeps serving.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from tests.helpers.files import image_bytes
from tests.helpers.live_servers import GOVEM, SETUP, punch, wait_ready
from tests.pgcluster import Cluster, free_port, pg_bin, primary_and_replica

pytestmark = [pytest.mark.server, pytest.mark.cluster]

EMPLOYEES = 40
# After SETUP, in the same shell: an API token for its Tim IT user ``it`` (the API reads
# bearer tokens, not sessions).
IT_TOKEN = """
print("GOVEM-IT-TOKEN " + issue_token(user=it, device=None)[0])
"""
SECRET = "two-nodes-secret-key-" + "x" * 40  # one key for every node: sessions work anywhere


def deployment_yesterday() -> str:
    """The day before today in the regency's zone: the nodes start counting on it."""
    from datetime import datetime

    return (datetime.now(ZoneInfo("Asia/Makassar")) - timedelta(days=1)).date().isoformat()


def _env(cluster: Cluster, data_dir: Path) -> dict[str, str]:
    yesterday = deployment_yesterday()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "GOVEM_"))}
    env.update(
        {
            "DATABASE_URL": cluster.primary_url,
            "DATABASE_REPLICA_URL": cluster.replica_url,
            "GOVEM_DATA_DIR": str(data_dir),
            "SECRET_KEY": SECRET,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "GOVEM_COUNTING_STARTS": yesterday,
            "GOVEM_REPLICA_MAX_LAG_SECONDS": "10",
        }
    )
    return env


class Node:
    def __init__(self, name: str, cluster: Cluster, root: Path) -> None:
        self.name = name
        self.data_dir = root / name
        self.data_dir.mkdir()
        self.env = _env(cluster, self.data_dir)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (root / f"{name}.log").open("ab")
        self.server: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [GOVEM, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        self.server = subprocess.Popen(
            command, env=self.env, stdout=self.log, stderr=self.log, start_new_session=True
        )
        self.worker = subprocess.Popen(
            [GOVEM, "worker", "--interval", "0.5"],
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        wait_ready(self.base, self.server, timeout=60)

    def kill_server(self) -> None:
        assert self.server is not None
        os.killpg(self.server.pid, signal.SIGKILL)  # the machine dies: master and its workers
        self.server.wait(timeout=10)

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.server, self.worker):
            if process is None:
                continue
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect (to the login page) is the answer itself


_opener = urllib.request.build_opener(_NoRedirect)


def _get(
    base: str,
    path: str,
    session: str,
    cookies: dict[str, str] | None = None,
    bearer: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    jar = {"sessionid": session, **(cookies or {})}
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _upload_ticket(base: str, token: str, content: bytes) -> dict[str, Any]:
    boundary = uuid.uuid4().hex
    parts = [
        ("category", None, b"location"),
        ("description", None, b"GPS tidak akurat di ruang rapat"),
        ("screenshot", "layar.png", content),
    ]
    body = b""
    for name, filename, value in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename:
            body += b"Content-Type: image/png\r\n"
        body += b"\r\n" + value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{base}/api/v1/tickets",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return dict(json.loads(response.read()))


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    if pg_bin() is None:
        pytest.fail("the two-node test needs PostgreSQL's server binaries (postgresql package)")
    root = tmp_path_factory.mktemp("two-nodes")
    with primary_and_replica() as cluster:
        a, b = Node("node-a", cluster, root), Node("node-b", cluster, root)
        try:
            subprocess.run(
                [GOVEM, "migrate", "--noinput", "-v", "0"], env=a.env, check=True, timeout=300
            )
            done = subprocess.run(
                [GOVEM, "shell", "-c", SETUP.replace("__COUNT__", str(EMPLOYEES)) + IT_TOKEN],
                env=a.env,
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            lines = done.stdout.splitlines()
            line = next(ln for ln in lines if ln.startswith("GOVEM-SETUP "))
            setup = json.loads(line.removeprefix("GOVEM-SETUP "))
            token = next(ln for ln in lines if ln.startswith("GOVEM-IT-TOKEN "))
            setup["it_token"] = token.split()[1]
            a.start()
            b.start()
            yield {"cluster": cluster, "a": a, "b": b, **setup}
        finally:
            a.stop()
            b.stop()


def _primary(cluster: Cluster) -> psycopg.Connection[Any]:
    return psycopg.connect(cluster.primary_url, autocommit=True)


def test_a_punch_on_node_a_is_in_node_bs_feed(deployment: dict[str, Any]) -> None:
    a, b = deployment["a"], deployment["b"]
    receipt = punch(a.base, deployment["tokens"][0], key=str(uuid.uuid4()))
    assert receipt.get("verdict") == "accepted", receipt
    status, _, body = _get(b.base, "/monitor/feed", deployment["session"])
    assert status == 200
    feed = json.loads(body)
    assert receipt["id"] in [row["id"] for row in feed["punches"]]


def test_a_file_uploaded_on_node_a_downloads_on_node_b(deployment: dict[str, Any]) -> None:
    a, b = deployment["a"], deployment["b"]
    shot = image_bytes("PNG", (64, 48))
    ticket = _upload_ticket(a.base, deployment["tokens"][1], shot)
    path = f"/kendala/{ticket['id']}/tangkapan-layar/"
    status, headers, body = _get(b.base, path, deployment["session"])
    assert (status, headers["Content-Type"], body) == (200, "image/png", shot)
    # Permissions unchanged: no session, no file.
    status, headers, _ = _get(b.base, path, "nobody")
    assert status == 302 and headers["Location"].startswith("/masuk/")
    # Nothing was kept on node A's disk.
    assert not (a.data_dir / "private").exists()


def test_a_report_on_node_b_comes_from_the_replica_and_equals_the_primarys(
    deployment: dict[str, Any],
) -> None:
    a, b, cluster = deployment["a"], deployment["b"], deployment["cluster"]
    for token in deployment["tokens"][2:12]:
        assert punch(a.base, token, key=str(uuid.uuid4())).get("verdict") == "accepted"
    with _primary(cluster) as conn:
        punches = conn.execute("SELECT count(*) FROM attendance_punch").fetchone()
    deadline = time.monotonic() + 20
    with psycopg.connect(cluster.replica_url, autocommit=True) as standby:
        while standby.execute("SELECT count(*) FROM attendance_punch").fetchone() != punches:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.2)
    path = "/laporan/harian.csv"
    status, headers, from_replica = _get(b.base, path, deployment["session"])
    assert (status, headers.get("X-Govem-Read-From")) == (200, "replica"), headers
    # A browser that has just written more than the replica replayed reads the primary.
    status, headers, from_primary = _get(
        b.base, path, deployment["session"], {"govem_lsn": "FFFFFFFF/FFFFFFFF"}
    )
    assert (status, headers.get("X-Govem-Read-From")) == (200, "default"), headers
    assert from_replica == from_primary
    assert len(re.findall(rb"\b\d\d:\d\d\b", from_replica)) >= 11  # the check-ins are in it
    # The lag is on the health check and /operasi/.
    _, _, health = _get(b.base, "/healthz", deployment["session"])
    replica = {c["key"]: c for c in json.loads(health)["checks"]}["replica"]
    assert replica["status"] == "OK" and "dibaca dari replika" in replica["message"], replica
    status, _, page = _get(b.base, "/operasi/", deployment["session"])
    assert status == 200 and b"Replika basis data" in page


def _caught_up(cluster: Cluster, timeout: float = 20) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with _primary(cluster) as conn:
        target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()
    deadline = time.monotonic() + timeout
    query = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
    with psycopg.connect(cluster.replica_url, autocommit=True) as standby:
        while not standby.execute(query, target).fetchone()[0]:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.2)


def test_every_heavy_read_on_node_b_is_answered_by_the_replica(
    deployment: dict[str, Any],
) -> None:
    b, cluster = deployment["b"], deployment["cluster"]
    with _primary(cluster) as conn:
        employee = conn.execute("SELECT min(id) FROM people_employee").fetchone()[0]
    yesterday = deployment_yesterday()
    heavy = [
        "/laporan/",
        "/laporan/harian.xlsx",
        "/laporan/bulanan/",
        "/laporan/bulanan.pdf",
        "/rekap/",
        f"/rekap/{employee}/",
        f"/operasi/evaluasi/{yesterday}/",
        f"/operasi/evaluasi/{yesterday}/pdf/",
        "/inovasi/",
        "/inovasi/laporan.xlsx",
        "/monitor/",
        "/api/v1/reports/daily",
        "/api/v1/reports/monthly",
        # The feed's tiles (a date nobody polled yet: not in any process's tile cache).
        f"/monitor/feed?date={yesterday}",
    ]
    _caught_up(cluster)
    answers = {}
    for path in heavy:
        bearer = deployment["it_token"] if path.startswith("/api/") else None
        status, headers, _ = _get(b.base, path, deployment["session"], bearer=bearer)
        answers[path] = (status, headers.get("X-Govem-Read-From"))
    assert answers == dict.fromkeys(heavy, (200, "replica"))
    # Pages that are not heavy reads stay on the primary (no heavy read, no header).
    for path in ("/operasi/", "/monitor/belum-presensi/"):
        status, headers, _ = _get(b.base, path, deployment["session"])
        assert (status, headers.get("X-Govem-Read-From")) == (200, None), path


def test_a_replica_beyond_the_lag_bound_leaves_the_reads_to_the_primary(
    deployment: dict[str, Any],
) -> None:
    a, b, cluster = deployment["a"], deployment["b"], deployment["cluster"]
    path, session = "/laporan/harian.csv", deployment["session"]
    with psycopg.connect(cluster.replica_url, autocommit=True) as standby:
        standby.execute("SELECT pg_wal_replay_pause()")
        try:
            # Writes keep arriving (the workers' heartbeats, a punch); none is replayed, so
            # the lag grows past the nodes' bound of 10 s.
            token = deployment["tokens"][2]  # checked in by the report test
            assert punch(a.base, token, kind="out", key=str(uuid.uuid4())).get("receipt")
            deadline = time.monotonic() + 40
            while True:
                status, headers, _ = _get(b.base, path, session)
                if headers.get("X-Govem-Read-From") == "default":
                    break
                assert time.monotonic() < deadline, "the reads never left the late replica"
                time.sleep(1)
            assert status == 200
            _, _, health = _get(b.base, "/healthz", session)
            check = {c["key"]: c for c in json.loads(health)["checks"]}["replica"]
            assert check["status"] == "WARN", check
            assert "dibaca dari basis data utama" in check["message"], check
            _, _, page = _get(b.base, "/operasi/", session)
            assert "dibaca dari basis data utama" in page.decode()
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
    _caught_up(cluster)
    deadline = time.monotonic() + 20
    while _get(b.base, path, session)[1].get("X-Govem-Read-From") != "replica":
        assert time.monotonic() < deadline, "the reads did not come back to the replica"
        time.sleep(0.5)


def test_each_phase_of_a_date_runs_once_across_both_workers(deployment: dict[str, Any]) -> None:
    cluster = deployment["cluster"]
    deadline = time.monotonic() + 240
    with _primary(cluster) as conn:
        while True:
            # Which phases are due depends on the hour the suite runs (just after midnight
            # WITA, yesterday's close is not due yet): wait for every one due by now.
            rows = conn.execute(
                "SELECT date, phase, status, attempts, claimed_by, "
                "due_at IS NOT NULL AND due_at <= now() FROM operations_phaserun"
            ).fetchall()
            done = [row for row in rows if row[2] in {"succeeded", "failed"}]
            due = [row for row in rows if row[5]]
            if (
                len(done) >= 2
                and all(row[2] in {"succeeded", "failed"} for row in due)
                and all(row[2] != "running" for row in rows)
            ):
                break
            assert time.monotonic() < deadline, rows
            time.sleep(1)
        beats = conn.execute(
            "SELECT count(DISTINCT pid) FROM operations_workerheartbeat WHERE name <> %s",
            ["__health_probe__"],
        ).fetchone()
    pairs = [(row[0], row[1]) for row in rows]
    assert len(pairs) == len(set(pairs))  # one ledger row per date and phase
    assert all(row[2] == "succeeded" for row in done), done
    assert all(row[3] == 1 for row in done), done  # claimed once, never run twice
    assert beats is not None and beats[0] == 2  # both workers were there, competing


def test_killing_node_a_mid_rush_loses_no_acknowledged_punch(deployment: dict[str, Any]) -> None:
    a, b = deployment["a"], deployment["b"]
    tokens = deployment["tokens"][12:]
    acknowledged: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def employee(index: int, token: str) -> None:
        key = str(uuid.uuid4())
        base = a.base if index % 2 == 0 else b.base
        for _ in range(20):  # a load balancer sends a failed request to the other node
            try:
                body = punch(base, token, kind="in", key=key, timeout=5)
            except OSError:
                base = b.base
                time.sleep(0.1)
                continue
            if body.get("receipt"):
                with lock:
                    acknowledged.append(body["receipt"])
                return
            if body.get("error", {}).get("code") == "already_checked_in":
                return
            base = b.base
        raise AssertionError(f"employee {index} never got a receipt")

    threads = [threading.Thread(target=employee, args=(i, token)) for i, token in enumerate(tokens)]
    for index, thread in enumerate(threads):
        thread.start()
        if index == len(threads) // 2:
            a.kill_server()
            killed.set()
        time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=60)
    assert killed.is_set()
    assert len(acknowledged) == len(tokens)
    with _primary(deployment["cluster"]) as conn:
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT receipt FROM attendance_punch WHERE receipt = ANY(%s)", [acknowledged]
            ).fetchall()
        }
    assert stored == set(acknowledged)
    assert b.server is not None and b.server.poll() is None
    wait_ready(b.base, b.server, timeout=5)
