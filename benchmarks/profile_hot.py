"""Where the CPU of one check-in (API and web page) and of one feed poll goes, in process.

Prepares a fresh data directory (one unit, ``--employees`` people with a bound device and
an API token, a web session for each, a Tim IT session), then in a ``govem shell`` of this
tree calls Django's WSGI handler directly — what gunicorn calls, without the socket — for
``--punches`` check-ins through ``POST /api/v1/punches``, the same number through the web
page's ``POST /presensi/``, and ``--polls`` feed polls, each part under cProfile. Prints,
per part, CPU ms per request (``time.process_time``, profiler off), SQL statements per
request, and the profile's top functions (profiler on: slower, read the shares).

    .venv/bin/python benchmarks/profile_hot.py --employees 600 --punches 200 --cpu
    .venv/bin/python benchmarks/profile_hot.py --database-url \\
        postgres://postgres@127.0.0.1:5432/govem_bench_profile --part api --top 40

Under ``valgrind --tool=callgrind`` (instruction counts do not depend on the machine's
load), run the printed ``govem shell`` command with ``GOVEM_PROFILE=off``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from morning_rush import database
from tests.helpers.live_servers import GOVEM, environment, prepare

SESSIONS = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from govem.people.models import Employee
from govem.accounts.views import DEVICE_SESSION_KEY as DEVICE_KEY
out = []
for employee in Employee.objects.select_related("user").order_by("pk"):
    session = SessionStore()
    session[SESSION_KEY] = str(employee.user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = employee.user.get_session_auth_hash()
    session[DEVICE_KEY] = f"device-{employee.pk}"
    session.create()
    out.append(session.session_key)
print("GOVEM-SESSIONS " + json.dumps(out))
"""

