"""How long do the attendance reports take for a regency: 10 000 employees, a day and a month?

In process, on SQLite (a data directory) or PostgreSQL (``--database-url``):

1. Seeds (``_seed.populate`` with realistic names, positions, unit names and punch places:
   N employees in 15 units, October 2026's punches) and computes the month's day records
   (``recompute_days``, timed but not part of the report numbers) — or, with ``--reuse``,
   uses a database a previous run seeded (``--keep``/``--data-dir``, or a PostgreSQL
   database kept without ``--drop``).
2. Times, ``--repeat`` times each, round-robin (so a burst of load on the machine spreads
   over every step instead of landing on one):

   - floor (daily): the date's day records for the same scope, ``values_list`` into a list,
   - daily rows: ``daily_report(Employee.objects.all(), day)``,
   - daily XLSX, CSV, PDF render from those rows (and total = rows + render, per repeat),
   - floor (monthly): the month's day records, ``values_list``, iterated in chunks,
   - monthly sheet: ``monthly_sheet(Employee.objects.all(), 2026-10-01)``,
   - monthly XLSX, CSV, PDF render (and total = sheet + render).

   and prints median and min per step, its ratio to the floor (machine-independent-ish),
   output sizes and row counts, and the issue's targets (daily XLSX < 3 s, monthly XLSX < 15 s).
3. Checks the outputs (not timed): XLSX reopened with openpyxl (read-only) and its data rows
   counted, CSV rows, PDF pages (pypdf) and the first page's text, place columns filled, and
   the SQL the builders send (count and time, Django's query capture).
4. ``--profile``: each step once more under cProfile; top functions printed, ``.prof`` files
   written to ``benchmarks/results/`` with the JSON of the run.

    nice .venv/bin/python benchmarks/reports.py --employees 10000 --repeat 3
    nice .venv/bin/python benchmarks/reports.py --employees 10000 --repeat 3 \\
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_reports --drop

    # seed once, keep it, then rerun against it
    nice .venv/bin/python benchmarks/reports.py --data-dir /tmp/govem-reports-10k
    nice .venv/bin/python benchmarks/reports.py --data-dir /tmp/govem-reports-10k --reuse

Without ``--reuse`` the PostgreSQL database is DROPPED and created again (its name must start
with govem_bench), and an SQLite ``--data-dir`` must not hold a database yet.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import json
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _seed import MONTH_END, MONTH_START, ONE_DATE, populate, prepare

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"daily XLSX total": 3.0, "monthly XLSX total": 15.0}  # seconds, from the issue


@dataclass
class Step:
    name: str
    floor: str = ""  # the floor step this one is compared with
    times: list[float] = field(default_factory=list)
    size: int | None = None  # bytes of output
    rows: int | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)


def timed(step: Step, action: Callable[[], Any]) -> Any:
    gc.collect()
    began = time.perf_counter()
    result = action()
    step.times.append(time.perf_counter() - began)
    return result


def code_version() -> str:
    """The commit measured, and whether the reports' code differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src/govem/reports"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head} + uncommitted changes in src/govem/reports" if dirty else head


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- the database


def open_database(options: argparse.Namespace) -> tuple[Path, bool]:
    """Prepare the database; (data dir, whether it needs seeding)."""
    data_dir = Path(options.data_dir).resolve() if options.data_dir else None
    sqlite_file = data_dir / "govem.sqlite3" if data_dir else None
    if options.reuse and not options.database_url and data_dir is None:
        sys.exit("--reuse on SQLite needs the --data-dir of a previous run")
    if not options.reuse and not options.database_url and sqlite_file and sqlite_file.exists():
        sys.exit(f"{sqlite_file} exists: pass --reuse, or another --data-dir")
    work = prepare(
        options.database_url, data_dir=data_dir, fresh=not options.reuse, prefix="govem-reports-"
    )
    from govem.people.models import Employee

    return work, not Employee.objects.exists()


