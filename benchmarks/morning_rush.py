"""Morning rush: N employees check in against the real multi-process server, with its floor.

Per code tree (``--tree``, repeatable: e.g. main's worktree and this branch, measured in one
run so the ratios compare like with like) and per database (``--database sqlite`` and/or
``--database postgres://…/govem_bench…``), in order:

1. A fresh data directory and database (PostgreSQL: the name must start with ``govem_bench``;
   it is DROPPED and created), ``govem migrate``, ``govem demo``, ``--employees`` − 300
   extra employees, an all-day schedule ``BENCH-24`` on every root unit (the server judges
   by its own clock: without it an evening run would measure ``outside_window`` refusals),
   and a bound device and an API token for everyone (issued directly: password hashing is
   not the rush).
2. **In-process pass** (``govem shell``, the tree's own code, Django's test client, no
   HTTP): ``--inproc`` spare employees check in and out; per punch the SQL statements (the
   connection's query log: BEGIN and COMMIT included), the CPU time, and the write
   transactions (outermost ``atomic`` blocks: on SQLite the writer lock is held for exactly
   that long). The statement list of one warm check-in is kept.
3. ``govem serve --workers W --threads T`` (gunicorn), warmed up; then the **floor**
   (N × ``GET /api/v1/time``, no database) and the **rush** (each employee checks in once,
   ``POST /api/v1/punches``), each with C concurrent keep-alive clients. Server CPU per
   request is the user+system time of the gunicorn master and workers read from
   ``/proc/<pid>/stat`` before and after the phase; on PostgreSQL also the backends of the
   bench database (``pg_stat_activity`` pids) when /proc lets us read them.
   ``--nodes 2`` (PostgreSQL only) starts two such servers on the one database, each with its
   own data dir and the same ``SECRET_KEY`` (two app nodes behind a load balancer): the
   clients are spread round-robin over them and the server CPU is both nodes' together.
   The server's CPU is also split: its system share is stime / (utime + stime).
4. The punches stored by verdict; ``database is locked`` lines in the server log.

The load generator (``--client``) is this process, on the same cores as the server, so it
is kept cheap. By default (``asyncio``) it is one event loop in one thread: ``--concurrency``
coroutines, one keep-alive connection each (all nodes' in the one loop with ``--nodes``), the
requests prebuilt before the phase, a minimal HTTP/1.1 response reader, the JSON answers
parsed after the phase. ``--client threads`` is the former generator: one ``http.client``
thread per client, clearly more CPU per request. Its cost, ``client cpu``, is this process's CPU
time (``time.process_time``) over the phase, per request.

Prints a table (one row per tree × database) and, with two trees, the ratios; ``--json FILE``
writes every figure (default: ``benchmarks/results/``).

    .venv/bin/python benchmarks/morning_rush.py --employees 1000 --concurrency 20 --workers 4
    .venv/bin/python benchmarks/morning_rush.py --tree ../i12-before --tree . \\
        --database sqlite --database postgres://postgres@127.0.0.1:5432/govem_bench \\
        --json /tmp/rush.json
    .venv/bin/python benchmarks/morning_rush.py --nodes 2 --workers 2 \\
        --database postgres://postgres@127.0.0.1:5432/govem_bench_nodes
    .venv/bin/python benchmarks/morning_rush.py --client threads  # the former generator
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.ports import free_port  # GOVEM_TEST_PORTS: a shared machine's port range

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
HOST = "127.0.0.1"
PASSWORD = "govem-demo"  # noqa: S105 (the demo password)
TICK = os.sysconf("SC_CLK_TCK")

SETUP = r"""
import json
from datetime import date, time, timedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from govem.accounts.services import issue_token
from govem.people.models import Device, Employee, Unit
from govem.rules.nip import parse_nip
from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule

total = int(__TOTAL__)
User = get_user_model()
with transaction.atomic():
    schedule, _ = WorkSchedule.objects.get_or_create(
        code="BENCH-24", defaults={"name": "Benchmark: sepanjang hari, 7 hari"}
    )
    for weekday in range(7):
        ScheduleDay.objects.get_or_create(
            schedule=schedule, weekday=weekday,
            defaults=dict(start=time(0, 0), end=time(23, 59), check_in_opens=time(0, 0),
                          check_out_closes=time(23, 59)),
        )
    roots = list(Unit.objects.filter(parent=None).order_by("code"))
    for unit in roots:
        ScheduleAssignment.objects.get_or_create(
            schedule=schedule, unit=unit, valid_from=date(2000, 1, 1)
        )
    extra = total - Employee.objects.count()
    if extra > 0:
        password = Employee.objects.exclude(user=None).first().user.password  # the demo hash
        nips = []
        for index in range(extra):
            nip = (f"{date(1970, 1, 1) + timedelta(days=index // 9):%Y%m%d}2000021"
                   f"{index % 9 + 1:03d}")
            parse_nip(nip)
            nips.append(nip)
        users = User.objects.bulk_create(
            [User(username=nip, password=password) for nip in nips], batch_size=500
        )
        Employee.objects.bulk_create(
            [Employee(user=user, employee_type="PNS", nip=user.username,
                      name=f"Pegawai Uji {index + 1:05d}", position="Pengadministrasi",
                      unit=roots[index % len(roots)]) for index, user in enumerate(users)],
            batch_size=500,
        )
    people = []
    employees = list(Employee.objects.select_related("unit", "user").filter(active=True)
                     .exclude(user=None).order_by("pk")[:total])
    bound = {d.employee_id: d for d in Device.objects.filter(released_at=None)}
    Device.objects.bulk_create([Device(employee=e, device_id=f"bench-device-{e.pk}",
                                       label="bench") for e in employees if e.pk not in bound])
    bound = {d.employee_id: d for d in Device.objects.filter(released_at=None)}
    for employee in employees:
        office = employee.allowed_locations().order_by("pk").first()
        if office is None:
            continue
        raw, _token = issue_token(user=employee.user, device=bound[employee.pk])
        people.append([raw, office.latitude, office.longitude])
