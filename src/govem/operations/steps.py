"""The operations app's own steps of the SOP day (registered in ``OperationsConfig.ready``).

prepare: health checks, employee data freshness, who cannot be reached. close: the day's
records brought up to date with what is known at end + 30 min, a verified backup, tomorrow's
readiness, the day's evaluation. settle (the date's last check-out window has closed): the
day settled (TK, PSW4, TL4), then — after the clarification cases and the report draft that
other apps add — the backup that carries the date and the evaluation of the settled day.
"""

from __future__ import annotations

import importlib.util
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govem.operations import health
from govem.operations.backup import create_backup
from govem.operations.evaluation import evaluate_day
from govem.operations.phases import register_step
from govem.operations.reach import unreachable_step
from govem.operations.timing import phase_times
from govem.people.freshness import freshness_report


def health_step(day: date) -> dict[str, Any]:
    checks = health.run_checks(skip={"freshness"})
    failed = [check.label for check in checks if check.status == health.FAIL]
    return {
        "ok": not failed,
        "message": "Gagal: " + ", ".join(failed) if failed else "",
        "overall": health.overall(checks),
        "checks": [check.as_dict() for check in checks],
    }


def freshness_step(day: date) -> dict[str, Any]:
    if importlib.util.find_spec("govem.people.freshness") is None:
        return {"available": False}

    report = freshness_report(day)
    # Gaps are warnings to act on, not a failed preparation: the day still runs.
    return {**report.as_dict(), "available": True, "warning": not report.ok, "ok": True}


def close_days_step(day: date) -> dict[str, Any]:
    # attendance imports operations at module level: a top-level import would be circular
    from govem.attendance.days import close_day

    result = close_day(day)
    return {
        "employees": result.employees,
        "days": result.days,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "locked_skipped": result.locked_skipped,
    }


def settle_step(day: date) -> dict[str, Any]:
    # attendance imports operations at module level: a top-level import would be circular
    from govem.attendance.days import settle_day

    return settle_day(day).as_dict()


def backup_step(day: date) -> dict[str, Any]:
    return _backup(None)


def settled_backup_step(day: date) -> dict[str, Any]:
    return _backup(day)


def _backup(day: date | None) -> dict[str, Any]:

    backup = create_backup(day=day)
    return {
        "ok": backup.verified,
        "message": backup.error,
        "backup_id": backup.pk,
        "file": Path(backup.path).name,
        "size": backup.size,
        "sha256": backup.sha256,
        "verified": backup.verified,
        "mirror": bool(backup.mirror_path),
        "rows": sum(backup.manifest.get("row_counts", {}).values()),
        "attachments": backup.manifest.get("attachments", {}).get("files", 0),
        "day": day.isoformat() if day else None,
    }


def readiness_step(day: date) -> dict[str, Any]:
    """Is the system ready for the next day: critical checks, disk, tomorrow's schedules."""

    checks = health.run_checks(skip={"freshness", "outbox", "channels", "backup"})
    problems = [check.label for check in checks if check.down]
    tomorrow = day + timedelta(days=1)
    times = phase_times(tomorrow)
    return {
        "ok": not problems,
        "message": "Tidak siap: " + ", ".join(problems) if problems else "",
        "next_day": tomorrow.isoformat(),
        "next_day_schedules": times.schedules,
        "next_day_employees": times.employees,
        "next_day_times": times.as_dict(),
        "checks": [check.as_dict() for check in checks],
    }


def evaluation_step(day: date) -> dict[str, Any]:

    return evaluate_day(day).as_dict()


def register() -> None:
    register_step("prepare", "health", health_step, order=10, label="Pemeriksaan sistem")
    register_step("prepare", "freshness", freshness_step, order=20, label="Kesegaran data pegawai")
    register_step(
        "prepare",
        "unreachable",
        unreachable_step,
        order=30,
        label="Pegawai yang tidak dapat dihubungi",
    )
    # Records brought up to date with what is known at that time, before the report draft
    # and the clarification cases read them.
    register_step(
        "reconcile", "update_days", close_days_step, order=10, label="Perbarui rekap hari"
    )
    register_step("close", "close_days", close_days_step, order=10, label="Tutup rekap hari")
    register_step("close", "backup", backup_step, order=50, label="Cadangan data")
    register_step("close", "readiness", readiness_step, order=60, label="Kesiapan hari berikutnya")
    register_step("close", "evaluation", evaluation_step, order=90, label="Evaluasi hari")
    register_step("settle", "settle_days", settle_step, order=10, label="Penyelesaian rekap hari")
    register_step(
        "settle", "backup", settled_backup_step, order=70, label="Cadangan hari yang selesai"
    )
    register_step("settle", "evaluation", evaluation_step, order=90, label="Evaluasi hari")
