"""Capacity: what one check-in and one feed poll cost the app nodes and PostgreSQL.

The figures docs/scaling.md builds its regency → province → nation table from. It starts its
own PostgreSQL (a throwaway cluster in a temporary directory, ``pg_stat_statements`` loaded,
so its processes and statements are this run's alone), ``--nodes`` ``govem serve`` nodes on
it (separate data dirs, one ``SECRET_KEY``, clients spread round-robin as a load balancer
would), and measures, per phase:

- **floor**: ``GET /api/v1/time`` (no database) — the framework's own cost;
- **rush**: every employee checks in once (``POST /api/v1/punches``);
- **feed**: ``--viewers`` monitor tabs polling ``/monitor/feed`` every 2 s while a trickle of
  punches arrives (``--feed-seconds`` long); a poll's cost is the phase's less the trickle's
  check-ins at the rush's price per check-in.

For each: requests/s, p50/p95, **app CPU ms per request** (user+system time of every process
of every node, from /proc), **PostgreSQL CPU ms per request** (every process of the cluster),
**statements per request** and **PostgreSQL execution ms per request** (pg_stat_statements).

    .venv/bin/python benchmarks/capacity.py --employees 2000 --nodes 2
    .venv/bin/python benchmarks/capacity.py --employees 2000 --nodes 1

Bounded: requests are counted, every phase has a time budget, only 127.0.0.1. Root runs
PostgreSQL as the ``postgres`` user. Results also go to ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg
from morning_rush import (
    PASSWORD,
    SETUP,
    VERIFY,
    Job,
    Phase,
    govem,
    print_phase,
    punch_jobs,
    run_phase,
    server,
    spread,
    tagged,
)
from tests.pgcluster import Cluster, primary_and_replica

RESULTS = Path(__file__).resolve().parent / "results"
# The govem of the interpreter running this script (morning_rush.govem takes the binary).
GOVEM = str(Path(sys.executable).parent / "govem")
TICK = os.sysconf("SC_CLK_TCK")
SECRET = "capacity-benchmark-" + "k" * 40

SESSION = r"""
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import get_user_model
user = get_user_model().objects.create_user(username="bench-timit", password="x-123456789")
user.groups.add(Group.objects.get(name="Tim IT"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
import json
print("BENCH-SESSION " + json.dumps(session.session_key))
"""


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(session id, parent pid, utime+stime ticks) of a process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return int(fields[3]), int(fields[1]), int(fields[11]) + int(fields[12])


def cpu_ticks(sessions: set[int], postmaster: int) -> tuple[int, int]:
    """CPU ticks of every process in ``sessions`` (the nodes) and of the PostgreSQL cluster."""
    app = pg = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = _stat(pid)
        if stat is None:
            continue
        session, parent, ticks = stat
        if session in sessions:
            app += ticks
        elif pid == postmaster or parent == postmaster:
            pg += ticks
    return app, pg


def statements(cluster: Cluster) -> tuple[int, float, int]:
    """Statements run, their execution ms, and the WAL position (bytes) on the primary."""
    with psycopg.connect(cluster.primary_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0), "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint "
            "FROM pg_stat_statements WHERE query NOT LIKE '%%pg_stat_statements%%'"
        ).fetchone()
    assert row is not None
    return int(row[0]), float(row[1]), int(row[2])


class Meter:
    def __init__(self, cluster: Cluster, sessions: set[int]) -> None:
        self.cluster, self.sessions = cluster, sessions
        pid_file = cluster.root / "primary" / "postmaster.pid"
        self.postmaster = int(pid_file.read_text().split()[0])

    def __enter__(self) -> Meter:
        self.start = (*cpu_ticks(self.sessions, self.postmaster), *statements(self.cluster))
        return self

    def __exit__(self, *exc: object) -> None:
        self.end = (*cpu_ticks(self.sessions, self.postmaster), *statements(self.cluster))

    def per(self, requests: int) -> dict[str, float | None]:
        if not requests:
            return {}
        app, pg, calls, exec_ms, wal = (b - a for a, b in zip(self.start, self.end, strict=True))
        calls -= 1  # the closing pg_stat_statements read is not the workload's
        return {
            "app_cpu_ms": round(app * 1000 / TICK / requests, 2),
            "pg_cpu_ms": round(pg * 1000 / TICK / requests, 2),
            "statements": round(calls / requests, 2),
            "pg_exec_ms": round(exec_ms / requests, 3),
            "wal_bytes": round(wal / requests),
        }


def feed_phase(
    ports: list[int], session: str, tokens: list[str], people: list[Any], args: argparse.Namespace
) -> Phase:
    """``--viewers`` tabs poll the feed every 2 s; a trickle of check-outs keeps it moving."""
    import http.client

    phase = Phase("feed")
    phase.codes["trickle_punches"] = 0  # punches sent meanwhile (their cost is subtracted)
    stop = time.monotonic() + args.feed_seconds

    def viewer(index: int) -> None:
        port = ports[index % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        cursor = ""
        while time.monotonic() < stop:
            started = time.perf_counter()
            status = 0
            try:
                conn.request(
                    "GET",
                    f"/monitor/feed?after={cursor}",
                    headers={"Cookie": f"sessionid={session}"},
                )
                response = conn.getresponse()
                body = json.loads(response.read())
                status = response.status
                cursor = body.get("cursor", cursor)
            except (OSError, ValueError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with phase.lock:
                phase.latencies.append(time.perf_counter() - started)
                phase.statuses[status] += 1
            time.sleep(max(0.0, 2.0 - (time.perf_counter() - started)))

    def trickle() -> None:
        now = datetime.now(UTC).isoformat()
        for index, ((_, lat, lon), token) in enumerate(zip(people, tokens, strict=False)):
            if time.monotonic() >= stop:
                return
            run_phase(ports[index % len(ports)], "trickle",
                      punch_jobs("out", [(token, lat, lon)], now), 1, 10, 201)  # fmt: skip
            with phase.lock:
                phase.codes["trickle_punches"] += 1
            time.sleep(1.0 / args.feed_punch_rate)

    threads = [threading.Thread(target=viewer, args=(i,)) for i in range(args.viewers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    trickler = threading.Thread(target=trickle)
    trickler.start()
    for thread in [*threads, trickler]:
        while thread.is_alive():
            thread.join(0.2)
    phase.elapsed = time.perf_counter() - started
    return phase


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="govem-capacity-"))
    try:
        return _run(args, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    conf = "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n"
    with primary_and_replica("govem_bench", replica=False, extra_conf=conf) as cluster:
        with psycopg.connect(cluster.primary_url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION pg_stat_statements")
        envs = []
        for index in range(args.nodes):
            data = root / f"node-{index}"
            data.mkdir()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "GOVEM_"))}
            env.update({"DATABASE_URL": cluster.primary_url, "GOVEM_DATA_DIR": str(data),
                        "SECRET_KEY": SECRET, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
                        "GOVEM_LOG_LEVEL": "WARNING"})  # fmt: skip
            envs.append(env)
        clock = time.perf_counter()
        govem(GOVEM, envs[0], "migrate", "--noinput", "-v", "0")
        govem(GOVEM, envs[0], "demo", "--json", "--password", PASSWORD)
        people = tagged(
            govem(GOVEM, envs[0], "shell", "-c", SETUP.replace("__TOTAL__", str(args.employees))),
            "BENCH-SETUP",
        )
        session = tagged(govem(GOVEM, envs[0], "shell", "-c", SESSION), "BENCH-SESSION")
        print(f"prepared {len(people)} employees in {time.perf_counter() - clock:.1f} s")
        with ExitStack() as stack:
            ports = [
                stack.enter_context(
                    server(GOVEM, env, root / f"node-{i}.log", args.workers, args.threads)
                )[0]
                for i, env in enumerate(envs)
            ]
            sessions = _sessions_of(root, ports)
            print(f"{args.nodes} node(s) on ports {ports}, {args.workers} workers × "
                  f"{args.threads} threads each", flush=True)  # fmt: skip
            # morning_rush.SETUP hands out [token, latitude, longitude] per employee.
            pairs = [(person, person[0]) for person in people]
            order = [person for person, _ in pairs]
            tokens = [token for _, token in pairs]
            print(f"{len(pairs)} of {len(people)} logged in", flush=True)
            warm: list[Job] = [("GET", "/api/v1/time", None, {})] * (args.workers * 20)
            spread(ports, "warm-up", warm, args, 200)
            floor_jobs: list[Job] = [("GET", "/api/v1/time", None, {})] * len(people)
            with Meter(cluster, sessions) as floor_meter:
                floor, _ = spread(ports, "floor", floor_jobs, args, 200)
            rush_jobs = punch_jobs("in", [(token, lat, lon) for (_, lat, lon), token in pairs])
            with Meter(cluster, sessions) as rush_meter:
                rush, _ = spread(ports, "rush", rush_jobs, args, 201)
            with Meter(cluster, sessions) as feed_meter:
                feed = feed_phase(ports, session, tokens, order, args)
        verdicts = tagged(govem(GOVEM, envs[0], "shell", "-c", VERIFY), "BENCH-VERIFY")
    floor_s, rush_s, feed_s = floor.summary(200), rush.summary(201), feed.summary(200)
    punch_cost = rush_meter.per(rush_s["requests"])
    trickled = feed.codes["trickle_punches"]
    feed_total = feed_meter.per(feed_s["requests"])
    # What one poll costs: the phase's totals less the trickle's punches at the rush's price.
    polls = max(feed_s["requests"], 1)
    feed_cost = {
        key: round(value - (punch_cost.get(key) or 0) * trickled / polls, 3)
        for key, value in feed_total.items()
        if value is not None
    }
    return {
        "benchmark": "capacity",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "nodes": args.nodes,
        "employees": len(people),
        "workers_per_node": args.workers,
        "threads": args.threads,
        "concurrency": args.concurrency,
        "cpus": os.cpu_count(),
        "floor": floor_s | {"cost": floor_meter.per(floor_s["requests"])},
        "rush": rush_s | {"cost": rush_meter.per(rush_s["requests"])},
        # "cost": one poll alone (the figure the model uses); "cost_with_trickle": the phase's
        # totals per poll, the trickle's check-ins included.
        "feed": feed_s
        | {
            "viewers": args.viewers,
            "trickle_punches": trickled,
            "cost": feed_cost,
            "cost_with_trickle": feed_total,
        },
        "punches_in_database": verdicts,
    }


def _sessions_of(root: Path, ports: list[int]) -> set[int]:
    """The session ids of the nodes' gunicorn processes (each node runs in its own session)."""
    sessions = set()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry.name}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(f"127.0.0.1:{port}".encode() in part for part in command for port in ports):
            stat = _stat(int(entry.name))
            if stat:
                sessions.add(stat[0])
    return sessions


# docs/scaling.md's assumptions: employees per size (the nation: the WIB zone's peak), open
# monitor dashboards, the share of employees checking in during the peak minute, a feed poll
# every 2 s per dashboard, cores sized for 60 % utilisation at the peak.
SIZES = (
    ("regency", 10_000, 30),
    ("province", 100_000, 300),
    ("nation (WIB peak)", 2_900_000, 5000),
)
PEAK_MINUTE_SHARE = 0.10
POLLS_PER_VIEWER_S = 0.5
UTILISATION = 0.6


def model(result: dict[str, Any]) -> list[dict[str, Any]]:
    """What each size needs, from one run's costs per check-in and per feed poll."""
    punch, poll = result["rush"]["cost"], result["feed"]["cost"]
    rows = []
    for name, employees, viewers in SIZES:
        punches_s = employees * PEAK_MINUTE_SHARE / 60
        polls_s = viewers * POLLS_PER_VIEWER_S

        rows.append({
            "size": name, "employees": employees, "dashboards": viewers,
            "check_ins_per_s": round(punches_s, 1),
            "app_cores_check_ins": round(punches_s * punch["app_cpu_ms"] / 1000 / UTILISATION, 2),
            "app_cores_feed": round(polls_s * poll["app_cpu_ms"] / 1000 / UTILISATION, 2),
            "pg_cores_check_ins": round(punches_s * punch["pg_cpu_ms"] / 1000 / UTILISATION, 2),
            "pg_cores_feed": round(polls_s * poll["pg_cpu_ms"] / 1000 / UTILISATION, 2),
            "statements_per_s": round(
                punches_s * punch["statements"] + polls_s * poll["statements"]
            ),
            "wal_kb_per_s": round(punches_s * punch["wal_bytes"] / 1000, 1),
        })  # fmt: skip
    return rows


def print_model(result: dict[str, Any]) -> None:
    rows = model(result)
    keys = [key for key in rows[0] if key != "size"]
    print(f"\n{'':<20}" + "".join(f"{row['size']:>20}" for row in rows))
    for key in keys:
        print(f"{key:<20}" + "".join(f"{row[key]:>20}" for row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--model", type=Path, metavar="RESULT.json",
        help="print docs/scaling.md's table from a saved result instead of measuring",
    )  # fmt: skip
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--nodes", type=int, default=2, help="app nodes on one PostgreSQL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=20, help="clients, over all nodes")
    parser.add_argument("--viewers", type=int, default=20, help="monitor tabs in the feed phase")
    parser.add_argument("--feed-seconds", type=float, default=20)
    parser.add_argument("--feed-punch-rate", type=float, default=10, help="punches/s meanwhile")
    parser.add_argument("--budget", type=float, default=300, help="seconds per phase at most")
    args = parser.parse_args()
    if args.model:
        print_model(json.loads(args.model.read_text()))
        return
    if not 300 <= args.employees <= 20_000 or not 1 <= args.nodes <= 4:
        parser.error("--employees 300–20000, --nodes 1–4")
    if not 1 <= args.viewers <= 200 or not 1 <= args.feed_seconds <= 120:
        parser.error("--viewers 1–200, --feed-seconds 1–120")

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl+C and SIGTERM unwind through the blocks that stop the nodes and the cluster.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    load_before = [round(x, 2) for x in os.getloadavg()]
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("\ninterrupted: nodes and PostgreSQL stopped", file=sys.stderr)
        raise SystemExit(130) from None
    result["load_average_before"] = load_before
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(f"load average before {load_before}, after {result['load_average_after']}; "
          f"{args.nodes} node(s) × {args.workers} workers × {args.threads} threads")  # fmt: skip
    for label, key in (("floor GET /time", "floor"), ("rush POST /punches", "rush"),
                       ("feed GET /monitor/feed", "feed")):  # fmt: skip
        print_phase(label, result[key])
        print(f"{'':<22} per request: {result[key]['cost']}")
    print(f"punches stored by verdict {result['punches_in_database']}")
    result["model"] = model(result)
    print_model(result)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"capacity-{args.nodes}nodes-{result['employees']}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"result written to {out}")


if __name__ == "__main__":
    main()
