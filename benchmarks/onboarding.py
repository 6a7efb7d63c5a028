"""How long does onboarding a regency's structure take: 300 units and 300 locations?

Writes a units file (30 OPD, 270 sub-units, rows shuffled so a child often comes before its
parent) and a locations file (circles and polygons, each serving one or two units), then
runs the import services as `govem import-units` / `import-locations` do: dry run, apply,
and the same file again a month later (10 % renamed or moved). Per step: wall time, CPU
time of this process and the number of SQL statements.

    .venv/bin/python benchmarks/onboarding.py --format xlsx
    .venv/bin/python benchmarks/onboarding.py \
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_onboarding

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

UNIT_HEADER = ["Kode Unit", "Nama Unit", "Kode Unit Induk", "Alamat"]
LOCATION_HEADER = ["Nama Lokasi", "Lintang", "Bujur", "Radius (m)", "Poligon", "Zona Waktu",
                   "Kode Unit"]  # fmt: skip


def units(count: int, rng: random.Random) -> list[list[str]]:
    tops = max(1, count // 10)
    rows = [[f"OPD-{i:03d}", f"Organisasi Perangkat Daerah {i}", "", f"Jl. Contoh {i}, Rantau"]
            for i in range(tops)]  # fmt: skip
    for i in range(count - tops):
        parent = f"OPD-{i % tops:03d}" if i % 3 else f"SUB-{max(i - 1, 0):03d}"
        rows.append([f"SUB-{i:03d}", f"Bidang {i}", parent if i else "OPD-000", ""])
    rng.shuffle(rows)
    return rows


def locations(count: int, codes: list[str], rng: random.Random) -> list[list[str]]:
    rows = []
    for i in range(count):
        lat, lon = -2.9 - rng.random() * 0.3, 115.0 + rng.random() * 0.3
        served = ", ".join(rng.sample(codes, 2 if i % 4 == 0 else 1))
        if i % 5 == 0:
            d = 0.0008
            ring = [(lon - d, lat - d), (lon + d, lat - d), (lon + d, lat + d), (lon - d, lat + d)]
            wkt = "POLYGON((" + ", ".join(f"{x:.6f} {y:.6f}" for x, y in [*ring, ring[0]]) + "))"
            rows.append([f"Lokasi {i:03d}", f"{lat:.6f}", f"{lon:.6f}", "", wkt, "WITA", served])
        else:
            radius = str(rng.choice([50, 100, 150, 200]))
            rows.append([f"Lokasi {i:03d}", f"{lat:.6f}", f"{lon:.6f}", radius, "", "WITA", served])
    return rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> bytes:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        import csv

        with path.open("w", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
    return path.read_bytes()


@contextmanager
def counted() -> Iterator[list[int]]:
    from django.db import connection

    statements = [0]

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


def step(label: str, run: Callable[[], Any]) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    with counted() as statements:
        outcome = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    counts = outcome.plan.counts()
    summary = {k: counts[k] for k in ("created", "changed", "unchanged", "invalid")}
    print(
        f"  {label:27s} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {statements[0]:6d} SQL  "
        f"{outcome.run.status:8s} {summary}"
    )
    if counts["invalid"]:
        sys.exit(f"unexpected invalid rows: {outcome.run.errors[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--locations", type=int, default=300)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govem-onboarding-bench-"))
    os.environ["GOVEM_DATA_DIR"] = str(work / "data")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "0"
    if options.database_url:
        name = urlsplit(options.database_url).path.lstrip("/")
        if not name.startswith("govem_bench"):
            sys.exit("the database name must start with govem_bench (it is dropped)")
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govem.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from govem.accounts import audit
    from govem.people.location_import import import_locations
    from govem.people.unit_import import import_units

    call_command("migrate", verbosity=0)
    rng = random.Random(10)
    unit_rows = units(options.units, rng)
    codes = [row[0] for row in unit_rows]
    location_rows = locations(options.locations, codes, rng)
    later_units = [list(row) for row in unit_rows]
    for row in rng.sample(later_units, len(later_units) // 10):
        row[1] += " (nama baru)"
    later_locations = [list(row) for row in location_rows]
    for row in rng.sample(later_locations, len(later_locations) // 10):
        row[6] = rng.choice(codes)
    suffix = options.format
    files = {
        "units": write(work / f"unit.{suffix}", UNIT_HEADER, unit_rows),
        "units-later": write(work / f"unit-2.{suffix}", UNIT_HEADER, later_units),
        "locations": write(work / f"lokasi.{suffix}", LOCATION_HEADER, location_rows),
        "locations-later": write(work / f"lokasi-2.{suffix}", LOCATION_HEADER, later_locations),
    }
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(
        f"onboarding: {options.units} units, {options.locations} locations, {suffix}, "
        f"{os.environ.get('DATABASE_URL') or 'SQLite'}; commit {commit}; load {' '.join(load)}"
    )
    with audit.acting_as(None, reason="benchmark"):
        for label, key, service in [
            ("units dry run", "units", import_units),
            ("units apply", "units", import_units),
            ("units again, 10% renamed", "units-later", import_units),
            ("locations dry run", "locations", import_locations),
            ("locations apply", "locations", import_locations),
            ("locations again, 10% moved", "locations-later", import_locations),
        ]:
            data, dry = files[key], label.endswith("dry run")
            name = f"{key}.{suffix}"
            step(label, lambda d=data, n=name, s=service, r=dry: s(data=d, file_name=n, dry_run=r))


if __name__ == "__main__":
    main()