RUN = r"""
import cProfile, io, json, os, pstats, sys, time, uuid
from datetime import UTC, datetime
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, reset_queries

setup = json.loads(open(os.environ["GOVEM_PROFILE_SETUP"]).read())
parts = os.environ.get("GOVEM_PROFILE_PARTS", "api,web,feed").split(",")
count = int(os.environ.get("GOVEM_PROFILE_PUNCHES", "200"))
polls = int(os.environ.get("GOVEM_PROFILE_POLLS", "100"))
top = int(os.environ.get("GOVEM_PROFILE_TOP", "30"))
profiling = os.environ.get("GOVEM_PROFILE", "on") != "off"
handler = WSGIHandler()

def call(method, path, body=b"", headers=None, query=""):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json", "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    status = []
    result = handler(environ, lambda s, h, e=None: status.append(s))
    payload = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return int(status[0].split()[0]), payload

def punch_body():
    return json.dumps({"kind": "in", "latitude": -2.9395, "longitude": 115.1613,
                       "accuracy_m": 10.0, "client_time": datetime.now(UTC).isoformat(),
                       "idempotency_key": str(uuid.uuid4())}).encode()

def api(i):
    return call("POST", "/api/v1/punches", punch_body(),
                {"Authorization": f"Bearer {setup['tokens'][i]}"})

def web(i):
    return call("POST", "/presensi/", punch_body(),
                {"Cookie": f"sessionid={setup['sessions'][i]}; csrftoken={'c' * 32}",
                 "X-CSRFToken": "c" * 32, "Origin": "http://127.0.0.1"})

cursor = [""]
def feed(i):
    status, body = call("GET", "/monitor/feed", headers={"Cookie": f"sessionid={setup['session']}"},
                        query=f"after={cursor[0]}")
    if status == 200:
        cursor[0] = json.loads(body)["cursor"]
    return status, body

def backend_ticks():
    # PostgreSQL: this connection's backend process CPU (utime + stime, clock ticks).
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])

def measure(name, fn, indexes, expect):
    fn(indexes[0]); fn(indexes[1])  # warm: the unit context, first imports
    timed, rest = indexes[2:len(indexes) // 2], indexes[len(indexes) // 2:]
    # The PostgreSQL backend's CPU over the timed requests, without the query log (its own
    # reads of the pid are outside the window).
    db_before = backend_ticks()
    started = time.process_time()
    for i in timed:
        status, body = fn(i)
        if status != expect:
            raise SystemExit(f"{name}: {status} {body[:300]!r}")
    cpu = (time.process_time() - started) * 1000 / len(timed)
    db_after = backend_ticks()
    db = ""
    if db_before is not None and db_after is not None:
        tick = os.sysconf("SC_CLK_TCK")
        db = f", PostgreSQL backend {(db_after - db_before) * 1000 / tick / len(timed):.2f} ms CPU"
    connection.force_debug_cursor = True
    statements = []
    for i in rest[:5]:
        reset_queries()
        fn(i)
        statements.append(len(connection.queries))
    listing = [q["sql"][:160] for q in connection.queries]
    connection.force_debug_cursor = False
    rest = rest[5:]
    print(f"\n== {name}: {cpu:.2f} ms CPU per request (profiler off){db}, "
          f"{sorted(statements)[len(statements) // 2]} statements (median), {len(timed)} requests")
    for n, sql in enumerate(listing, 1):
        print(f"   {n}. {sql}")
    if not profiling:
        for i in rest:
            fn(i)
        return
    # --cpu: the profile counts this thread's CPU time, not the wall clock (no disk waits).
    cpu_clock = os.environ.get("GOVEM_PROFILE_CPU") == "1"
    profile = cProfile.Profile(time.thread_time) if cpu_clock else cProfile.Profile()
    profile.enable()
    for i in rest:
        fn(i)
    profile.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profile, stream=stream)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(stream.getvalue())

# --tree/--rounds: each run takes its own slice of the employees (a check-in per employee).
offset = int(os.environ.get("GOVEM_PROFILE_OFFSET", "0"))
n = int(os.environ.get("GOVEM_PROFILE_SLICE", len(setup["tokens"])))
third = min(count, n // 3)
if "api" in parts:
    measure("API check-in", api, list(range(offset, offset + third)), 201)
if "web" in parts:
    measure("web check-in", web, list(range(offset + third, offset + 2 * third)), 201)
if "feed" in parts:
    for i in range(offset + 2 * third, offset + min(n, 2 * third + 20)):
        api(i)
    measure("feed poll", feed, list(range(polls)), 200)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument("--punches", type=int, default=200, help="check-ins per part")
    parser.add_argument("--polls", type=int, default=100)
    parser.add_argument("--part", action="append", choices=["api", "web", "feed"])
    parser.add_argument("--top", type=int, default=30, help="functions listed per profile")
    parser.add_argument("--database-url", help="postgres://…/govem_bench… (dropped)")
    parser.add_argument("--no-profile", action="store_true", help="CPU and statements only")
    parser.add_argument("--cpu", action="store_true", help="profile CPU time, not wall time")
    parser.add_argument(
        "--tree",
        action="append",
        help="a checkout with its own .venv (repeatable, e.g. before and after; default this one)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="runs per tree, the trees taking turns"
    )
    args = parser.parse_args()
    trees = [Path(tree).resolve() for tree in args.tree or [Path(__file__).resolve().parent.parent]]
    runs = len(trees) * args.rounds
    with database(args.database_url) as url:
        if url:
            os.environ["GOVEM_LIVE_DATABASE_URL"] = url
        data_dir = Path(tempfile.mkdtemp(prefix="govem-profile-"))
        # The data directory is set up by this checkout; the trees must share its schema.
        setup = prepare(data_dir, employees=args.employees * runs)
        env = environment(data_dir)
        done = subprocess.run(
            [GOVEM, "shell", "-c", SESSIONS], env=env, check=True, capture_output=True, text=True
        )
        line = next(ln for ln in done.stdout.splitlines() if ln.startswith("GOVEM-SESSIONS "))
        setup["sessions"] = json.loads(line.removeprefix("GOVEM-SESSIONS "))
        (data_dir / "setup.json").write_text(json.dumps(setup))
        env.update(
            {
                "GOVEM_PROFILE_SETUP": str(data_dir / "setup.json"),
                "GOVEM_PROFILE_PARTS": ",".join(args.part or ["api", "web", "feed"]),
                "GOVEM_PROFILE_PUNCHES": str(args.punches),
                "GOVEM_PROFILE_POLLS": str(args.polls),
                "GOVEM_PROFILE_TOP": str(args.top),
                "GOVEM_PROFILE": "off" if args.no_profile else "on",
                "GOVEM_PROFILE_CPU": "1" if args.cpu else "0",
            }
        )
        (data_dir / "run.py").write_text(RUN)
        print(
            f'data dir {data_dir}; rerun: GOVEM_DATA_DIR={data_dir} … govem shell -c "$(cat '
            f'{data_dir / "run.py"})"',
            flush=True,
        )
        if runs == 1 and not args.tree:
            subprocess.run([GOVEM, "shell", "-c", RUN], env=env, check=True)
            return
        compare(trees, args.rounds, args.employees, env, f"load {os.getloadavg()[0]:.1f}")


def compare(trees: list[Path], rounds: int, share: int, env: dict[str, str], load: str) -> None:
    """Each tree's `govem shell` in turn, ``rounds`` times, each on its own employees; then
    per part each tree's median CPU ms per request and its ratio to the first tree's."""
    figures: dict[tuple[str, Path], list[float]] = {}
    run = 0
    for _ in range(rounds):
        for tree in trees:
            env.update(GOVEM_PROFILE_OFFSET=str(run * share), GOVEM_PROFILE_SLICE=str(share))
            run += 1
            done = subprocess.run(
                [str(tree / ".venv" / "bin" / "govem"), "shell", "-c", RUN],
                env=env,
                check=True,
                capture_output=True,
                text=True,
                cwd=tree,
            )
            print(f"--- {tree}", flush=True)
            print(done.stdout, flush=True)
            for line in done.stdout.splitlines():
                if line.startswith("== "):
                    part, rest = line[3:].split(": ", 1)
                    figures.setdefault((part, tree), []).append(float(rest.split(" ms", 1)[0]))
    print(
        f"\n== CPU ms per request, median of {rounds} run(s) per tree ({load} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end)"
    )
    for part in dict.fromkeys(part for part, _ in figures):
        first = None
        for tree in trees:
            values = sorted(figures.get((part, tree), []))
            if not values:
                continue
            median = values[len(values) // 2]
            first = first or median
            print(
                f"   {part:14} {median:6.2f}  ×{median / first:.2f}  {tree}  "
                f"(runs: {', '.join(f'{v:.2f}' for v in figures[(part, tree)])})"
            )


if __name__ == "__main__":
    main()
