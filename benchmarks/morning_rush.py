"""Morning rush: N employees check in against the real multi-process server, with its floor.

What it does, in order (every step bounded in requests and time, only 127.0.0.1):

1. Makes a fresh data directory (``tempfile``) and a fresh database: SQLite (WAL) in that
   directory by default, or PostgreSQL with ``--database-url`` — the script DROPS and
   CREATES the database named in the URL, so that name must start with ``govem_bench``
   (default ``govem_bench`` when the URL names none; never ``test``).
2. ``govem migrate``, ``govem demo`` (the 300-employee Tapin regency), then bulk-creates
   ``--employees`` − 300 extra employees (valid NIPs, same demo password hash, offices of
   the demo units).
3. Gives every unit an all-day schedule: a WorkSchedule ``BENCH-24`` open 00:00–23:59 on all
   seven weekdays, assigned to the root units. The server judges check-ins by its own clock,
   so without it a run in the evening or on a Sunday would measure ``outside_window``
   refusals instead of check-ins. (Check-ins still count as "late": that is a minute count,
   not a refusal.)
4. Starts the real server as deployed: ``govem serve --bind 127.0.0.1:PORT --workers W``
   (gunicorn, W processes × ``--threads`` threads) and waits until ``/api/v1/time`` answers.
5. Logs every employee in through ``POST /api/v1/auth/token`` (not timed as the rush; the
   login rate is reported on its own line: password hashing dominates it).
6. Measures the framework floor: ``GET /api/v1/time`` N times with C concurrent clients.
7. Measures the rush: each employee checks in once (``POST /api/v1/punches`` at their
   office's coordinates) with C concurrent clients, each on its own keep-alive connection.
8. Prints punches/s, p50/p95/p99, errors by status and code, the punch/floor ratios, the
   punches the database holds afterwards, and ``database is locked`` lines in the server
   log; writes the same as JSON to ``benchmarks/results/``. Stops the server (also on
   Ctrl+C) and drops the PostgreSQL database.

    .venv/bin/python benchmarks/morning_rush.py --employees 1000 --concurrency 20 --workers 4
    .venv/bin/python benchmarks/morning_rush.py --employees 1000 --concurrency 20 --workers 4 \\
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GOVEM = str(Path(sys.executable).with_name("govem"))
RESULTS = Path(__file__).resolve().parent / "results"
HOST = "127.0.0.1"
PASSWORD = "govem-demo"  # noqa: S105 (the demo password)

SETUP = r"""
import json
from datetime import date, time, timedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from govem.people.models import Employee, Unit
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
for employee in Employee.objects.select_related("unit").order_by("pk")[:total]:
    office = employee.allowed_locations().order_by("pk").first()
    people.append([employee.identifier, office.latitude, office.longitude])
