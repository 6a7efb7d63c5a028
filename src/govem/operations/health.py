"""Health checks ("Verifikasi sistem berfungsi dengan baik"), one function per check.

Every check returns a frozen :class:`Check`; ``govem check``, ``GET /healthz``, the operations
page and the ``prepare``/``close`` phases all call :func:`run_checks`. A check never raises:
an unexpected error is its FAIL. Messages are Indonesian and carry no secrets or paths (they
are served without login on ``/healthz``).
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

OK, WARN, FAIL, NA = "OK", "WARN", "FAIL", "N/A"
WORKER_WARN = timedelta(minutes=2)
WORKER_FAIL = timedelta(minutes=10)
BACKUP_WARN = timedelta(hours=26)
BACKUP_FAIL = timedelta(hours=50)
DISK_WARN_BYTES = 2 * 1024**3
DISK_FAIL_BYTES = 256 * 1024**2
CLOCK_WARN_S = 5.0
CLOCK_FAIL_S = 60.0
OUTBOX_LATE_S = 15 * 60


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    status: str  # OK, WARN, FAIL or N/A
    message: str
    critical: bool = False  # a FAIL here means the service is down (503, exit code 1)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def down(self) -> bool:
        return self.critical and self.status == FAIL

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "message": self.message,
            "critical": self.critical,
            "details": self.details,
        }


class _Rollback(Exception):
    pass


def check_database() -> Check:
    label = "Basis data dapat dibaca dan ditulis"
    from govem.operations.models import WorkerHeartbeat

    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        with transaction.atomic():
            WorkerHeartbeat.objects.create(
                name="__health_probe__", host="-", pid=0, started_at=now, last_beat=now
            )
            raise _Rollback
    except _Rollback:
        return Check(
            "database", label, OK, f"Terhubung ({connection.vendor}), tulis berhasil.", True
        )
    except DatabaseError as exc:
        return Check("database", label, FAIL, f"Basis data gagal: {type(exc).__name__}.", True)


def check_migrations() -> Check:
    label = "Migrasi basis data diterapkan"
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check(
            "migrations", label, FAIL, f"Tidak dapat diperiksa: {type(exc).__name__}.", True
        )
    if plan:
        names = [f"{m.app_label}.{m.name}" for m, _ in plan]
        return Check(
            "migrations",
            label,
            FAIL,
            f"{len(plan)} migrasi belum diterapkan — jalankan `govem migrate`.",
            True,
            {"pending": names[:20]},
        )
    return Check("migrations", label, OK, "Semua migrasi sudah diterapkan.", True)


def _age_text(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} detik"
    if seconds < 2 * 3600:
        return f"{seconds // 60} menit"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} jam"
    return f"{seconds // 86400} hari"


def check_worker() -> Check:
    label = "Worker berjalan"
    from govem.operations.models import WorkerHeartbeat

    beat = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).order_by("-last_beat").first()
    if beat is None:
        last = WorkerHeartbeat.objects.order_by("-last_beat").first()
        if last is None:
            return Check("worker", label, WARN, "Worker belum pernah berjalan (`govem worker`).")
        age = timezone.now() - last.last_beat
        return Check(
            "worker",
            label,
            FAIL,
            f"Worker berhenti {_age_text(age)} lalu.",
            details={"age_s": int(age.total_seconds())},
        )
    age = timezone.now() - beat.last_beat
    details = {"age_s": int(age.total_seconds()), "workers": _live_workers()}
    if age > WORKER_FAIL:
        return Check(
            "worker",
            label,
            FAIL,
            f"Tidak ada detak worker sejak {_age_text(age)}.",
            details=details,
        )
    if age > WORKER_WARN:
        return Check(
            "worker", label, WARN, f"Detak worker terakhir {_age_text(age)} lalu.", details=details
        )
    return Check("worker", label, OK, f"Detak terakhir {_age_text(age)} lalu.", details=details)


def _live_workers() -> int:
    from govem.operations.models import WorkerHeartbeat

    since = timezone.now() - WORKER_WARN
    return WorkerHeartbeat.objects.filter(stopped_at__isnull=True, last_beat__gte=since).count()


def check_disk() -> Check:
    label = "Ruang disk data"
    try:
        usage = shutil.disk_usage(settings.DATA_DIR)
    except OSError as exc:
        return Check("disk", label, FAIL, f"Tidak dapat dibaca: {exc.strerror}.", True)
    free_gb = usage.free / 1024**3
    details = {"free_bytes": usage.free, "total_bytes": usage.total}
    text = f"Sisa {free_gb:.1f} GB dari {usage.total / 1024**3:.1f} GB."
    if usage.free < DISK_FAIL_BYTES:
        return Check("disk", label, FAIL, text + " Hampir penuh.", True, details)
    if usage.free < DISK_WARN_BYTES:
        return Check("disk", label, WARN, text + " Segera kosongkan.", True, details)
    return Check("disk", label, OK, text, True, details)


def check_backup() -> Check:
    label = "Cadangan terakhir"
    from govem.operations.models import Backup

    last = Backup.objects.filter(error="").order_by("-created_at").first()
    failed = Backup.objects.exclude(error="").order_by("-created_at").first()
    if last is None:
        if failed is not None:
            return Check("backup", label, FAIL, f"Cadangan gagal: {failed.error[:200]}")
        return Check("backup", label, WARN, "Belum ada cadangan (`govem backup`).")
    age = timezone.now() - last.created_at
    details = {"age_s": int(age.total_seconds()), "verified": last.verified, "size": last.size}
    text = f"{_age_text(age)} lalu"
    if failed is not None and failed.created_at > last.created_at:
        return Check(
            "backup", label, FAIL, f"Cadangan terbaru gagal: {failed.error[:200]}", details=details
        )
    if age > BACKUP_FAIL:
        return Check("backup", label, FAIL, f"Cadangan terakhir {text}.", details=details)
    if not last.verified:
        return Check(
            "backup", label, WARN, f"Cadangan {text} belum terverifikasi.", details=details
        )
    if age > BACKUP_WARN:
        return Check("backup", label, WARN, f"Cadangan terakhir {text}.", details=details)
    return Check("backup", label, OK, f"{text}, terverifikasi.", details=details)


def _notify_installed() -> bool:
    return (
        apps.is_installed("govem.notify")
        and importlib.util.find_spec("govem.notify.outbox") is not None
    )


def check_outbox() -> Check:
    label = "Antrean notifikasi"
    if not _notify_installed():
        return Check("outbox", label, NA, "Modul notifikasi tidak terpasang.")
    from govem.notify.outbox import backlog

    info = backlog()
    counts = info.get("counts", {})
    waiting = int(counts.get("queued", 0)) + int(counts.get("failed", 0))
    dead = int(info.get("dead_last_24h", 0))
    late = int(info.get("oldest_due_seconds", 0))
    details = {"counts": counts, "dead_last_24h": dead, "oldest_due_seconds": late}
    text = f"{waiting} menunggu, {dead} gagal permanen (24 jam)."
    if late > OUTBOX_LATE_S:
        return Check(
            "outbox", label, WARN, f"Pesan tertunda {late // 60} menit; {text}", details=details
        )
    if dead:
        return Check("outbox", label, WARN, text, details=details)
    return Check("outbox", label, OK, text, details=details)


def check_channels() -> Check:
    """Channels ready, and whether everyone who works today can be reached by one of them."""
    label = "Kanal notifikasi"
    if not _notify_installed():
        return Check("channels", label, NA, "Modul notifikasi tidak terpasang.")
    from govem.operations.reach import unreachable

    found = unreachable(timezone.localdate())
    ready = list(found.channels)
    details = {"ready": ready, "working": found.working, "unreachable": found.total}
    people = (
        f"{found.total} dari {found.working} pegawai yang bekerja hari ini tidak dapat "
        "dihubungi lewat kanal mana pun (daftar per unit di Operasi harian)."
    )
    if not ready:
        return Check(
            "channels",
            label,
            WARN,
            "Tidak ada kanal yang siap; pengingat tidak terkirim. " + people,
            details=details,
        )
    text = "Siap: " + ", ".join(ready) + ". "
    if found.total:
        return Check("channels", label, WARN, text + people, details=details)
    everyone = f"Semua {found.working} pegawai yang bekerja hari ini dapat dihubungi."
    return Check("channels", label, OK, text + everyone, details=details)


def check_clock() -> Check:
    label = "Jam server dan jam basis data"
    if connection.vendor != "postgresql":
        return Check(
            "clock",
            label,
            NA,
            "SQLite memakai jam server itu sendiri; tidak ada jam basis data terpisah.",
        )
    before = time.time()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        db_now: datetime = cursor.fetchone()[0]
    after = time.time()
    skew = db_now.timestamp() - (before + after) / 2
    details = {"skew_s": round(skew, 3)}
    text = f"Selisih {abs(skew):.1f} detik."
    if abs(skew) > CLOCK_FAIL_S:
        return Check("clock", label, FAIL, text + " Periksa NTP.", details=details)
    if abs(skew) > CLOCK_WARN_S:
        return Check("clock", label, WARN, text + " Periksa NTP.", details=details)
    return Check("clock", label, OK, text, details=details)


def check_freshness() -> Check:
    label = "Kesegaran data pegawai"
    if importlib.util.find_spec("govem.people.freshness") is None:
        return Check("freshness", label, NA, "Laporan kesegaran data belum tersedia.")
    from govem.people.freshness import freshness_report

    report = freshness_report()
    parts = [
        f"{report.without_schedule.count} tanpa jadwal",
        f"{report.without_location.count} tanpa lokasi",
        f"{report.without_phone.count} tanpa telepon",
        f"{report.without_device.count} belum mengikat perangkat",
    ]
    details = {
        "last_import_at": report.last_import_at.isoformat() if report.last_import_at else None,
        "active_employees": report.active_employees,
        "without_schedule": report.without_schedule.count,
        "without_location": report.without_location.count,
        "without_phone": report.without_phone.count,
        "without_device": report.without_device.count,
    }
    when = (
        "impor terakhir " + _age_text(timezone.now() - report.last_import_at) + " lalu"
        if report.last_import_at
        else "belum pernah impor"
    )
    text = f"{report.active_employees} pegawai aktif, {when}; " + ", ".join(parts) + "."
    return Check("freshness", label, OK if report.ok else WARN, text, details=details)


CALENDAR_HORIZON_DAYS = 60
CALENDAR_OVERRIDE_PAGE = "/admin/schedules/calendaroverride/add/"
SPECIAL_PERIOD_PAGE = "/admin/schedules/specialperiod/"


def check_calendar() -> Check:
    """The next 60 days' calendar: cuti bersama known for each year, Ramadan confirmed.

    A ``holidays`` release made before a year's SKB 3 Menteri has no cuti bersama for it, so
    those days would be workdays and everyone TK. Cuti bersama the IT team adds by hand
    (Perubahan kalender, jenis "Cuti bersama") cover the year.
    """
    from importlib.metadata import version

    from govem.rules.calendar import cuti_bersama_known, years_ahead
    from govem.schedules.models import CalendarOverride, SpecialPeriod

    label = "Kalender 60 hari ke depan"
    today = timezone.localdate()
    horizon = today + timedelta(days=CALENDAR_HORIZON_DAYS)
    installed = version("holidays")
    problems: list[str] = []
    missing: list[int] = []
    by_hand: dict[str, int] = {}
    for year in years_ahead(today, CALENDAR_HORIZON_DAYS):
        if cuti_bersama_known(year):
            continue
        added = CalendarOverride.objects.filter(
            date__year=year, kind=CalendarOverride.Kind.CUTI_BERSAMA
        ).count()
        if added:
            by_hand[str(year)] = added
            continue
        missing.append(year)
        problems.append(
            f"Paket holidays {installed} belum memuat cuti bersama {year} (SKB 3 Menteri), "
            f"padahal kalender sampai {horizon:%d-%m-%Y} memakainya: tanpa itu hari cuti "
            f"bersama dihitung hari kerja (TK). Perbarui paket holidays, atau tambahkan cuti "
            f"bersama {year} satu per satu di Admin › Perubahan kalender "
            f"({CALENDAR_OVERRIDE_PAGE}, jenis 'Cuti bersama')."
        )
    approximate = list(
        SpecialPeriod.objects.filter(
            approximate=True, start_date__lte=horizon, end_date__gte=today
        ).values_list("name", "start_date")
    )
    for name, start in approximate:
        problems.append(
            f"{name} masih tanggal perkiraan (mulai {start:%d-%m-%Y}): konfirmasi atau ubah "
            f"tanggalnya setelah penetapan pemerintah di Admin › Periode khusus "
            f"({SPECIAL_PERIOD_PAGE})."
        )
    details: dict[str, Any] = {
        "holidays_version": installed,
        "until": horizon.isoformat(),
        "years_without_cuti_bersama": missing,
        "cuti_bersama_added_by_hand": by_hand,
        "approximate_periods": [name for name, _start in approximate],
    }
    if problems:
        return Check("calendar", label, WARN, " ".join(problems), details=details)
    text = f"Cuti bersama dan periode khusus sampai {horizon:%d-%m-%Y} sudah pasti"
    text += f" (holidays {installed})."
    return Check("calendar", label, OK, text, details=details)


def check_replica() -> Check:
    """The streaming replica's lag; above the bound heavy reads fall back to the primary."""
    label = "Replika basis data (laporan)"
    from govem import replica

    current = replica.state(fresh=True)
    bound = replica.max_lag_s()
    if not current.configured:
        return Check("replica", label, OK, "Tidak dipakai: laporan dibaca dari basis data utama.")
    details: dict[str, Any] = {"lag_s": current.lag_s, "max_lag_s": bound}
    details["reads_from"] = "replica" if current.usable else "primary"
    if not current.reachable:
        text = f"Replika tidak terhubung ({current.error}); laporan dibaca dari basis data utama."
        return Check("replica", label, WARN, text, details=details)
    if not current.standby:
        text = "Basis data replika bukan standby; laporan dibaca dari basis data utama."
        return Check("replica", label, WARN, text, details=details)
    lag = "tidak diketahui" if current.lag_s is None else f"{current.lag_s:.1f} detik"
    if not current.usable:
        text = f"Tertinggal {lag} (batas {bound:g} detik): laporan dibaca dari basis data utama."
        return Check("replica", label, WARN, text, details=details)
    text = f"Tertinggal {lag} (batas {bound:g} detik): laporan dibaca dari replika."
    return Check("replica", label, OK, text, details=details)


