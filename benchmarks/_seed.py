"""Shared seeding for the in-process benchmarks (recompute.py, reports.py).

A fresh database (SQLite in a data directory, or PostgreSQL named ``govem_bench…``), N
employees in 15 units (bulk) and a month of punches (October 2026: most on time, ~10 % late
or early, ~4 % absent, ~3 % without check-out).

With ``realistic``, units, employees and positions get names of realistic length (titles,
long unit names: what makes report cells wrap), and each punch carries the unit's work
location and a distance, so the reports' place columns are filled. Those extras draw from
their own random generators: the punch times for a given seed are the same either way.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

UNITS = 15
MONTH_START, MONTH_END = date(2026, 10, 1), date(2026, 10, 31)
ONE_DATE = date(2026, 10, 14)  # a Wednesday

UNIT_NAMES = (
    "Sekretariat Daerah",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Kesehatan",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "Dinas Pertanian dan Ketahanan Pangan",
    "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak",
    "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
    "Inspektorat Daerah",
    "Rumah Sakit Umum Daerah Datu Sanggul",
)
FIRST = ("Muhammad", "Ahmad", "Siti", "Nur", "Dewi", "Rahmat", "Fitri", "Agus", "Sri", "Hendra")
MIDDLE = ("", "Aulia", "Rahmawati", "Hidayat", "Saputra", "Noor", "Fajar", "Lestari", "Ramadhan")
LAST = ("Hasan", "Wahyuni", "Pratama", "Kurniawan", "Maulida", "Syahrani", "Arifin", "Anwar")
BEFORE = ("", "", "", "H. ", "Hj. ", "Dr. ", "Ir. ")
AFTER = ("", "", ", S.Pd.", ", S.E., M.Si.", ", S.Kep., Ns.", ", S.T.", ", A.Md.", ", S.H., M.H.")
POSITIONS = (
    "Pelaksana",
    "Pengadministrasi Perkantoran",
    "Analis Kebijakan Ahli Muda",
    "Guru Ahli Pertama",
    "Perawat Terampil",
    "Pranata Komputer Ahli Pertama",
    "Kepala Sub Bagian Umum dan Kepegawaian",
    "Pengelola Layanan Operasional",
    "Penata Kelola Sistem dan Teknologi Informasi",
)


def nip(index: int) -> str:
    """A valid, unique NIP per index (as benchmarks/import_employees.py)."""
    year, month, day = 1965 + index % 35, 1 + index // 35 % 12, 1 + index // 420 % 28
    sequence = 1 + index // 11_760 % 999
    return f"{year}{month:02d}{day:02d}{year + 22}{month:02d}{1 + index % 2}{sequence:03d}"


def check_bench_name(database_url: str) -> str:
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith("govem_bench"):
        sys.exit("the database name must start with govem_bench (it is dropped)")
    return name


def prepare(
    database_url: str,
    *,
    data_dir: Path | None = None,
    fresh: bool = True,
    prefix: str = "govem-recompute-bench-",
) -> Path:
    """Point Django at the database, (re)create it when ``fresh``, migrate; the data dir.

    Without ``fresh`` an existing PostgreSQL database is kept (created if missing).
    """
    name = check_bench_name(database_url) if database_url else ""
    work = data_dir or Path(tempfile.mkdtemp(prefix=prefix)) / "data"
    os.environ["GOVEM_DATA_DIR"] = str(work)
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        if fresh:
            subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name])
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        else:
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True
            )  # fails harmlessly when it exists
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govem.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return work


def drop(database_url: str) -> None:
    """Drop a benchmark PostgreSQL database (after closing Django's connection)."""
    from django.db import connections

    connections.close_all()
    name = check_bench_name(database_url)
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", name])


def _person(rng: random.Random) -> tuple[str, str]:
    middle = rng.choice(MIDDLE)
    name = " ".join(part for part in (rng.choice(FIRST), middle, rng.choice(LAST)) if part)
    return f"{rng.choice(BEFORE)}{name}{rng.choice(AFTER)}", rng.choice(POSITIONS)


def populate(count: int, rng: random.Random, *, realistic: bool = False) -> int:
    """Units, ``count`` employees and October 2026's punches; the number of punches."""
    from govem.attendance.models import Punch
    from govem.people.models import Employee, Unit, WorkLocation
    from govem.rules.calendar import national_holiday

    zone = ZoneInfo("Asia/Makassar")
    people = random.Random(f"people-{count}")  # names, positions, places: not ``rng``
    units = []
    place_of_unit: dict[int, int] = {}
    for index in range(UNITS):
        name = UNIT_NAMES[index] if realistic else f"OPD {index}"
        unit = Unit.objects.create(code=f"OPD-{index:02d}", name=name)
        place = WorkLocation.objects.create(
            name=f"Kantor {name}" if realistic else f"Kantor OPD {index}",
            latitude=-2.94 + index / 1000,
            longitude=115.16,
        )
        unit.locations.add(place)
        units.append(unit)
        place_of_unit[unit.pk] = place.pk
    employees = []
    for index in range(count):
        name, position = _person(people) if realistic else (f"Pegawai {index:05d}", "")
        employees.append(
            Employee(
                employee_type="PNS",
                nip=nip(index),
                name=name,
                position=position,
                unit=units[index % UNITS],
            )
        )
    Employee.objects.bulk_create(employees, batch_size=2000)
    staff = list(Employee.objects.values_list("pk", "unit_id"))
    workdays = [
        MONTH_START + timedelta(days=n)
        for n in range((MONTH_END - MONTH_START).days + 1)
        if (MONTH_START + timedelta(days=n)).weekday() < 5
        and national_holiday(MONTH_START + timedelta(days=n)) is None
    ]
    total = 0
    batch: list[Punch] = []

    def place(unit_id: int) -> dict[str, object]:
        if not realistic:
            return {}
        return {
            "location_id": place_of_unit[unit_id],
            "distance_m": round(people.uniform(1, 120), 1),
        }

    for day in workdays:
        for pk, unit_id in staff:
            if rng.random() < 0.04:
                continue  # absent
            arrive = datetime(day.year, day.month, day.day, 7, 0, tzinfo=zone) + timedelta(
                seconds=rng.randrange(0, 3 * 3600 if rng.random() < 0.1 else 1800)
            )
            batch.append(_punch(Punch, pk, day, "in", arrive, **place(unit_id)))
            if rng.random() > 0.03:
                end_minute = 30 if day.weekday() == 4 else 0  # Friday ends at 16:30
                leave = datetime(day.year, day.month, day.day, 16, end_minute, tzinfo=zone)
                leave += timedelta(seconds=rng.randrange(-1800 if rng.random() < 0.1 else 0, 3600))
                batch.append(_punch(Punch, pk, day, "out", leave, **place(unit_id)))
            if len(batch) >= 20_000:
                Punch.objects.bulk_create(batch, batch_size=5000)
                total += len(batch)
                batch = []
    Punch.objects.bulk_create(batch, batch_size=5000)
    return total + len(batch)


def _punch(model: type, pk: int, day: date, kind: str, moment: datetime, **extra: object) -> object:
    return model(
        employee_id=pk,
        kind=kind,
        server_time=moment,
        local_date=day,
        time_zone="Asia/Makassar",
        verdict="accepted",
        source="import",
        **extra,
    )
