"""How long does the day ledger take for a regency: one date and one month, 10 000 employees?

Builds a fresh database (SQLite in a temporary directory, or PostgreSQL with
``--database-url``), creates N employees in 15 units (bulk), and lays a month of punches
(October 2026: most on time, some late or early, ~4 % absent, ~3 % without check-out).
Then it times, as the worker and ``govem recompute`` run them:

1. one date for everyone, first time (every record created),
2. the same date again (nothing changed: read and compare only),
3. the whole month for everyone, first time,
4. the whole month again.

    .venv/bin/python benchmarks/recompute.py --employees 10000
    .venv/bin/python benchmarks/recompute.py --employees 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_recompute

The PostgreSQL database is DROPPED and created again: its name must start with govem_bench.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date

from _seed import MONTH_END, MONTH_START, ONE_DATE, populate, prepare


def timed(label: str, start: date, end: date) -> None:
    from govem.attendance.days import recompute_days

    began = time.perf_counter()
    result = recompute_days(None, start, end)
    seconds = time.perf_counter() - began
    rate = result.days / seconds if seconds else 0.0
    print(
        f"{label:<34} {seconds:8.2f} s  {result.days:>8} rows  {rate:>9.0f} rows/s  "
        f"(created {result.created}, updated {result.updated}, unchanged {result.unchanged})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=3)
    options = parser.parse_args()
    prepare(options.database_url)
    from django.db import connection

    began = time.perf_counter()
    punches = populate(options.employees, random.Random(options.seed))
    print(
        f"{connection.vendor}: {options.employees} employees, {punches} punches laid in "
        f"{time.perf_counter() - began:.1f} s",
        flush=True,
    )
    timed(f"one date ({ONE_DATE}), first time", ONE_DATE, ONE_DATE)
    timed(f"one date ({ONE_DATE}), again", ONE_DATE, ONE_DATE)
    timed("one month (October 2026), first", MONTH_START, MONTH_END)
    timed("one month (October 2026), again", MONTH_START, MONTH_END)


if __name__ == "__main__":
    main()