print("BENCH-SETUP " + json.dumps(people))
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def govem(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [GOVEM, *args], env=env, check=True, capture_output=True, text=True, timeout=900
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
def server(env: dict[str, str], log: Path, workers: int, threads: int) -> Iterator[int]:
    """``govem serve`` on a free local port; stopped (SIGTERM, then SIGKILL) on the way out."""
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [GOVEM, "serve", "--bind", f"{HOST}:{port}", "--workers", str(workers),
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
            yield port
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


Job = tuple[str, str, dict[str, Any] | None, dict[str, str]]


def run_phase(
    port: int, name: str, jobs: list[Job], concurrency: int, budget_s: float, ok: int
) -> tuple[Phase, list[Any]]:
    """Send ``jobs`` with ``concurrency`` clients (one keep-alive connection each)."""
    phase = Phase(name)
    answers: list[Any] = [None] * len(jobs)
    cursor = iter(range(len(jobs)))
    cursor_lock = threading.Lock()
    deadline = time.monotonic() + budget_s

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
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
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            elapsed = time.perf_counter() - started
            answers[index] = data
            with phase.lock:
                phase.latencies.append(elapsed)
                phase.statuses[status] += 1
                if status != ok:
                    code = (data or {}).get("error", {}).get("code") if status else None
                    phase.codes[code or f"http_{status}"] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # join with a timeout so Ctrl+C gets through
            thread.join(0.2)
    phase.elapsed = time.perf_counter() - started
    return phase, answers


def print_phase(label: str, summary: dict[str, Any]) -> None:
    print(
        f"{label:<22} {summary['requests']:>6} req in {summary['seconds']:>7} s = "
        f"{summary['per_second']:>7}/s   p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms"
        f"  p99 {summary['p99_ms']} ms  max {summary['max_ms']} ms"
    )
    if summary["errors_by_status"] or summary["not_sent_before_deadline"]:
        print(
            f"{'':<22} errors by status {summary['errors_by_status']}, codes "
            f"{summary['error_codes']}, not sent {summary['not_sent_before_deadline']}"
        )


def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="govem-rush-"))
    log = data_dir / "serve.log"
    try:
        with database(args.database_url) as url:
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            env.update({"GOVEM_DATA_DIR": str(data_dir), "DEBUG": "0", "ALLOWED_HOSTS": HOST})
            env.update({"GOVEM_LOG_LEVEL": "WARNING"})
            if url:
                env["DATABASE_URL"] = url
            backend = "postgresql" if url else "sqlite"
            print(f"data dir {data_dir}, database {backend}", flush=True)
            clock = time.perf_counter()
            govem(env, "migrate", "--noinput", "-v", "0")
            govem(env, "demo", "--json", "--password", PASSWORD)
            people = tagged(
                govem(env, "shell", "-c", SETUP.replace("__TOTAL__", str(args.employees))),
                "BENCH-SETUP",
            )
            print(f"prepared {len(people)} employees in {time.perf_counter() - clock:.1f} s")
            with server(env, log, args.workers, args.threads) as port:
                print(f"server http://{HOST}:{port}/ ({args.workers} workers × {args.threads}"
                      f" threads), logging in {len(people)} employees ...", flush=True)  # fmt: skip
                logins: list[Job] = [
                    ("POST", "/api/v1/auth/token",
                     {"nip": login, "password": PASSWORD, "device_id": f"bench-device-{login}"},
                     {}) for login, _, _ in people
                ]  # fmt: skip
                login_phase, answers = run_phase(
                    port, "login", logins, args.concurrency, args.budget, ok=200
                )
                tokens = [a.get("token") if isinstance(a, dict) else None for a in answers]
                # warm every worker's imports and connections before measuring
                warm: list[Job] = [("GET", "/api/v1/time", None, {})] * (args.workers * 20)
                run_phase(port, "warm-up", warm, args.concurrency, args.budget, ok=200)
                floor_jobs: list[Job] = [("GET", "/api/v1/time", None, {})] * len(people)
                floor, _ = run_phase(
                    port, "floor", floor_jobs, args.concurrency, args.budget, ok=200
                )
                now = datetime.now(UTC).isoformat()
                rush_jobs: list[Job] = [
                    ("POST", "/api/v1/punches",
                     {"kind": "in", "latitude": lat, "longitude": lon, "accuracy_m": 10.0,
                      "client_time": now, "idempotency_key": str(uuid.uuid4())},
                     {"Authorization": f"Bearer {token}"})
                    for (_, lat, lon), token in zip(people, tokens, strict=True) if token
                ]  # fmt: skip
                rush, answers = run_phase(
                    port, "rush", rush_jobs, args.concurrency, args.budget, ok=201
                )
            verdicts = tagged(govem(env, "shell", "-c", VERIFY), "BENCH-VERIFY")
            locked = log.read_text(errors="replace").count("database is locked")
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    floor_s, rush_s, login_s = floor.summary(200), rush.summary(201), login_phase.summary(200)
    flags = Counter(
        flag for a in answers if isinstance(a, dict) for flag in a.get("flags", []) or []
    )
    return {
        "benchmark": "morning_rush",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": backend,
        "employees": len(people),
        "concurrency": args.concurrency,
        "workers": args.workers,
        "threads": args.threads,
        "cpus": os.cpu_count(),
        "login": login_s,
        "floor": floor_s,
        "rush": rush_s,
        "rush_flags": dict(flags),
        "punches_in_database": verdicts,
        "database_is_locked_lines": locked,
        "ratio_p50_punch_over_floor": ratio(rush_s["p50_ms"], floor_s["p50_ms"]),
        "ratio_throughput_punch_over_floor": ratio(rush_s["per_second"], floor_s["per_second"]),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=1000, help="employees who check in")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument(
        "--database-url", help="postgres://…/govem_bench (dropped and created); default SQLite"
    )
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds per phase before it stops sending"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data dir (server log)")
    args = parser.parse_args()
    if not 300 <= args.employees <= 20_000:
        parser.error("--employees must be between 300 (the demo) and 20000")
    if not 1 <= args.concurrency <= 200 or not 1 <= args.workers <= 32:
        parser.error("--concurrency must be 1–200 and --workers 1–32")

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl+C and SIGTERM both unwind through the finally blocks that stop the server
    # (installed explicitly: a shell starting us in the background ignores SIGINT).
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("\ninterrupted: server stopped, temporary data removed", file=sys.stderr)
        raise SystemExit(130) from None
    print()
    print_phase("login (not timed)", result["login"])
    print_phase("floor GET /time", result["floor"])
    print_phase("rush POST /punches", result["rush"])
    print(
        f"punch/floor: p50 ×{result['ratio_p50_punch_over_floor']}, throughput "
        f"×{result['ratio_throughput_punch_over_floor']}; punches stored by verdict "
        f"{result['punches_in_database']}; flags {result['rush_flags']}; "
        f"'database is locked' in server log: {result['database_is_locked_lines']}"
    )
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"morning_rush-{result['database']}-{result['employees']}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"result written to {out}")


if __name__ == "__main__":
    main()