CHECKS: tuple[Callable[[], Check], ...] = (
    check_database,
    check_migrations,
    check_worker,
    check_disk,
    check_backup,
    check_outbox,
    check_channels,
    check_clock,
    check_freshness,
    check_calendar,
    check_replica,
)
CRITICAL_KEYS = {"database", "migrations", "disk"}
LABELS = {
    "database": "Basis data dapat dibaca dan ditulis",
    "migrations": "Migrasi basis data diterapkan",
    "worker": "Worker berjalan",
    "disk": "Ruang disk data",
    "backup": "Cadangan terakhir",
    "outbox": "Antrean notifikasi",
    "channels": "Kanal notifikasi",
    "clock": "Jam server dan jam basis data",
    "freshness": "Kesegaran data pegawai",
    "calendar": "Kalender 60 hari ke depan",
    "replica": "Replika basis data (laporan)",
}


def _safe(check: Callable[[], Check]) -> Check:
    key = check.__name__.removeprefix("check_")
    try:
        return check()
    except Exception as exc:
        return Check(
            key,
            LABELS.get(key, key),
            FAIL,
            f"Pemeriksaan gagal: {type(exc).__name__}.",
            key in CRITICAL_KEYS,
        )


def run_checks(*, skip: set[str] | None = None) -> list[Check]:
    skip = skip or set()
    results = []
    for check in CHECKS:
        key = check.__name__.removeprefix("check_")
        if key in skip:
            continue
        results.append(_safe(check))
        if key == "database" and results[-1].status == FAIL:
            # Nothing else can be read; report the rest as not checked.
            results.extend(
                Check(
                    c.__name__.removeprefix("check_"),
                    LABELS.get(c.__name__.removeprefix("check_"), c.__name__),
                    NA,
                    "Tidak diperiksa: basis data gagal.",
                )
                for c in CHECKS[1:]
                if c.__name__.removeprefix("check_") not in skip
            )
            break
    return results


def healthy(checks: list[Check]) -> bool:
    return not any(check.down for check in checks)


def overall(checks: list[Check]) -> str:
    statuses = {check.status for check in checks}
    if not healthy(checks):
        return FAIL
    return FAIL if FAIL in statuses else WARN if WARN in statuses else OK