def seed(options: argparse.Namespace, needs_seed: bool) -> None:
    from django.db import connection

    from govem.attendance.days import recompute_days
    from govem.attendance.models import DayRecord, Punch
    from govem.people.models import Employee

    if needs_seed:
        began = time.perf_counter()
        punches = populate(options.employees, random.Random(options.seed), realistic=True)
        print(
            f"seeded {options.employees} employees, {punches} punches "
            f"in {time.perf_counter() - began:.1f} s",
            flush=True,
        )
    else:
        employees, punches = Employee.objects.count(), Punch.objects.count()
        print(f"reusing the database: {employees} employees, {punches} punches", flush=True)
        if employees != options.employees:
            print(f"  (not --employees {options.employees}: the numbers are for {employees})")
    month = DayRecord.objects.filter(date__gte=MONTH_START, date__lte=MONTH_END)
    if needs_seed or options.recompute or not month.exists():
        began = time.perf_counter()
        result = recompute_days(None, MONTH_START, MONTH_END)
        print(
            f"recomputed October 2026: {result.days} day records in "
            f"{time.perf_counter() - began:.1f} s (created {result.created}, "
            f"updated {result.updated}, unchanged {result.unchanged})",
            flush=True,
        )
    print(
        f"database: {connection.vendor}, {month.count()} day records in the month, "
        f"{DayRecord.objects.filter(date=ONE_DATE).count()} on {ONE_DATE}",
        flush=True,
    )


# ------------------------------------------------------------------------------ the steps

DAILY_FIELDS = (
    "id",
    "employee_id",
    "time_zone",
    "workday",
    "expected_start",
    "expected_end",
    "first_in",
    "last_out",
    "status",
    "codes",
    "explanation",
    "locked",
)


def floor_daily() -> list[Any]:
    from govem.attendance.models import DayRecord

    return list(DayRecord.objects.filter(date=ONE_DATE).values_list(*DAILY_FIELDS))


def floor_monthly() -> int:
    from govem.attendance.models import DayRecord
    from govem.reports.monthly import _Day

    records = DayRecord.objects.filter(date__gte=MONTH_START, date__lte=MONTH_END)
    return sum(1 for _ in records.values_list(*_Day._fields).iterator(5000))


def build_daily() -> Any:
    from govem.people.models import Employee
    from govem.reports.daily import daily_report

    return daily_report(Employee.objects.all(), ONE_DATE)


def build_monthly() -> Any:
    from govem.people.models import Employee
    from govem.reports.monthly import monthly_sheet

    return monthly_sheet(Employee.objects.all(), MONTH_START)


def renderers() -> dict[str, Callable[[Any], bytes]]:
    from govem.reports.daily_formats import daily_csv, daily_pdf, daily_xlsx
    from govem.reports.monthly_formats import monthly_csv, monthly_pdf, monthly_xlsx

    return {
        "daily XLSX": daily_xlsx,
        "daily CSV": daily_csv,
        "daily PDF": daily_pdf,
        "monthly XLSX": monthly_xlsx,
        "monthly CSV": monthly_csv,
        "monthly PDF": monthly_pdf,
    }


FORMATS = ("XLSX", "CSV", "PDF")


def measure(
    repeat: int, formats: tuple[str, ...] = FORMATS
) -> tuple[dict[str, Step], dict[str, Any], dict[str, bytes]]:
    """Every step ``repeat`` times, round-robin; the steps, the last built data and outputs."""
    render = renderers()
    steps: dict[str, Step] = {}

    def step(name: str, floor: str = "") -> Step:
        return steps.setdefault(name, Step(name, floor))

    built: dict[str, Any] = {}
    outputs: dict[str, bytes] = {}
    for round_ in range(1, repeat + 1):
        began = time.perf_counter()
        for family, floor, build in (
            ("daily", floor_daily, build_daily),
            ("monthly", floor_monthly, build_monthly),
        ):
            floor_name = f"floor ({family}: day records, values_list)"
            fetched = timed(step(floor_name), floor)
            step(floor_name).rows = fetched if isinstance(fetched, int) else len(fetched)
            rows_step = step(f"{family} rows build", floor_name)
            data = timed(rows_step, build)
            rows_step.rows = len(data.rows)
            built[family] = data
            for kind in formats:
                name = f"{family} {kind}"
                render_step = step(f"{name} render", floor_name)
                output = timed(render_step, lambda data=data, name=name: render[name](data))
                render_step.size, render_step.rows = len(output), len(data.rows)
                outputs[name] = output
                total = step(f"{name} total", floor_name)
                total.times.append(rows_step.times[-1] + render_step.times[-1])
                total.size, total.rows = render_step.size, render_step.rows
            if len(formats) > 1:
                everything = step(f"{family} all formats ({'+'.join(formats)})", floor_name)
                everything.times.append(
                    rows_step.times[-1]
                    + sum(step(f"{family} {kind} render").times[-1] for kind in formats)
                )
        print(
            f"  round {round_}/{repeat} done in {time.perf_counter() - began:.1f} s "
            f"(peak RSS {peak_rss_mb():.0f} MB)",
            flush=True,
        )
    return steps, built, outputs


