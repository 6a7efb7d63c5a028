"""How long does `govem import-employees` take for a regency-sized roster?

Writes an N-row export (XLSX or CSV), then times, as the IT team would run them:
1. dry-run of the first import (everyone new), 2. applying it, 3. dry-run of the next
month's export (10 % changed, 2 % gone, 2 % new), 4. applying that.

    .venv/bin/python benchmarks/import_employees.py --rows 10000 --format xlsx
    .venv/bin/python benchmarks/import_employees.py --rows 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/govem_bench_import

The PostgreSQL database is DROPPED and created again: its name must start with govem_bench.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

GOVEM = str(Path(sys.executable).with_name("govem"))
HEADER = ["NIP", "Nama", "Jabatan", "Kode Unit", "Jenis Pegawai", "Telepon", "Email", "NIP Atasan"]
UNITS = 15


def nip(index: int) -> str:
    """A valid, unique NIP per index (11 760 birth dates x 999 sequence numbers)."""
    year, month, day = 1965 + index % 35, 1 + index // 35 % 12, 1 + index // 420 % 28
    sequence = 1 + index // 11_760 % 999
    return f"{year}{month:02d}{day:02d}{year + 22}{month:02d}{1 + index % 2}{sequence:03d}"


def roster(rows: int, rng: random.Random, start: int = 0) -> list[list[str]]:
    people: list[list[str]] = []
    for index in range(start, start + rows):
        position = index - start
        boss = people[position - position % 50][0] if position % 50 else ""
        people.append(
            [
                nip(index),
                f"Pegawai {index:05d}",
                rng.choice(["Analis", "Pranata Komputer", "Pengadministrasi", "Kepala Seksi"]),
                f"OPD-{index % UNITS:02d}",
                rng.choice(["PNS", "PNS", "PPPK"]),
                f"0812{rng.randrange(10**7, 10**8)}",
                f"pegawai{index}@tapinkab.go.id",
                boss,
            ]
        )
    return people


def write(path: Path, rows: list[list[str]]) -> None:
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        path.write_text("\n".join(";".join(r) for r in [HEADER, *rows]) + "\n")


def next_month(rows: list[list[str]], rng: random.Random) -> list[list[str]]:
    bosses = {row[7] for row in rows}
    kept = [list(row) for row in rows if rng.random() > 0.02 or row[0] in bosses]
    for row in kept:
        if rng.random() < 0.10:
            row[2] = "Jabatan Baru"
    return kept + roster(len(rows) // 50, rng, start=len(rows))


def timed(env: dict[str, str], *args: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    result = subprocess.run(
        [GOVEM, "import-employees", *args, "--json"], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"import failed: {result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    rng = random.Random(6)
    work = Path(tempfile.mkdtemp(prefix="govem-import-bench-"))
    env = {**os.environ, "GOVEM_DATA_DIR": str(work / "data")}
    env.pop("DATABASE_URL", None)
    if options.database_url:
        name = urlsplit(options.database_url).path.lstrip("/")
        if not name.startswith("govem_bench"):
            sys.exit("the database name must start with govem_bench (it is dropped)")
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name])
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = options.database_url
    subprocess.run([GOVEM, "migrate", "-v0"], env=env, check=True)
    units = "\n".join(
        f"Unit.objects.create(code='OPD-{i:02d}', name='OPD {i}')" for i in range(UNITS)
    )
    subprocess.run(
        [GOVEM, "shell", "-c", f"from govem.people.models import Unit\n{units}"],
        env=env,
        check=True,
    )
    first = roster(options.rows, rng)
    second = next_month(first, rng)
    files = [work / f"bulan1.{options.format}", work / f"bulan2.{options.format}"]
    write(files[0], first)
    write(files[1], second)
    results = {}
    for label, path in zip(["first", "next"], files, strict=True):
        results[f"{label}_dry_run"] = timed(env, str(path), "--dry-run")
        results[f"{label}_apply"] = timed(env, str(path))
    print(f"{options.rows} rows, {options.format}, {env.get('DATABASE_URL') or 'SQLite'}")
    for label, (seconds, body) in results.items():
        counts = {k: body[k] for k in ("created", "changed", "deactivated", "invalid")}
        print(f"  {label:16s} {seconds:6.2f} s wall (in-process {body['duration_ms']} ms) {counts}")


if __name__ == "__main__":
    main()
