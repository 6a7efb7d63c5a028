"""Render a report in one format with its download file name (web, API and CLI share it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse

from govem.people.models import Unit
from govem.reports.access import FORMATS
from govem.reports.daily import DailyReport, daily_report
from govem.reports.daily_formats import daily_csv, daily_pdf, daily_xlsx
from govem.reports.monthly import MonthlySheet, monthly_sheet
from govem.reports.monthly_formats import monthly_csv, monthly_pdf, monthly_xlsx

DAILY = {"xlsx": daily_xlsx, "pdf": daily_pdf, "csv": daily_csv}
MONTHLY = {"xlsx": monthly_xlsx, "pdf": monthly_pdf, "csv": monthly_csv}


def _slug(unit: Unit | None) -> str:
    return "kabupaten" if unit is None else unit.code.lower()


def daily_file(employees: Any, day: date, unit: Unit | None, fmt: str) -> tuple[bytes, str]:
    report: DailyReport = daily_report(employees, day, unit)
    return DAILY[fmt](report), f"laporan-harian-{day.isoformat()}-{_slug(unit)}.{fmt}"


def monthly_file(employees: Any, month: date, unit: Unit | None, fmt: str) -> tuple[bytes, str]:
    sheet: MonthlySheet = monthly_sheet(employees, month, unit)
    return MONTHLY[fmt](sheet), f"rekap-bulanan-{month:%Y-%m}-{_slug(unit)}.{fmt}"


def download(content: bytes, name: str, fmt: str) -> HttpResponse:
    """The file as an attachment that no shared cache keeps (pages and API alike)."""
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