def print_steps(steps: dict[str, Step]) -> list[str]:
    print()
    print(f"{'step':<44} {'median':>9} {'min':>9} {'×floor':>8} {'size':>10} {'rows':>8}")
    for item in steps.values():
        ratio = item.median / steps[item.floor].median if item.floor else 1.0
        size = f"{item.size / 1024:.0f} KiB" if item.size is not None else ""
        rows = "" if item.rows is None else str(item.rows)
        print(
            f"{item.name:<44} {item.median:8.3f}s {item.best:8.3f}s {ratio:7.1f}× "
            f"{size:>10} {rows:>8}"
        )
    verdicts = []
    for name, limit in TARGETS.items():
        if name not in steps:
            continue
        item = steps[name]
        verdict = "OK" if item.median < limit else "OVER"
        verdicts.append(f"{name} < {limit:g} s: median {item.median:.2f} s → {verdict}")
    print()
    for line in verdicts:
        print("target:", line)
    return verdicts


# ------------------------------------------------------------------------------ the checks


def check(built: dict[str, Any], outputs: dict[str, bytes]) -> list[str]:
    """Open every output and count what it holds; (not timed)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook
    from pypdf import PdfReader

    report, sheet = built["daily"], built["monthly"]
    lines: list[str] = []

    def note(text: str) -> None:
        lines.append(text)
        print("check:", text, flush=True)

    print()
    with_in = sum(1 for row in report.rows if row.in_location and row.in_distance is not None)
    with_out = sum(1 for row in report.rows if row.out_location and row.out_distance is not None)
    note(
        f"daily rows {len(report.rows)}; check-in place+distance filled {with_in}, "
        f"check-out {with_out}; with a check-in time {sum(1 for r in report.rows if r.in_time)}; "
        f"totals {[(code, count) for code, _, count in report.totals]}"
    )
    filled = sum(1 for row in sheet.rows for cell in row.days if cell)
    note(
        f"monthly rows {len(sheet.rows)} × {len(sheet.dates)} days, {filled} day cells filled; "
        f"codes {sheet.codes}; {len(sheet.rates)} unit rate lines"
    )
    for name, sheet_name, expected in (
        ("daily XLSX", "Laporan harian", len(report.rows)),
        ("monthly XLSX", "Rekap bulanan", len(sheet.rows)),
    ):
        if name not in outputs:
            continue
        book = load_workbook(io.BytesIO(outputs[name]), read_only=True)
        total = data = width = 0
        for values in book[sheet_name].iter_rows(values_only=True):
            total += 1
            if values and isinstance(values[0], int):
                data += 1
                width = max(width, len(values))
        sheets = book.sheetnames
        book.close()
        verdict = "ok" if data == expected else f"EXPECTED {expected}"
        note(f"{name}: sheets {sheets}; {total} rows, {data} data rows × {width} cols ({verdict})")
    for name, expected in (("daily CSV", len(report.rows)), ("monthly CSV", len(sheet.rows))):
        if name not in outputs:
            continue
        rows = list(csv.reader(io.StringIO(outputs[name].decode("utf-8-sig"))))
        verdict = "ok" if len(rows) - 1 == expected else f"EXPECTED {expected}"
        note(f"{name}: 1 header + {len(rows) - 1} rows × {len(rows[0])} cols ({verdict})")
    for name, sample in (
        ("daily PDF", report.rows[0].name),
        ("monthly PDF", sheet.rows[0].nip),
    ):
        if name not in outputs:
            continue
        reader = PdfReader(io.BytesIO(outputs[name]))
        text = reader.pages[0].extract_text() or ""
        found = "found" if sample.split(",")[0] in text else "NOT FOUND"
        place = ""
        if name == "daily PDF":
            place = f"; a place name on page 1: {'Kantor' in text}"
        note(f"{name}: {len(reader.pages)} pages; first row {sample!r} on page 1 {found}{place}")
    for family, build in (("daily", build_daily), ("monthly", build_monthly)):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            build()
            seconds = time.perf_counter() - began
        sql = sum(float(query["time"]) for query in queries.captured_queries)
        note(
            f"{family} rows build: {len(queries.captured_queries)} SQL queries, "
            f"{sql:.2f} s executing them (fetching rows not included) of {seconds:.2f} s"
        )
    return lines


# ----------------------------------------------------------------------------- profiling


def profile(
    built: dict[str, Any], stamp: str, vendor: str, top: int, formats: tuple[str, ...]
) -> None:
    render = renderers()
    actions: list[tuple[str, Callable[[], Any]]] = [
        ("daily rows build", build_daily),
        ("monthly rows build", build_monthly),
    ]
    for name, function in render.items():
        if name.split()[1] not in formats:
            continue
        data = built[name.split()[0]]
        actions.append((f"{name} render", lambda function=function, data=data: function(data)))
    RESULTS.mkdir(exist_ok=True)
    for name, action in actions:
        gc.collect()
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.runcall(action)
        seconds = time.perf_counter() - began
        path = RESULTS / f"reports-{vendor}-{stamp}-{name.replace(' ', '_')}.prof"
        profiler.dump_stats(path)
        print(f"\n=== profile: {name} ({seconds:.2f} s under cProfile) → {path.name}")
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).strip_dirs()
        stats.sort_stats("tottime").print_stats(top)
        print(_trim(stream.getvalue()))


def _trim(text: str) -> str:
    """pstats' table without its preamble."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith("ncalls"):
            return "\n".join(lines[index:]).rstrip()
    return text.rstrip()


