"""How long does settling a date take for a regency of 10 000 employees, in SQL statements?

Builds a fresh database (SQLite in a temporary directory, or PostgreSQL with
``--database-url``) with N employees in 15 units and October 2026's punches (most on time,
~10 % late or early, ~4 % absent, ~3 % without check-out; ``benchmarks/_seed.py``), counting
from 1 October. Then, as ``govem worker`` runs them after the date's last check-out window:

1. settle one date whose records were never computed (every record created, TK/PSW4/TL4
   booked), then the clarification cases for it (one per gap, notices through the outbox),
2. both again (nothing changes: each gap already has its case),
3. the whole ``settle`` phase of another date: settle, cases, report draft (XLSX + PDF),
   the verified backup that carries the date, the evaluation — each step's seconds.

    .venv/bin/python benchmarks/settle.py --employees 10000
    .venv/bin/python benchmarks/settle.py --employees 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_settle

The PostgreSQL database is DROPPED and created again: its name must start with govem_bench.
Notices go to the email channel (Django's in-memory backend), one per case for the employees
with an email address (half of them), so their cost is in the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from typing import Any

from _seed import ONE_DATE, populate, prepare

OTHER_DATE = date(2026, 10, 15)  # a Thursday


def measured(label: str, func: Callable[[], Any]) -> Any:
    """Run ``func``; print its wall time and the SQL statements it sent (every connection)."""
    from django.db import connections

    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(counter))
        began = time.perf_counter()
        value = func()
        seconds = time.perf_counter() - began
    print(f"{label:<46} {seconds:8.2f} s  {count[0]:>6} SQL statements", flush=True)
    return value


def give_half_an_email() -> None:
    from govem.people.models import Employee

    ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ids[::2]:
        Employee.objects.filter(pk=pk).update(email=f"pegawai{pk}@tapin.example")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=3)
    options = parser.parse_args()
    os.environ["GOVEM_COUNTING_STARTS"] = "2026-10-01"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["GOVEM_NOTIFY_CHANNELS"] = "email"
    prepare(options.database_url, prefix="govem-settle-bench-")
    from django.db import connection

    from govem.absences.clarifications import open_clarifications
    from govem.attendance.days import settle_day
    from govem.operations.phases import run_phase, steps_for

    began = time.perf_counter()
    punches = populate(options.employees, random.Random(options.seed))
    give_half_an_email()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    print(
        f"{connection.vendor} @ {commit}: {options.employees} employees, {punches} punches "
        f"laid in {time.perf_counter() - began:.1f} s; load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    settled = measured(f"settle {ONE_DATE}, first time", lambda: settle_day(ONE_DATE))
    print(f"    {settled.as_dict()}")
    cases = measured(f"clarification cases {ONE_DATE}", lambda: open_clarifications(ONE_DATE))
    print(f"    {cases}")
    measured(f"settle {ONE_DATE}, again", lambda: settle_day(ONE_DATE))
    measured(f"clarification cases {ONE_DATE}, again", lambda: open_clarifications(ONE_DATE))
    run = measured(
        f"settle phase {OTHER_DATE} (all steps)", lambda: run_phase(OTHER_DATE, "settle")
    )
    results = run.result["steps"]
    for name in [step.name for step in steps_for("settle") if step.name in results]:
        outcome = results[name]
        state = "ok" if outcome.get("ok") else f"FAILED {outcome.get('error')}"
        print(f"    {name:<16} {outcome['seconds']:8.2f} s  {state}")


if __name__ == "__main__":
    main()