print("BENCH-SETUP " + json.dumps(people))
"""

# The in-process pass: the tree's own code, Django's test client, statements and CPU per
# punch, write transactions timed as the outermost atomic blocks.
INPROC = r"""
import json, time, uuid
from datetime import UTC, datetime
from django.db import connection, transaction
from django.test import Client

people = json.loads(__PEOPLE__)
spans = []
depth = [0]
enter, leave = transaction.Atomic.__enter__, transaction.Atomic.__exit__
def timed_enter(self):
    if not connection.in_atomic_block:
        depth[0] = time.perf_counter()
    return enter(self)
def timed_exit(self, *exc):
    result = leave(self, *exc)
    if not connection.in_atomic_block and depth[0]:
        spans.append(time.perf_counter() - depth[0]); depth[0] = 0
    return result
transaction.Atomic.__enter__, transaction.Atomic.__exit__ = timed_enter, timed_exit
commits = []
from django.db import connections
db = connections["default"]
plain_commit = db.commit
def timed_commit():
    began = time.perf_counter()
    try:
        return plain_commit()
    finally:
        commits.append(time.perf_counter() - began)
db.commit = timed_commit
connection.force_debug_cursor = True
client = Client(HTTP_HOST="127.0.0.1")
rows = {"in": [], "out": []}
listing = {}
for kind in ("in", "out"):
    for token, lat, lon in people:
        body = {"kind": kind, "latitude": lat, "longitude": lon, "accuracy_m": 10.0,
                "client_time": datetime.now(UTC).isoformat(), "idempotency_key": str(uuid.uuid4())}
        connection.queries_log.clear(); spans.clear(); commits.clear()
        cpu = time.process_time()
        response = client.post("/api/v1/punches", body, content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
        cpu = time.process_time() - cpu
        sql = [q["sql"] for q in connection.queries]
        rows[kind].append({"status": response.status_code, "statements": len(sql),
                           "cpu_ms": cpu * 1000, "transactions": len(spans),
                           "transaction_ms": [s * 1000 for s in spans],
                           "commit_ms": [c * 1000 for c in commits]})
        if len(rows[kind]) == 2:
            listing[kind] = sql
print("BENCH-INPROC " + json.dumps({"rows": rows, "listing": listing}))
"""

VERIFY = r"""
import json
from django.db.models import Count
from govem.attendance.models import Punch
print("BENCH-VERIFY " + json.dumps(
    {row["verdict"]: row["n"] for row in Punch.objects.values("verdict").annotate(n=Count("id"))}
))
"""


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    not_sent: int = 0
    # CPU seconds of this (the client's) process over the phase; None: not measured.
    client_cpu: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self, ok: int) -> dict[str, Any]:
        values = sorted(self.latencies)
        done = len(values)
        return {
            "requests": done,
            "not_sent_before_deadline": self.not_sent,
            "seconds": round(self.elapsed, 2),
            "per_second": round(done / self.elapsed, 1) if self.elapsed else None,
            "ok": self.statuses.get(ok, 0),
            "p50_ms": ms(percentile(values, 0.50)),
            "p95_ms": ms(percentile(values, 0.95)),
            "p99_ms": ms(percentile(values, 0.99)),
            "max_ms": ms(values[-1]) if values else None,
            "mean_ms": ms(statistics.fmean(values)) if values else None,
            "client_cpu_ms_per_request": (
                round(self.client_cpu * 1000 / done, 3)
                if self.client_cpu is not None and done
                else None
            ),
            "errors_by_status": {
                str(status): count
                for status, count in sorted(self.statuses.items())
                if status != ok
            },
            "error_codes": dict(self.codes.most_common()),
        }


def percentile(ordered: list[float], share: float) -> float | None:
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def govem(binary: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [binary, *args], env=env, check=True, capture_output=True, text=True, timeout=900
    )
    return done.stdout


def tagged(output: str, tag: str) -> Any:
    line = next(ln for ln in output.splitlines() if ln.startswith(tag + " "))
    return json.loads(line.removeprefix(tag + " "))


@contextmanager
def database(url: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL database named in ``url`` (dropped afterwards), or SQLite."""
    if not url:
        yield None
        return
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"} or parts.hostname not in {HOST, "localhost"}:
        raise SystemExit("--database-url must be postgres:// on 127.0.0.1 or localhost")
    name = parts.path.lstrip("/") or "govem_bench"
    if not re.fullmatch(r"govem_bench\w*", name):
        raise SystemExit(f"refusing to drop database {name!r}: use a name starting govem_bench")
    import psycopg

    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server(
    binary: str, env: dict[str, str], log: Path, workers: int, threads: int
) -> Iterator[tuple[int, int]]:
    """``govem serve`` on a free local port; stopped (SIGTERM, then SIGKILL) on the way out."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [binary, "serve", "--bind", f"{HOST}:{port}", "--workers", str(workers),
             "--threads", str(threads)],
            env=env, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"server exited with {process.returncode}; see {log}")
                try:
                    conn = http.client.HTTPConnection(HOST, port, timeout=2)
                    conn.request("GET", "/api/v1/time")
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"server did not answer within 60 s; see {log}")
                time.sleep(0.2)
            all_workers_ready(log, workers, deadline)
            yield port, process.pid
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def all_workers_ready(log: Path, workers: int, deadline: float) -> None:
    """Until every worker process has logged that it takes requests (``govem serve`` logs
    it once its units' contexts are loaded): one that is still loading would leave every
    connection of the next phase to the others. A tree that does not log it (before this
    line existed) gets 3 s."""
    grace = time.monotonic() + 3
    while time.monotonic() < deadline:
        ready = log.read_text(errors="replace").count(" unit dimuat dalam ")
        if ready >= workers or (not ready and time.monotonic() > grace):
            return
        time.sleep(0.1)


Job = tuple[str, str, dict[str, Any] | None, dict[str, str]]
CLIENTS = ("asyncio", "threads")
TIMEOUT_S = 30  # per request: the threaded client's socket timeout
# What a failed asyncio request raises (TimeoutError is an OSError; EOFError: closed early).
ASYNC_FAILURES = (OSError, EOFError, ValueError, asyncio.LimitOverrunError)
WARM_EMPLOYEES = 30  # who send --warm-punches: more than the demo's 12 root units


def punch_jobs(kind: str, people: Iterable[Sequence[Any]], now: str | None = None) -> list[Job]:
    """One API punch of ``kind`` per ``(token, latitude, longitude)``, at the office, each
    with its own idempotency key; ``client_time`` is ``now`` (default: this moment)."""
    at = now or datetime.now(UTC).isoformat()
    return [
        ("POST", "/api/v1/punches",
         {"kind": kind, "latitude": lat, "longitude": lon, "accuracy_m": 10.0,
          "client_time": at, "idempotency_key": str(uuid.uuid4())},
         {"Authorization": f"Bearer {token}"})
        for token, lat, lon in people
    ]  # fmt: skip


def run_phase(
    port: int,
    name: str,
    jobs: list[Job],
    concurrency: int,
    budget_s: float,
    ok: int,
    client: str = "asyncio",
) -> tuple[Phase, list[Any]]:
    """Send ``jobs`` with ``concurrency`` clients (one keep-alive connection each):
    coroutines in one event loop (``asyncio``) or one thread each (``threads``)."""
    if client == "threads":
        return _threaded_phase(port, name, jobs, concurrency, budget_s, ok)
    return _async_phase([port], name, jobs, concurrency, budget_s, ok)


def _threaded_phase(
    port: int, name: str, jobs: list[Job], concurrency: int, budget_s: float, ok: int
) -> tuple[Phase, list[Any]]:
    """``concurrency`` threads, each with its own ``http.client`` connection."""
    phase = Phase(name)
    answers: list[Any] = [None] * len(jobs)
    cursor = iter(range(len(jobs)))
    cursor_lock = threading.Lock()
    deadline = time.monotonic() + budget_s

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
        while True:
            with cursor_lock:
                index = next(cursor, None)
                if index is None:
                    return
                if time.monotonic() > deadline:
                    phase.not_sent += 1
                    continue
            method, path, body, headers = jobs[index]
            payload = json.dumps(body).encode() if body is not None else None
            if payload is not None:
                headers = {**headers, "Content-Type": "application/json"}
            started = time.perf_counter()
            status, data = 0, None
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                status = response.status
                data = json.loads(raw) if raw else None
            except (OSError, http.client.HTTPException, ValueError):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
            elapsed = time.perf_counter() - started
            answers[index] = data
            with phase.lock:
                phase.latencies.append(elapsed)
                phase.statuses[status] += 1
                if status != ok:
                    phase.codes[error_code(status, data)] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    # The whole process's CPU (process_time): these threads, the main thread's joins, and on
    # PostgreSQL cpu_phase's BackendCpu sampler thread (one query every 0.2 s: light).
    cpu = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # join with a timeout so Ctrl+C gets through
            thread.join(0.2)
    phase.elapsed = time.perf_counter() - started
    phase.client_cpu = time.process_time() - cpu
    return phase, answers


def error_code(status: int, data: Any) -> str:
    """What a non-ok answer counts as: the API's ``error.code``, else ``http_<status>``
    (``http_0``: no answer, the connection failed)."""
    code = (data or {}).get("error", {}).get("code") if status else None
    return code or f"http_{status}"


def request_bytes(job: Job, port: int) -> bytes:
    """``job`` as one HTTP/1.1 request, the headers ``http.client`` sends included."""
    method, path, body, headers = job
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Accept-Encoding: identity"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


class Closed(ConnectionError):
    """The server closed the connection before the whole response."""


async def read_response(
    reader: asyncio.StreamReader, head_request: bool
) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 response: ``(status, body, keep-alive)``. The body by Content-Length,
    ``Transfer-Encoding: chunked``, or up to the end of the connection; 1xx answers skipped."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")  # IncompleteReadError (EOFError) at EOF
        lines = head.split(b"\r\n")
        version, code = lines[0].split(None, 2)[:2]
        status = int(code)
        if not 100 <= status < 200:
            break
    keep = version == b"HTTP/1.1"
    length, chunked = None, False
    for line in lines[1:]:
        key, sep, value = line.partition(b":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip().lower()
        if key == b"content-length":
            length = int(value)
        elif key == b"transfer-encoding":
            chunked = b"chunked" in value
        elif key == b"connection":
            if b"close" in value:
                keep = False
            elif b"keep-alive" in value:
                keep = True
    if head_request or status in (204, 304):
        return status, b"", keep
    if chunked:
        parts = []
        while True:
            line = await reader.readline()
            if not line.endswith(b"\n"):
                raise Closed
            size = int(line.split(b";", 1)[0], 16)  # ValueError when it is no size
            if not size:
                break
            parts.append(await reader.readexactly(size))
            if await reader.readexactly(2) != b"\r\n":
                raise ValueError("chunk without its CRLF")
        while (line := await reader.readline()) not in (b"\r\n", b"\n"):  # the trailers
            if not line:
                raise Closed
        return status, b"".join(parts), keep
    if length is not None:
        return status, await reader.readexactly(length), keep
    return status, await reader.read(), False  # to the end of the connection


def _async_phase(
    ports: list[int], name: str, jobs: list[Job], concurrency: int, budget_s: float, ok: int
) -> tuple[Phase, list[Any]]:
    """``jobs`` round-robin over ``ports`` (share ``i`` = ``jobs[i::len(ports)]``, as the
    threaded ``spread``), ``concurrency // len(ports)`` coroutines (at least one) per port,
    all in one event loop in this thread: one merged Phase, the answers in the jobs' order.

    The requests are prebuilt before the clock starts and the bodies are parsed as JSON
    after it stops: in the phase only the sending, the reading and the bookkeeping."""
    phase = Phase(name)
    count = len(ports)
    per_port = max(1, concurrency // count)
    shares = [
        [(index, request_bytes(jobs[index], port), jobs[index][0] == "HEAD")
         for index in range(offset, len(jobs), count)]
        for offset, port in enumerate(ports)
    ]  # fmt: skip
    statuses = [0] * len(jobs)
    bodies: list[bytes | None] = [None] * len(jobs)
    sent = [False] * len(jobs)
    cpu = started = deadline = 0.0  # set when the phase starts, the connections open

    async def client(
        port: int,
        cursor: Iterator[tuple[int, bytes, bool]],
        opened: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None,
    ) -> None:
        reader, writer = opened or (None, None)
        latencies = phase.latencies
        for index, wire, head_request in cursor:
            if time.monotonic() > deadline:
                phase.not_sent += 1
                continue
            started = time.perf_counter()
            status, body = 0, None
            try:
                async with asyncio.timeout(TIMEOUT_S):
                    if writer is None or reader is None:
                        reader, writer = await asyncio.open_connection(HOST, port)
                    writer.write(wire)
                    if writer.transport.get_write_buffer_size():
                        await writer.drain()
                    status, body, keep = await read_response(reader, head_request)
                if not keep:  # Connection: close: a new connection for the next one
                    writer.close()
                    reader = writer = None
            except ASYNC_FAILURES:
                status, body = 0, None  # TimeoutError is an OSError
                if writer is not None:
                    writer.close()
                reader = writer = None
            latencies.append(time.perf_counter() - started)
            statuses[index], bodies[index], sent[index] = status, body, True
        if writer is not None:
            writer.close()

    async def open_one_by_one() -> list[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None]:
        """Each client's connection, opened and answered once before the next is opened, as
        phones arriving one after another: 20 connections opened at once wait in the listen
        backlog, and the first gunicorn process to wake often accepts them all, so that one
        process and its GIL served the whole phase at about half the rate (measured: the
        floor at ~1,400 against ~3,000 req/s, either tree, now and then)."""
        opened: list[tuple[asyncio.StreamReader, asyncio.StreamWriter] | None] = []
        for port in ports:
            probe = request_bytes(("GET", "/api/v1/time", None, {}), port)
            for _ in range(per_port):
                try:
                    async with asyncio.timeout(TIMEOUT_S):
                        reader, writer = await asyncio.open_connection(HOST, port)
                        writer.write(probe)
                        await read_response(reader, False)
                    opened.append((reader, writer))
                except ASYNC_FAILURES:
                    opened.append(None)  # the phase opens its own, and counts the failure
        return opened

    async def everyone() -> None:
        opened = iter(await open_one_by_one())
        nonlocal cpu, started, deadline  # the phase starts once they are open
        cpu = time.process_time()
        started = time.perf_counter()
        deadline = time.monotonic() + budget_s
        await asyncio.gather(
            *(client(port, cursor, next(opened))
              for port, cursor in zip(ports, map(iter, shares), strict=True)
              for _ in range(per_port))
        )  # fmt: skip

    # The whole process's CPU (process_time): the event loop here, and on PostgreSQL
    # cpu_phase's BackendCpu sampler thread (one query every 0.2 s: light).
    asyncio.run(everyone())
    phase.elapsed = time.perf_counter() - started
    phase.client_cpu = time.process_time() - cpu
    answers: list[Any] = [None] * len(jobs)
    for index, status in enumerate(statuses):
        if not sent[index]:
            continue
        raw = bodies[index]
        data = None
        if status and raw:
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
        answers[index] = data
        phase.statuses[status] += 1
        if status != ok:
            phase.codes[error_code(status, data)] += 1
    return phase, answers


def spread(
    ports: list[int], name: str, jobs: list[Job], args: argparse.Namespace, ok: int
) -> tuple[Phase, list[Any]]:
    """Send ``jobs`` round-robin over the nodes at once (``--concurrency`` clients in all, as
    a load balancer spreads them); one merged Phase and the answers in the jobs' order.
    ``args.client`` (default asyncio): one event loop for every node, or threads."""
    client = getattr(args, "client", "asyncio")
    if client != "threads":
        return _async_phase(ports, name, jobs, args.concurrency, args.budget, ok)
    if len(ports) == 1:
        return _threaded_phase(ports[0], name, jobs, args.concurrency, args.budget, ok)
    parts: list[Phase | None] = [None] * len(ports)
    answers: list[Any] = [None] * len(jobs)

    def one(index: int) -> None:
        share = jobs[index :: len(ports)]
        parts[index], got = _threaded_phase(
            ports[index], name, share, max(1, args.concurrency // len(ports)), args.budget, ok
        )
        answers[index :: len(ports)] = got

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(ports))]
    cpu = time.process_time()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # with a timeout, so Ctrl+C gets through
            thread.join(0.2)
    merged = Phase(name)
    merged.elapsed = time.perf_counter() - started
    merged.client_cpu = time.process_time() - cpu  # the parts' own figures overlap
    for part in parts:
        assert part is not None
        merged.latencies += part.latencies
        merged.statuses.update(part.statuses)
        merged.codes.update(part.codes)
        merged.not_sent += part.not_sent
    return merged, answers


def print_phase(label: str, summary: dict[str, Any]) -> None:
    print(
        f"{label:<22} {summary['requests']:>6} req in {summary['seconds']:>7} s = "
        f"{summary['per_second']:>7}/s   p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms"
        f"  p99 {summary['p99_ms']} ms  max {summary['max_ms']} ms"
        + (
            f"  client cpu {summary['client_cpu_ms_per_request']} ms/req"
            if summary.get("client_cpu_ms_per_request") is not None
            else ""
        )
    )
    if summary["errors_by_status"] or summary["not_sent_before_deadline"]:
        print(
            f"{'':<22} errors by status {summary['errors_by_status']}, codes "
            f"{summary['error_codes']}, not sent {summary['not_sent_before_deadline']}"
        )


def proc_times(pids: list[int]) -> tuple[int, int] | None:
    """``(utime, stime)`` of ``pids`` together in clock ticks (None when /proc cannot be
    read): user and system (kernel: sockets, fsync, …) CPU."""
    user = system = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        user += int(fields[11])
        system += int(fields[12])
    return user, system


def proc_ticks(pids: list[int]) -> int | None:
    """utime + stime of ``pids`` in clock ticks (None when /proc cannot be read)."""
    times = proc_times(pids)
    return None if times is None else sum(times)


def family(master: int) -> list[int]:
    """The gunicorn master and its workers."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(entry.name))
    return pids


class BackendCpu:
    """CPU of the bench database's PostgreSQL backends over a phase (their pids from
    ``pg_stat_activity``, their utime + stime from ``/proc/<pid>/stat``).

    The server opens its connections lazily (persistent, one per thread), so backends are
    born during the phase: a sampler lists them every 0.2 s and keeps each one's first and
    last reading; one born during the phase counts from zero. ``None`` when /proc cannot be
    read or there is no PostgreSQL.
    """

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def _sample(self, conn: Any, at_start: bool) -> None:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
        for (pid,) in rows:
            ticks = proc_ticks([int(pid)])
            if ticks is None:  # gone since the listing (its last reading stays), or no /proc
                continue
            self.first.setdefault(pid, ticks if at_start else 0)
            self.last[pid] = ticks

    def __enter__(self) -> BackendCpu:
        if not self.url:
            return self
        import psycopg

        conn = psycopg.connect(self.url, autocommit=True)
        self._sample(conn, at_start=True)

        def loop() -> None:
            with conn:
                while not self.stop.wait(0.2):
                    self._sample(conn, at_start=False)
                self._sample(conn, at_start=False)

        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=10)

    def ticks(self) -> int | None:
        if not self.url or not self.last:
            return None
        return sum(self.last[pid] - self.first.get(pid, 0) for pid in self.last)


def cpu_phase(
    nodes: list[tuple[int, int]],
    url: str | None,
    name: str,
    jobs: list[Job],
    args: argparse.Namespace,
    ok: int,
) -> tuple[Phase, list[Any], dict[str, Any]]:
    """A phase over the ``(port, master)`` nodes with their (and the database backends') CPU
    time around it."""
    pids = [pid for _, master in nodes for pid in family(master)]
    app_before = proc_times(pids)
    # The sampler thread runs during the phase, so the client CPU (process_time) includes it.
    with BackendCpu(url) as backends:
        phase, answers = spread([port for port, _ in nodes], name, jobs, args, ok)
    app_after = proc_times(pids)
    db_ticks = backends.ticks()
    done = max(1, len(phase.latencies))
    cpu: dict[str, Any] = {"server_processes": len(pids), "db_backends": len(backends.last)}
    user = system = None
    if app_before is not None and app_after is not None:
        user, system = app_after[0] - app_before[0], app_after[1] - app_before[1]
    cpu["server_cpu_ms_per_request"] = (
        round((user + system) * 1000 / TICK / done, 2)
        if user is not None and system is not None
        else None
    )
    # The kernel's share of it (stime / (utime + stime)): sockets, the WAL's fsync, …
    cpu["server_system_share"] = (
        round(system / (user + system), 3) if user is not None and system is not None
        and user + system else None
    )  # fmt: skip
    cpu["db_cpu_ms_per_request"] = (
        round(db_ticks * 1000 / TICK / done, 2) if db_ticks is not None else None
    )
    return phase, answers, cpu


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def inproc_summary(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, rows in data["rows"].items():
        warm = rows[1:] or rows
        spans = [sum(r["transaction_ms"]) for r in warm]
        commits = [sum(r.get("commit_ms", [])) for r in warm]
        statements_only = [a - b for a, b in zip(spans, commits, strict=True)]
        out[kind] = {
            "punches": len(rows),
            "statuses": dict(Counter(str(r["status"]) for r in rows)),
            "statements_first": rows[0]["statements"] if rows else None,
            "statements_median": median([r["statements"] for r in warm]),
            "statements_max": max((r["statements"] for r in warm), default=None),
            "cpu_ms_median": median([r["cpu_ms"] for r in warm]),
            "write_transactions_median": median([r["transactions"] for r in warm]),
            "write_transaction_ms_median": median(spans),
            "write_transaction_ms_max": round(max(spans), 2) if spans else None,
            "commit_ms_median": median(commits),
            "write_transaction_without_commit_ms_median": median(statements_only),
        }
    out["listing"] = data["listing"]
    return out


def measure(tree: Path, db: str, args: argparse.Namespace) -> dict[str, Any]:
    binary = str(tree / ".venv" / "bin" / "govem")
    data_dir = Path(tempfile.mkdtemp(prefix="govem-rush-"))
    log = data_dir / "serve.log"
    url_in = None if db == "sqlite" else db
    try:
        with database(url_in) as url:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update({"GOVEM_DATA_DIR": str(data_dir), "DEBUG": "0", "ALLOWED_HOSTS": HOST})
            env.update({"GOVEM_LOG_LEVEL": "WARNING"})
            # The tree's own code, whichever checkout its .venv was installed from.
            env["PYTHONPATH"] = str(tree / "src")
            if url:
                env["DATABASE_URL"] = url
            if args.nodes > 1:
                # Every node signs sessions with the same key, as behind a load balancer.
                env["SECRET_KEY"] = "morning-rush-nodes-" + "k" * 40
            backend = "postgresql" if url else "sqlite"
            print(f"[{tree.name} {backend}] data dir {data_dir}", flush=True)
            clock = time.perf_counter()
            govem(binary, env, "migrate", "--noinput", "-v", "0")
            govem(binary, env, "demo", "--json", "--password", PASSWORD)
            total = args.employees + args.inproc + (WARM_EMPLOYEES if args.warm_punches else 0)
            people = tagged(
                govem(binary, env, "shell", "-c", SETUP.replace("__TOTAL__", str(total))),
                "BENCH-SETUP",
            )
            spare, people = people[: args.inproc], people[args.inproc :]
            warmers: list[Any] = []
            if args.warm_punches:
                # The last ones made: bulk-created round-robin over the root units, so that
                # the warm punches reach every unit.
                people, warmers = people[:-WARM_EMPLOYEES], people[-WARM_EMPLOYEES:]
            print(f"[{tree.name} {backend}] prepared {len(people)} + {len(spare)}"
                  f" + {len(warmers)} employees"
                  f" in {time.perf_counter() - clock:.1f} s", flush=True)  # fmt: skip
            inproc = inproc_summary(
                tagged(
                    govem(binary, env, "shell", "-c",
                          INPROC.replace("__PEOPLE__", repr(json.dumps(spare)))),
                    "BENCH-INPROC",
                )
            )  # fmt: skip
            logs = [log] + [data_dir / f"serve-node-{i + 1}.log" for i in range(args.nodes - 1)]
            with ExitStack() as stack:
                nodes = []
                for index, node_log in enumerate(logs):
                    node_env = env
                    if index:  # a node of its own: nothing shared on disk with the first
                        node_env = {**env, "GOVEM_DATA_DIR": str(data_dir / f"node-{index + 1}")}
                        Path(node_env["GOVEM_DATA_DIR"]).mkdir()
                    nodes.append(
                        stack.enter_context(
                            server(binary, node_env, node_log, args.workers, args.threads)
                        )
                    )
                ports = [port for port, _ in nodes]
                warm: list[Job] = [("GET", "/api/v1/time", None, {})] * (args.workers * 50)
                spread(ports, "warm-up", warm * len(nodes), args, 200)
                if args.warm_punches:
                    # A server that has been up since the early punches: each process has
                    # run the punch path and holds the units' contexts before the rush.
                    early = punch_jobs("out", (warmers * args.warm_punches)[: args.warm_punches])
                    spread(ports, "warm punches", early, args, 201)
                floor_jobs: list[Job] = [("GET", "/api/v1/time", None, {})] * len(people)
                floor, _, floor_cpu = cpu_phase(nodes, url, "floor", floor_jobs, args, 200)
                rush_jobs = punch_jobs("in", people)
                rush, answers, rush_cpu = cpu_phase(nodes, url, "rush", rush_jobs, args, 201)
            verdicts = tagged(govem(binary, env, "shell", "-c", VERIFY), "BENCH-VERIFY")
            locked = sum(p.read_text(errors="replace").count("database is locked") for p in logs)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    floor_s, rush_s = floor.summary(200), rush.summary(201)
    flags = Counter(
        flag for a in answers if isinstance(a, dict) for flag in a.get("flags", []) or []
    )
    return {
        "tree": str(tree),
        "commit": subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip(),
        "database": backend,
        "nodes": args.nodes,
        "employees": len(people),
        "floor": {**floor_s, **floor_cpu},
        "rush": {**rush_s, **rush_cpu},
        "inproc": inproc,
        "rush_flags": dict(flags),
        "punches_in_database": verdicts,
        "database_is_locked_lines": locked,
        "ratio_p50_punch_over_floor": ratio(rush_s["p50_ms"], floor_s["p50_ms"]),
        "ratio_throughput_punch_over_floor": ratio(rush_s["per_second"], floor_s["per_second"]),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


COLUMNS = (
    ("tree", lambda r: f"{Path(r['tree']).name}@{r['commit']}"),
    ("db", lambda r: r["database"]),
    ("nodes", lambda r: r.get("nodes", 1)),
    ("punch/s", lambda r: r["rush"]["per_second"]),
    ("p50", lambda r: r["rush"]["p50_ms"]),
    ("p95", lambda r: r["rush"]["p95_ms"]),
    ("p99", lambda r: r["rush"]["p99_ms"]),
    ("err", lambda r: sum(int(v) for v in r["rush"]["errors_by_status"].values())),
    ("floor/s", lambda r: r["floor"]["per_second"]),
    ("×floor", lambda r: r["ratio_throughput_punch_over_floor"]),
    ("cpu ms", lambda r: r["rush"]["server_cpu_ms_per_request"]),
    ("sys", lambda r: r["rush"]["server_system_share"]),
    ("db cpu", lambda r: r["rush"]["db_cpu_ms_per_request"]),
    ("floor cpu", lambda r: r["floor"]["server_cpu_ms_per_request"]),
    ("client cpu", lambda r: r["rush"]["client_cpu_ms_per_request"]),
    ("SQL in", lambda r: r["inproc"]["in"]["statements_median"]),
    ("SQL out", lambda r: r["inproc"]["out"]["statements_median"]),
    ("SQL 1st", lambda r: r["inproc"]["in"]["statements_first"]),
    ("inproc cpu", lambda r: r["inproc"]["in"]["cpu_ms_median"]),
    ("txn ms", lambda r: r["inproc"]["in"]["write_transaction_ms_median"]),
    ("of it commit", lambda r: r["inproc"]["in"]["commit_ms_median"]),
    ("txns", lambda r: r["inproc"]["in"]["write_transactions_median"]),
)


def table(results: list[dict[str, Any]]) -> str:
    cells = [[name for name, _ in COLUMNS]]
    cells += [[str(get(r)) for _, get in COLUMNS] for r in results]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells
    )


def comparisons(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each later tree against the first, per database."""
    out = []
    first_tree = results[0]["tree"] if results else None
    for base in [r for r in results if r["tree"] == first_tree]:
        for other in results:
            if other["tree"] == first_tree or other["database"] != base["database"]:
                continue
            out.append({
                "database": base["database"],
                "base": f"{Path(base['tree']).name}@{base['commit']}",
                "other": f"{Path(other['tree']).name}@{other['commit']}",
                "throughput_x": ratio(other["rush"]["per_second"], base["rush"]["per_second"]),
                "p99_x": ratio(other["rush"]["p99_ms"], base["rush"]["p99_ms"]),
                "server_cpu_x": ratio(other["rush"]["server_cpu_ms_per_request"],
                                      base["rush"]["server_cpu_ms_per_request"]),
                "statements_x": ratio(other["inproc"]["in"]["statements_median"],
                                      base["inproc"]["in"]["statements_median"]),
            })  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=1000, help="employees who check in")
    parser.add_argument("--inproc", type=int, default=30, help="spare employees, in-process pass")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent clients")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, os.cpu_count() or 1),
        help="gunicorn worker processes (default: govem serve's, one per core, at least 2)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--warm-punches",
        type=int,
        default=0,
        help=f"check-outs by {WARM_EMPLOYEES} more employees before the rush (0: the rush "
        "meets a server whose processes have not yet run the punch path nor loaded any unit's "
        "context)",
    )
    parser.add_argument(
        "--nodes", type=int, default=1,
        help="app nodes (govem serve, own data dirs) on one PostgreSQL database (1–4)",
    )  # fmt: skip
    parser.add_argument(
        "--tree", action="append", type=Path,
        help="a Govem checkout with its .venv (repeatable; default: this one)",
    )  # fmt: skip
    parser.add_argument(
        "--database", action="append",
        help="sqlite or postgres://…/govem_bench… (dropped and created; repeatable)",
    )  # fmt: skip
    parser.add_argument("--database-url", help="same as --database URL (kept for older commands)")
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds per phase before it stops sending"
    )
    parser.add_argument(
        "--client", choices=CLIENTS, default="asyncio",
        help="load generator: one event loop in one thread (default; cheaper), or one "
        "http.client thread per concurrent client",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--statements", action="store_true", help="print a check-in's SQL")
    parser.add_argument("--keep", action="store_true", help="keep the data dir (server log)")
    args = parser.parse_args()
    if not 300 <= args.employees <= 20_000:
        parser.error("--employees must be between 300 (the demo) and 20000")
    if not 1 <= args.concurrency <= 200 or not 1 <= args.workers <= 32:
        parser.error("--concurrency must be 1–200 and --workers 1–32")
    if not 2 <= args.inproc <= 500:
        parser.error("--inproc must be 2–500")
    if not 0 <= args.warm_punches <= 5000:
        parser.error("--warm-punches must be 0–5000")
    trees = [tree.resolve() for tree in (args.tree or [HERE.parent])]
    for tree in trees:
        if not (tree / ".venv" / "bin" / "govem").exists():
            parser.error(f"{tree} has no .venv/bin/govem (make install-test there)")
    databases = list(args.database or [])
    if args.database_url:
        databases.append(args.database_url)
    databases = databases or ["sqlite"]
    if not 1 <= args.nodes <= 4:
        parser.error("--nodes must be 1–4")
    if args.nodes > 1 and "sqlite" in databases:
        parser.error("--nodes 2 or more needs --database postgres://… (SQLite is one machine)")

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl+C and SIGTERM both unwind through the finally blocks that stop the server
    # (installed explicitly: a shell starting us in the background ignores SIGINT).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    started = datetime.now(UTC)
    load_before = os.getloadavg()
    results = []
    try:
        # Databases outside, trees inside: the trees of one database run back to back.
        for db in databases:
            for tree in trees:
                results.append(measure(tree, db, args))
    except KeyboardInterrupt:
        print("\ninterrupted: server stopped, temporary data removed", file=sys.stderr)
        raise SystemExit(130) from None
    report = {
        "benchmark": "morning_rush",
        "at": started.isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "concurrency": args.concurrency,
        "client": args.client,
        "nodes": args.nodes,
        "workers": args.workers,
        "threads": args.threads,
        "warm_punches": args.warm_punches,
        "results": results,
        "comparisons": comparisons(results),
    }
    print()
    print(f"load average before {report['load_average_before']}, after "
          f"{report['load_average_after']}; {args.nodes} node(s) × {args.workers} workers × "
          f"{args.threads} threads, {args.concurrency} {args.client} clients, "
          f"{args.warm_punches} warm punches; "
          f"latencies ms, CPU ms per request")  # fmt: skip
    print(table(results))
    for item in report["comparisons"]:
        print(f"{item['database']}: {item['other']} vs {item['base']}: throughput "
              f"×{item['throughput_x']}, p99 ×{item['p99_x']}, server CPU ×{item['server_cpu_x']},"
              f" statements ×{item['statements_x']}")  # fmt: skip
    for r in results:
        if r["rush"]["errors_by_status"] or r["rush"]["not_sent_before_deadline"]:
            rush = r["rush"]
            print(
                f"{Path(r['tree']).name} {r['database']}: errors {rush['errors_by_status']}"
                f" {rush['error_codes']}, not sent {rush['not_sent_before_deadline']}"
            )
        if args.statements:
            print(f"\n{Path(r['tree']).name} {r['database']}: one warm check-in's statements:")
            for n, sql in enumerate(r["inproc"]["listing"].get("in", []), 1):
                print(f"  {n}. {sql[:160]}")
    out = args.json
    if out is None:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"morning_rush-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"result written to {out}")


if __name__ == "__main__":
    main()
