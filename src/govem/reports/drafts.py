"""The reconcile phase's report draft: the day's report for the whole regency, on disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from govem.people.models import Employee


def draft_dir(day: date) -> Path:
    return Path(settings.DATA_DIR) / "reports" / day.isoformat()


def write_draft(day: date) -> dict[str, Any]:
    """Write the draft daily report (XLSX and PDF) for the whole regency; return a summary."""
    from govem.reports.daily import daily_report
    from govem.reports.daily_formats import daily_pdf, daily_xlsx

    report = daily_report(Employee.objects.all(), day)
    folder = draft_dir(day)
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for suffix, render in (("xlsx", daily_xlsx), ("pdf", daily_pdf)):
        target = folder / f"laporan-harian-{day.isoformat()}.{suffix}"
        partial = target.with_suffix(f".{suffix}.part")
        partial.write_bytes(render(report))
        partial.replace(target)
        files[suffix] = str(target)
    return {
        "rows": len(report.rows),
        "totals": {code: count for code, _, count in report.totals},
        "sha256": report.sha256,
        "files": files,
    }
