"""Health checks ("Verifikasi sistem berfungsi dengan baik"), one function per check.

Every check returns a frozen :class:`Check`; ``govem health``, ``GET /healthz``, the operations
page and the ``prepare``/``close`` phases all call :func:`run_checks`. A check never raises:
an unexpected error is its FAIL. Messages are in the active language (Indonesian by default,
English on an English page) and carry no secrets or paths (they are served without login on
``/healthz``).
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import version
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govem.operations.models import Backup, WorkerHeartbeat
from govem.operations.reach import unreachable
from govem.operations.texts import said
from govem.people.freshness import freshness_report
from govem.rules.calendar import cuti_bersama_known, years_ahead
from govem.schedules.models import CalendarOverride, SpecialPeriod

OK, WARN, FAIL, NA = "OK", "WARN", "FAIL", "N/A"
WORKER_WARN = timedelta(minutes=2)
WORKER_FAIL = timedelta(minutes=10)
BACKUP_WARN = timedelta(hours=26)
BACKUP_FAIL = timedelta(hours=50)
DISK_WARN_BYTES = 2 * 1024**3
LABELS = {
    "database": gettext_lazy("Basis data dapat dibaca dan ditulis"),
    "migrations": gettext_lazy("Migrasi basis data diterapkan"),
    "worker": gettext_lazy("Worker berjalan"),
    "disk": gettext_lazy("Ruang disk data"),
    "backup": gettext_lazy("Cadangan terakhir"),
    "outbox": gettext_lazy("Antrean notifikasi"),
    "channels": gettext_lazy("Kanal notifikasi"),
    "clock": gettext_lazy("Jam server dan jam basis data"),
    "freshness": gettext_lazy("Kesegaran data pegawai"),
    "calendar": gettext_lazy("Kalender 60 hari ke depan"),
    "replica": gettext_lazy("Replika basis data (laporan)"),
}
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
    label = str(LABELS["database"])

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
            "database",
            label,
            OK,
            _("Terhubung (%(vendor)s), tulis berhasil.") % {"vendor": connection.vendor},
            True,
        )
    except DatabaseError as exc:
        return Check(
            "database",
            label,
            FAIL,
            _("Basis data gagal: %(error)s.") % {"error": type(exc).__name__},
            True,
        )


def check_migrations() -> Check:
    label = str(LABELS["migrations"])

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check(
            "migrations",
            label,
            FAIL,
            _("Tidak dapat diperiksa: %(error)s.") % {"error": type(exc).__name__},
            True,
        )
    if plan:
        names = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
        return Check(
            "migrations",
            label,
            FAIL,
            _("%(n)s migrasi belum diterapkan — jalankan `govem migrate`.") % {"n": len(plan)},
            True,
            {"pending": names[:20]},
        )
    return Check("migrations", label, OK, _("Semua migrasi sudah diterapkan."), True)


def _age_text(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return _("%(n)s detik") % {"n": seconds}
    if seconds < 2 * 3600:
        return _("%(n)s menit") % {"n": seconds // 60}
    if seconds < 2 * 86400:
        return _("%(n)s jam") % {"n": seconds // 3600}
    return _("%(n)s hari") % {"n": seconds // 86400}


def check_worker() -> Check:
    label = str(LABELS["worker"])

    beat = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).order_by("-last_beat").first()
    if beat is None:
        last = WorkerHeartbeat.objects.order_by("-last_beat").first()
        if last is None:
            return Check("worker", label, WARN, _("Worker belum pernah berjalan (`govem worker`)."))
        age = timezone.now() - last.last_beat
        return Check(
            "worker",
            label,
            FAIL,
            _("Worker berhenti %(age)s lalu.") % {"age": _age_text(age)},
            details={"age_s": int(age.total_seconds())},
        )
    age = timezone.now() - beat.last_beat
    details = {"age_s": int(age.total_seconds()), "workers": _live_workers()}
    if age > WORKER_FAIL:
        return Check(
            "worker",
            label,
            FAIL,
            _("Tidak ada detak worker sejak %(age)s.") % {"age": _age_text(age)},
            details=details,
        )
    if age > WORKER_WARN:
        return Check(
            "worker",
            label,
            WARN,
            _("Detak worker terakhir %(age)s lalu.") % {"age": _age_text(age)},
            details=details,
        )
    text = _("Detak terakhir %(age)s lalu.") % {"age": _age_text(age)}
    return Check("worker", label, OK, text, details=details)


def _live_workers() -> int:

    since = timezone.now() - WORKER_WARN
    return WorkerHeartbeat.objects.filter(stopped_at__isnull=True, last_beat__gte=since).count()


def check_disk() -> Check:
    label = str(LABELS["disk"])
    try:
        usage = shutil.disk_usage(settings.DATA_DIR)
    except OSError as exc:
        return Check(
            "disk", label, FAIL, _("Tidak dapat dibaca: %(error)s.") % {"error": exc.strerror}, True
        )
    free_gb = usage.free / 1024**3
    details = {"free_bytes": usage.free, "total_bytes": usage.total}
    text = _("Sisa %(free)s GB dari %(total)s GB.") % {
        "free": f"{free_gb:.1f}",
        "total": f"{usage.total / 1024**3:.1f}",
    }
    if usage.free < DISK_FAIL_BYTES:
        return Check("disk", label, FAIL, text + " " + _("Hampir penuh."), True, details)
    if usage.free < DISK_WARN_BYTES:
        return Check("disk", label, WARN, text + " " + _("Segera kosongkan."), True, details)
    return Check("disk", label, OK, text, True, details)


def check_backup() -> Check:
    label = str(LABELS["backup"])

    last = Backup.objects.filter(error="").order_by("-created_at").first()
    failed = Backup.objects.exclude(error="").order_by("-created_at").first()
    if last is None:
        if failed is not None:
            return Check(
                "backup",
                label,
                FAIL,
                _("Cadangan gagal: %(error)s") % {"error": said(failed.error)[:200]},
            )
        return Check("backup", label, WARN, _("Belum ada cadangan (`govem backup`)."))
    age = timezone.now() - last.created_at
    details = {"age_s": int(age.total_seconds()), "verified": last.verified, "size": last.size}
    text = _("%(age)s lalu") % {"age": _age_text(age)}
    if failed is not None and failed.created_at > last.created_at:
        return Check(
            "backup",
            label,
            FAIL,
            _("Cadangan terbaru gagal: %(error)s") % {"error": said(failed.error)[:200]},
            details=details,
        )
    if age > BACKUP_FAIL:
        return Check(
            "backup",
            label,
            FAIL,
            _("Cadangan terakhir %(when)s.") % {"when": text},
            details=details,
        )
    if not last.verified:
        return Check(
            "backup",
            label,
            WARN,
            _("Cadangan %(when)s belum terverifikasi.") % {"when": text},
            details=details,
        )
    if age > BACKUP_WARN:
        return Check(
            "backup",
            label,
            WARN,
            _("Cadangan terakhir %(when)s.") % {"when": text},
            details=details,
        )
    return Check(
        "backup", label, OK, _("%(when)s, terverifikasi.") % {"when": text}, details=details
    )


def _notify_installed() -> bool:
    return (
        apps.is_installed("govem.notify")
        and importlib.util.find_spec("govem.notify.outbox") is not None
    )


def check_outbox() -> Check:
    label = str(LABELS["outbox"])
    if not _notify_installed():
        return Check("outbox", label, NA, _("Modul notifikasi tidak terpasang."))
    # notify imports operations too: local, so neither app loads the other at import
    from govem.notify.outbox import backlog

    info = backlog()
    counts = info.get("counts", {})
    waiting = int(counts.get("queued", 0)) + int(counts.get("failed", 0))
    dead = int(info.get("dead_last_24h", 0))
    late = int(info.get("oldest_due_seconds", 0))
    details = {"counts": counts, "dead_last_24h": dead, "oldest_due_seconds": late}
    text = _("%(waiting)s menunggu, %(dead)s gagal permanen (24 jam).") % {
        "waiting": waiting,
        "dead": dead,
    }
    if late > OUTBOX_LATE_S:
        return Check(
            "outbox",
            label,
            WARN,
            _("Pesan tertunda %(n)s menit; %(text)s") % {"n": late // 60, "text": text},
            details=details,
        )
    if dead:
        return Check("outbox", label, WARN, text, details=details)
    return Check("outbox", label, OK, text, details=details)


def check_channels() -> Check:
    """Channels ready, and whether everyone who works today can be reached by one of them."""
    label = str(LABELS["channels"])
    if not _notify_installed():
        return Check("channels", label, NA, _("Modul notifikasi tidak terpasang."))

    found = unreachable(timezone.localdate())
    ready = list(found.channels)
    details = {"ready": ready, "working": found.working, "unreachable": found.total}
    people = _(
        "%(n)s dari %(working)s pegawai yang bekerja hari ini tidak dapat dihubungi lewat "
        "kanal mana pun (daftar per unit di Operasi harian)."
    ) % {"n": found.total, "working": found.working}
    if not ready:
        return Check(
            "channels",
            label,
            WARN,
            _("Tidak ada kanal yang siap; pengingat tidak terkirim.") + " " + people,
            details=details,
        )
    text = _("Siap: %(channels)s.") % {"channels": ", ".join(ready)} + " "
    if found.total:
        return Check("channels", label, WARN, text + people, details=details)
    everyone = _("Semua %(n)s pegawai yang bekerja hari ini dapat dihubungi.") % {
        "n": found.working
    }
    return Check("channels", label, OK, text + everyone, details=details)


def check_clock() -> Check:
    label = str(LABELS["clock"])
    if connection.vendor != "postgresql":
        return Check(
            "clock",
            label,
            NA,
            _("SQLite memakai jam server itu sendiri; tidak ada jam basis data terpisah."),
        )
    before = time.time()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        db_now: datetime = cursor.fetchone()[0]
    after = time.time()
    skew = db_now.timestamp() - (before + after) / 2
    details = {"skew_s": round(skew, 3)}
    text = _("Selisih %(s)s detik.") % {"s": f"{abs(skew):.1f}"}
    if abs(skew) > CLOCK_FAIL_S:
        return Check("clock", label, FAIL, text + " " + _("Periksa NTP."), details=details)
    if abs(skew) > CLOCK_WARN_S:
        return Check("clock", label, WARN, text + " " + _("Periksa NTP."), details=details)
    return Check("clock", label, OK, text, details=details)


def check_freshness() -> Check:
    label = str(LABELS["freshness"])
    if importlib.util.find_spec("govem.people.freshness") is None:
        return Check("freshness", label, NA, _("Laporan kesegaran data belum tersedia."))

    report = freshness_report()
    parts = [
        _("%(n)s tanpa jadwal") % {"n": report.without_schedule.count},
        _("%(n)s tanpa lokasi") % {"n": report.without_location.count},
        _("%(n)s tanpa telepon") % {"n": report.without_phone.count},
        _("%(n)s belum mengikat perangkat") % {"n": report.without_device.count},
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
        _("impor terakhir %(age)s lalu")
        % {"age": _age_text(timezone.now() - report.last_import_at)}
        if report.last_import_at
        else _("belum pernah impor")
    )
    text = _("%(n)s pegawai aktif, %(when)s; %(parts)s.") % {
        "n": report.active_employees,
        "when": when,
        "parts": ", ".join(parts),
    }
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
    label = str(LABELS["calendar"])
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
            _(
                "Paket holidays %(version)s belum memuat cuti bersama %(year)s (SKB 3 Menteri), "
                "padahal kalender sampai %(until)s memakainya: tanpa itu hari cuti bersama "
                "dihitung hari kerja (TK). Perbarui paket holidays, atau tambahkan cuti bersama "
                "%(year)s satu per satu di Admin › Perubahan kalender (%(page)s, jenis "
                "'Cuti bersama')."
            )
            % {
                "version": installed,
                "year": year,
                "until": f"{horizon:%d-%m-%Y}",
                "page": CALENDAR_OVERRIDE_PAGE,
            }
        )
    approximate = list(
        SpecialPeriod.objects.filter(
            approximate=True, start_date__lte=horizon, end_date__gte=today
        ).values_list("name", "start_date")
    )
    for name, start in approximate:
        problems.append(
            _(
                "%(name)s masih tanggal perkiraan (mulai %(start)s): konfirmasi atau ubah "
                "tanggalnya setelah penetapan pemerintah di Admin › Periode khusus (%(page)s)."
            )
            % {"name": name, "start": f"{start:%d-%m-%Y}", "page": SPECIAL_PERIOD_PAGE}
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
    text = _("Cuti bersama dan periode khusus sampai %(until)s sudah pasti (holidays %(v)s).") % {
        "until": f"{horizon:%d-%m-%Y}",
        "v": installed,
    }
    return Check("calendar", label, OK, text, details=details)


def check_replica() -> Check:
    """The streaming replica's lag; above the bound heavy reads fall back to the primary."""
    label = str(LABELS["replica"])
    # the replica module (its connections) only for this check
    from govem import replica

    current = replica.state(fresh=True)
    bound = replica.max_lag_s()
    if not current.configured:
        text = _("Tidak dipakai: laporan dibaca dari basis data utama.")
        return Check("replica", label, OK, text)
    details: dict[str, Any] = {"lag_s": current.lag_s, "max_lag_s": bound}
    details["reads_from"] = "replica" if current.usable else "primary"
    if not current.reachable:
        text = _("Replika tidak terhubung (%(error)s); laporan dibaca dari basis data utama.") % {
            "error": current.error
        }
        return Check("replica", label, WARN, text, details=details)
    if not current.standby:
        text = _("Basis data replika bukan standby; laporan dibaca dari basis data utama.")
        return Check("replica", label, WARN, text, details=details)
    lag = (
        _("tidak diketahui")
        if current.lag_s is None
        else _("%(s)s detik") % {"s": f"{current.lag_s:.1f}"}
    )
    if not current.usable:
        text = _(
            "Tertinggal %(lag)s (batas %(bound)s detik): laporan dibaca dari basis data utama."
        ) % {"lag": lag, "bound": f"{bound:g}"}
        return Check("replica", label, WARN, text, details=details)
    text = _("Tertinggal %(lag)s (batas %(bound)s detik): laporan dibaca dari replika.") % {
        "lag": lag,
        "bound": f"{bound:g}",
    }
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


def _safe(check: Callable[[], Check]) -> Check:
    key = check.__name__.removeprefix("check_")
    try:
        return check()
    except Exception as exc:
        return Check(
            key,
            str(LABELS.get(key, key)),
            FAIL,
            _("Pemeriksaan gagal: %(error)s.") % {"error": type(exc).__name__},
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
                    str(LABELS.get(c.__name__.removeprefix("check_"), c.__name__)),
                    NA,
                    _("Tidak diperiksa: basis data gagal."),
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