# ---------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="", help="PostgreSQL (govem_bench…)")
    parser.add_argument("--data-dir", default="", help="GOVEM_DATA_DIR (SQLite file); kept")
    parser.add_argument("--reuse", action="store_true", help="use the already seeded database")
    parser.add_argument("--recompute", action="store_true", help="recompute even when reusing")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL db at the end")
    parser.add_argument("--profile", action="store_true", help="cProfile every step once")
    parser.add_argument("--top", type=int, default=15, help="functions per profile")
    parser.add_argument("--formats", default="xlsx,csv,pdf", help="which to render")
    parser.add_argument("--seed", type=int, default=3)
    options = parser.parse_args()
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    formats = tuple(kind.strip().upper() for kind in options.formats.split(",") if kind.strip())
    if not formats or set(formats) - set(FORMATS):
        parser.error("--formats: a comma-separated subset of xlsx,csv,pdf")
    os.environ["DEBUG"] = "0"  # as deployed: no query log, no debug cursor

    work, needs_seed = open_database(options)
    from django.db import connection

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    try:
        seed(options, needs_seed)
        from openpyxl.xml import LXML

        version = code_version()

        print(
            f"\ntiming {options.repeat} rounds (report date {ONE_DATE}, month 2026-10; "
            f"formats {', '.join(formats)}; openpyxl with lxml: {LXML}; "
            f"Python {sys.version.split()[0]}; code {version})",
            flush=True,
        )
        steps, built, outputs = measure(options.repeat, formats)
        verdicts = print_steps(steps)
        checks = check(built, outputs)
        RESULTS.mkdir(exist_ok=True)
        result = RESULTS / f"reports-{connection.vendor}-{stamp}.json"
        result.write_text(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "employees": options.employees,
                    "repeat": options.repeat,
                    "formats": formats,
                    "code": version,
                    "date": ONE_DATE.isoformat(),
                    "steps": [
                        {
                            "name": item.name,
                            "floor": item.floor,
                            "times": item.times,
                            "median": item.median,
                            "min": item.best,
                            "size": item.size,
                            "rows": item.rows,
                        }
                        for item in steps.values()
                    ],
                    "targets": verdicts,
                    "checks": checks,
                    "peak_rss_mb": peak_rss_mb(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        print(f"\npeak RSS {peak_rss_mb():.0f} MB; results in {result}")
        if options.profile:
            profile(built, stamp, connection.vendor, options.top, formats)
    finally:
        if options.database_url and options.drop:
            from _seed import drop

            drop(options.database_url)
            print("dropped", options.database_url.rsplit("/", 1)[-1])
        if not options.data_dir and not options.keep:
            shutil.rmtree(work.parent, ignore_errors=True)
        elif not options.database_url:
            print(f"kept {work} (rerun with --data-dir {work} --reuse)")


if __name__ == "__main__":
    main()
