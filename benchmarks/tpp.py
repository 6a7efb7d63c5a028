"""How long does the monthly TPP report take for a regency of 10 000 employees (target < 15 s)?

In process, on SQLite (a temporary data directory) or PostgreSQL (``--database-url``):

1. Seeds ``_seed.populate`` (realistic names; N employees in 15 units, October 2026's punches:
   most on time, ~10 % late or early, ~4 % absent), counting from 1 October (without it the
   month's records hold no codes and the report prices nothing), computes the month's day
   records (not timed in the report figures), a pagu row per
   position and job class, productivity for 90 % of the employees (10 % missing) and a 25 %
   sentence for 1 %.
2. Times, ``--repeat`` times each: the floor (the month's day records read with
   ``values_list``), the TPP rows (``monthly_tpp``), the report rows (``tpp_report``), the
   XLSX and the PDF, and prints median seconds, SQL statements and the ratio to the floor.

    nice .venv/bin/python benchmarks/tpp.py --employees 10000
    nice .venv/bin/python benchmarks/tpp.py --employees 10000 \\
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_tpp

    # seed once into a kept directory, then rerun against it
    nice .venv/bin/python benchmarks/tpp.py --data-dir /tmp/govem-tpp-10k
    nice .venv/bin/python benchmarks/tpp.py --data-dir /tmp/govem-tpp-10k --reuse

The PostgreSQL database is DROPPED and created again (its name must start with govem_bench).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from _seed import MONTH_END, MONTH_START, drop, populate, prepare

TARGET_S = 15.0


def measured(func: Callable[[], Any]) -> tuple[float, float, int, Any]:
    from django.db import connections

    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(counter))
        began, cpu = time.perf_counter(), time.process_time()
        value = func()
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    return seconds, cpu, count[0], value


def seed_tpp(rng: random.Random) -> None:
    from govem.payroll.models import Pagu, Productivity, Sentence
    from govem.people.models import Employee

    people = list(Employee.objects.only("pk", "position"))
    for person in people:
        person.job_class = 5 + person.pk % 9
    Employee.objects.bulk_update(people, ["job_class"], batch_size=2000)
    rows = [
        Pagu(basis="kelas", key=str(k), amount=2_000_000 + 350_000 * k, valid_from=date(2026, 1, 1))
        for k in range(1, 21)
    ]
    positions = {person.position for person in people if person.position}
    rows += [
        Pagu(basis="jabatan", key=name, amount=4_000_000, valid_from=date(2026, 1, 1))
        for name in sorted(positions)[:3]
    ]
    Pagu.objects.bulk_create(rows)
    figures = []
    for person in people:
        if rng.random() < 0.9:
            figures.append(
                Productivity(
                    employee_id=person.pk,
                    month=MONTH_START,
                    percent=Decimal(rng.randint(60, 100)),
                    source="import",
                )
            )
    Productivity.objects.bulk_create(figures, batch_size=2000)
    Sentence.objects.bulk_create(
        [
            Sentence(
                employee_id=person.pk,
                kind="tpp_25_6",
                decree_number=f"800/{person.pk}/BKPSDM/2026",
                decree_date=date(2026, 9, 1),
                starts=date(2026, 9, 1),
                months=6,
                cut_pct=Decimal("25"),
            )
            for person in people[:: max(1, len(people) // (len(people) // 100 or 1))]
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data-dir", type=Path, help="SQLite data directory (kept)")
    parser.add_argument("--reuse", action="store_true", help="use the database seeded before")
    options = parser.parse_args()
    os.environ["GOVEM_COUNTING_STARTS"] = "2026-10-01"
    prepare(
        options.database_url,
        data_dir=options.data_dir,
        fresh=not options.reuse,
        prefix="govem-tpp-bench-",
    )
    from govem.attendance.days import recompute_days
    from govem.attendance.models import DayRecord
    from govem.payroll.report import tpp_pdf, tpp_report, tpp_xlsx
    from govem.payroll.tpp import monthly_tpp
    from govem.people.models import Employee

    began = time.perf_counter()
    if not options.reuse:
        punches = populate(options.employees, random.Random(options.seed), realistic=True)
        recompute_days(None, MONTH_START, MONTH_END)
        seed_tpp(random.Random(options.seed))
        print(f"seeded {punches} punches in {time.perf_counter() - began:.1f} s", flush=True)
    coded = DayRecord.objects.filter(date__gte=MONTH_START, date__lte=MONTH_END).exclude(
        status__in=["", "H", "L", "CB"]
    )
    print(
        f"{Employee.objects.count()} employees, {DayRecord.objects.count()} day records, "
        f"{coded.count()} with a code that may cost (TL, PSW, TK, ...)",
        flush=True,
    )
    everyone = Employee.objects.all()
    report: Any = None

    def floor() -> int:
        rows = DayRecord.objects.filter(date__gte=MONTH_START, date__lte=MONTH_END)
        return sum(1 for _ in rows.values_list("employee_id", "date", "codes").iterator(5000))

    def rows() -> Any:
        return monthly_tpp(everyone, MONTH_START)

    def build() -> Any:
        nonlocal report
        report = tpp_report(everyone, MONTH_START, None)
        return report

    steps: dict[str, Callable[[], Any]] = {
        "floor: month's day records": floor,
        "TPP rows (monthly_tpp)": rows,
        "report rows (tpp_report)": build,
        "XLSX render": lambda: tpp_xlsx(report),
        "PDF render": lambda: tpp_pdf(report),
    }
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in steps}
    for _ in range(options.repeat):
        for name, func in steps.items():
            seconds, cpu, statements, _value = measured(func)
            results[name].append((seconds, cpu, statements))
    floor_cpu = statistics.median(c for _, c, _ in results["floor: month's day records"])
    print("\n(wall time depends on the machine's load; CPU seconds and the ratio less so)")
    print(f"{'step':<32} {'wall s':>7} {'CPU s':>7} {'SQL':>5} {'CPU x floor':>12}")
    for name, values in results.items():
        wall = statistics.median(s for s, _, _ in values)
        cpu = statistics.median(c for _, c, _ in values)
        print(f"{name:<32} {wall:7.2f} {cpu:7.2f} {values[0][2]:5d} {cpu / floor_cpu:12.1f}")

    for label, render in (("XLSX", "XLSX render"), ("PDF", "PDF render")):
        walls = [results["report rows (tpp_report)"][i][0] + results[render][i][0]
                 for i in range(options.repeat)]  # fmt: skip
        cpus = [results["report rows (tpp_report)"][i][1] + results[render][i][1]
                for i in range(options.repeat)]  # fmt: skip
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = "met" if wall < TARGET_S else "MISSED"
        print(f"{label} total (rows + render): wall {wall:.2f} s, CPU {cpu:.2f} s "
              f"(target < {TARGET_S:.0f} s wall: {verdict})")  # fmt: skip
    print(
        f"rows {len(report.rows)}, without pagu {report.missing_pagu}, "
        f"without productivity {report.missing_productivity}, sentenced {report.sentenced}"
    )
    if options.database_url:
        drop(options.database_url)


if __name__ == "__main__":
    main()
