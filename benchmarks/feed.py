"""Feed latency under a morning peak: 100 dashboards poll, employees check in at a fixed rate.

Starts a real multi-process `govem serve` (gunicorn) on 127.0.0.1 over a fresh database
(SQLite in a temp dir, or PostgreSQL with ``--database-url postgres://…/govem_bench…``,
DROPPED and created like morning_rush.py does), creates a regency of ``--employees`` people
with tokens, then for ``--duration`` seconds:

- ``--dashboards`` clients poll ``/monitor/feed?after=<cursor>`` every 2 s (Tim IT session);
- punches arrive open-loop at ``--rate`` per second through ``POST /api/v1/punches``.

Prints p50/p95/p99 for the feed and the punches, achieved rates and errors (5xx or no
answer; 409 "already checked in" is a normal refusal).

    .venv/bin/python benchmarks/feed.py --duration 30 --rate 300 --workers 4
    .venv/bin/python benchmarks/feed.py --duration 30 --rate 300 --workers 4 \\
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_feed --json /tmp/feed.json

Target (issue 12): feed p99 ≤ 2 s on both databases at the punch rate the machine sustains
(morning_rush.py gives it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from morning_rush import database
from tests.helpers.live_servers import prepare, punch_body, servers


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"feed": [], "punch": []}
        self.errors: dict[str, int] = {"feed": 0, "punch": 0}
        self.statuses: dict[str, dict[int, int]] = {"feed": {}, "punch": {}}
        self.feed_items = 0

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[kind][status] = self.statuses[kind].get(status, 0) + 1
            if status >= 500 or status == 0:
                self.errors[kind] += 1


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def connect(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def exchange(
    conn: http.client.HTTPConnection, base: str, method: str, path: str, **kwargs: object
) -> tuple[http.client.HTTPConnection, int, bytes]:
    """One request; a keep-alive connection the server closed meanwhile is reopened once."""
    for attempt in (1, 2):
        try:
            conn.request(method, path, **kwargs)  # type: ignore[arg-type]
            response = conn.getresponse()
            return conn, response.status, response.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            conn.close()
            conn = connect(base)
            if attempt == 2:
                return conn, 0, b""
        except (OSError, http.client.HTTPException):
            conn.close()
            return connect(base), 0, b""
    return conn, 0, b""


def dashboard(base: str, session: str, stop: float, rec: Recorder, offset: float) -> None:
    conn = connect(base)
    cursor = ""
    next_at = time.monotonic() + offset
    while True:
        delay = next_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if time.monotonic() >= stop:
            break
        next_at += 2.0
        started = time.monotonic()
        conn, status, body = exchange(
            conn,
            base,
            "GET",
            f"/monitor/feed?after={cursor}",
            headers={"Cookie": f"sessionid={session}"},
        )
        if status == 200:
            data = json.loads(body)
            cursor = data["cursor"]
            with rec.lock:
                rec.feed_items += len(data["punches"])
        rec.add("feed", time.monotonic() - started, status)


def puncher(base: str, jobs: queue.Queue, rec: Recorder) -> None:
    conn = connect(base)
    while True:
        job = jobs.get()
        if job is None:
            return
        token, kind = job
        body = punch_body(kind, str(uuid.uuid4()))
        started = time.monotonic()
        conn, status, _ = exchange(
            conn,
            base,
            "POST",
            "/api/v1/punches",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        rec.add("punch", time.monotonic() - started, status)


def server_cpu_s(port: int) -> float:
    """User + system CPU seconds of every process serving ``port`` (gunicorn master and
    workers: a worker is a fork, its command line is the master's)."""
    total = 0
    needle = f"127.0.0.1:{port}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def run(args: argparse.Namespace) -> dict[str, object]:
    data_dir = Path(tempfile.mkdtemp(prefix="govem-bench-"))
    print(f"preparing {args.employees} employees in {data_dir} ...", flush=True)
    setup = prepare(data_dir, employees=args.employees)
    tokens: list[str] = setup["tokens"]
    rec = Recorder()
    with servers(data_dir, count=1, workers=args.workers, threads=args.threads) as (base,):
        print(f"server {base} ({args.workers} workers x {args.threads} threads)", flush=True)
        port = int(urlsplit(base).port or 0)
        cpu_before = server_cpu_s(port)
        start = time.monotonic()
        stop = start + args.duration
        jobs: queue.Queue = queue.Queue()
        threads = [
            threading.Thread(
                target=dashboard,
                args=(base, setup["session"], stop, rec, 2.0 * i / args.dashboards),
                daemon=True,
            )
            for i in range(args.dashboards)
        ]
        threads += [
            threading.Thread(target=puncher, args=(base, jobs, rec), daemon=True)
            for _ in range(args.punch_clients)
        ]
        for thread in threads:
            thread.start()
        sent = 0
        seen: set[int] = set()
        while True:
            now = time.monotonic()
            if now >= stop:
                break
            due = int((now - start) * args.rate)
            while sent < due:
                index = sent % len(tokens)
                jobs.put((tokens[index], "out" if index in seen else "in"))
                seen.add(index)
                sent += 1
            time.sleep(0.005)
        backlog = 0
        while True:  # bounded: punches not started by the deadline are dropped, and counted
            try:
                jobs.get_nowait()
                backlog += 1
            except queue.Empty:
                break
        for _ in range(args.punch_clients):
            jobs.put(None)
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - start
        cpu = server_cpu_s(port) - cpu_before
    result: dict[str, object] = {
        "duration_s": round(elapsed, 1),
        "employees": args.employees,
        "dashboards": args.dashboards,
        "target_punch_rate": args.rate,
        "punches_scheduled": sent,
        "punches_not_started_by_deadline": backlog,
        "feed_items_delivered": rec.feed_items,
        "server_cpu_s": round(cpu, 2),
        "server_cpu_cores": round(cpu / elapsed, 2),
        "server_cpu_ms_per_request": round(
            1000 * cpu / max(1, len(rec.latencies["feed"]) + len(rec.latencies["punch"])), 2
        ),
    }
    for kind in ("feed", "punch"):
        values = rec.latencies[kind]
        result[kind] = {
            "requests": len(values),
            "rate_per_s": round(len(values) / elapsed, 1),
            "p50_ms": round(1000 * percentile(values, 0.50), 1),
            "p95_ms": round(1000 * percentile(values, 0.95), 1),
            "p99_ms": round(1000 * percentile(values, 0.99), 1),
            "mean_ms": round(1000 * statistics.fmean(values), 1) if values else None,
            "errors": rec.errors[kind],
            "statuses": rec.statuses[kind],
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--rate", type=float, default=300, help="punches per second")
    parser.add_argument("--dashboards", type=int, default=100)
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, os.cpu_count() or 1),
        help="gunicorn worker processes (default: govem serve's, one per core, at least 2)",
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    parser.add_argument("--punch-clients", type=int, default=48, help="concurrent punch clients")
    parser.add_argument(
        "--database-url", help="postgres://…/govem_bench… (dropped and created); default SQLite"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with database(args.database_url) as url:
        if url:
            os.environ["GOVEM_LIVE_DATABASE_URL"] = url
        try:
            result = run(args)
        finally:
            os.environ.pop("GOVEM_LIVE_DATABASE_URL", None)
    result["database"] = "postgresql" if args.database_url else "sqlite"
    result["load_average_before"] = [round(x, 2) for x in load_before]
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"server CPU: {result['server_cpu_cores']} cores, "
        f"{result['server_cpu_ms_per_request']} ms per request (feed polls and punches)"
    )
    for kind in ("feed", "punch"):
        item = result[kind]
        assert isinstance(item, dict)
        print(
            f"{kind:5}: p50 {item['p50_ms']} ms, p95 {item['p95_ms']} ms, p99 {item['p99_ms']} ms,"
            f" {item['rate_per_s']}/s, errors {item['errors']}"
        )


if __name__ == "__main__":
    main()
