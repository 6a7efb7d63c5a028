"""The reconcile phase's report draft: the day's report for the whole regency, in the Govem
storage (``reports/<date>/laporan-harian-<date>.xlsx|pdf``) so every node can hand it out."""

from __future__ import annotations

from datetime import date
from typing import Any

from govem.files import store as files
from govem.people.models import Employee
from govem.replica import heavy_reads
from govem.reports.daily import daily_report
from govem.reports.daily_formats import daily_pdf, daily_xlsx


def draft_name(day: date, suffix: str) -> str:
    return f"reports/{day.isoformat()}/laporan-harian-{day.isoformat()}.{suffix}"


def write_draft(day: date) -> dict[str, Any]:
    """Write the draft daily report (XLSX and PDF) for the whole regency; return a summary."""

    with heavy_reads():
        report = daily_report(Employee.objects.all(), day)
    stored = {}
    for suffix, render in (("xlsx", daily_xlsx), ("pdf", daily_pdf)):
        stored[suffix] = files.put(draft_name(day, suffix), render(report))
    return {
        "rows": len(report.rows),
        "totals": {code: count for code, _, count in report.totals},
        "sha256": report.sha256,
        "files": stored,
    }
