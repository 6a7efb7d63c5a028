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
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

UNITS = 15
MONTH_START, MONTH_END = date(2026, 10, 1), date(2026, 10, 31)
ONE_DATE = date(2026, 10, 14)  # a Wednesday


def nip(index: int) -> str:
    """A valid, unique NIP per index (as benchmarks/import_employees.py)."""
    year, month, day = 1965 + index % 35, 1 + index // 35 % 12, 1 + index // 420 % 28
    sequence = 1 + index // 11_760 % 999
    return f"{year}{month:02d}{day:02d}{year + 22}{month:02d}{1 + index % 2}{sequence:03d}"


def prepare(database_url: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="govem-recompute-bench-"))
    os.environ["GOVEM_DATA_DIR"] = str(work / "data")
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        name = urlsplit(database_url).path.lstrip("/")
        if not name.startswith("govem_bench"):
            sys.exit("the database name must start with govem_bench (it is dropped)")
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govem.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(count: int, rng: random.Random) -> int:
    from govem.attendance.models import Punch
    from govem.people.models import Employee, Unit, WorkLocation
    from govem.rules.calendar import national_holiday

    zone = ZoneInfo("Asia/Makassar")
    units = []
    for index in range(UNITS):
        unit = Unit.objects.create(code=f"OPD-{index:02d}", name=f"OPD {index}")
        place = WorkLocation.objects.create(
            name=f"Kantor OPD {index}", latitude=-2.94 + index / 1000, longitude=115.16
        )
        unit.locations.add(place)
        units.append(unit)
    Employee.objects.bulk_create(
        [
            Employee(
                employee_type="PNS",
                nip=nip(index),
                name=f"Pegawai {index:05d}",
                unit=units[index % UNITS],
            )
            for index in range(count)
        ],
        batch_size=2000,
    )
    ids = list(Employee.objects.values_list("pk", flat=True))
    workdays = [
        MONTH_START + timedelta(days=n)
        for n in range((MONTH_END - MONTH_START).days + 1)
        if (MONTH_START + timedelta(days=n)).weekday() < 5
        and national_holiday(MONTH_START + timedelta(days=n)) is None
    ]
    total = 0
    batch: list[Punch] = []
    for day in workdays:
        for pk in ids:
            if rng.random() < 0.04:
                continue  # absent
            arrive = datetime(day.year, day.month, day.day, 7, 0, tzinfo=zone) + timedelta(
                seconds=rng.randrange(0, 3 * 3600 if rng.random() < 0.1 else 1800)
            )
            batch.append(_punch(Punch, pk, day, "in", arrive))
            if rng.random() > 0.03:
                end_minute = 30 if day.weekday() == 4 else 0  # Friday ends at 16:30
                leave = datetime(day.year, day.month, day.day, 16, end_minute, tzinfo=zone)
                leave += timedelta(seconds=rng.randrange(-1800 if rng.random() < 0.1 else 0, 3600))
                batch.append(_punch(Punch, pk, day, "out", leave))
            if len(batch) >= 20_000:
                Punch.objects.bulk_create(batch, batch_size=5000)
                total += len(batch)
                batch = []
    Punch.objects.bulk_create(batch, batch_size=5000)
    return total + len(batch)


def _punch(model: type, pk: int, day: date, kind: str, moment: datetime) -> object:
    return model(
        employee_id=pk,
        kind=kind,
        server_time=moment,
        local_date=day,
        time_zone="Asia/Makassar",
        verdict="accepted",
        source="import",
    )


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
