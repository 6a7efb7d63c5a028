"""API v1 reports: ``GET /reports/daily``, ``GET /reports/monthly`` (JSON, XLSX, PDF, CSV)
and ``POST /reports/daily/verify``. Scoped like the pages: a unit outside the caller's
scope is 404, a role without reports 403."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from govem.accounts.scoping import visible_employees
from govem.attendance.recap import parse_month
from govem.replica import heavy_reads
from govem.reports.access import (
    FORMATS,
    parse_day,
    parse_format,
    require_reader,
    require_verifier,
    resolve_unit,
)
from govem.reports.daily import COLUMNS, DailyReport, daily_report
from govem.reports.files import DAILY, MONTHLY, daily_file, download, monthly_file
from govem.reports.monthly import monthly_sheet, summary_cells
from govem.reports.monthly_formats import summary_headers
from govem.reports.verification import verify_daily
from govem.schemas import ApiDate, ApiMonth, ErrorOut

router = Router(tags=["laporan"])
ALL_FORMATS = ("json", *FORMATS)
# format=xlsx|pdf|csv answers the file itself: the 200 response has each media type.
DOWNLOADS = {
    "responses": {
        200: {
            "content": {
                "application/json": {"schema": {"type": "object"}},
                **{
                    media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for media in FORMATS.values()
                },
            }
        }
    }
}


Format = Literal["json", "xlsx", "pdf", "csv"]


class DailyQuery(Schema):
    date: ApiDate | None = None
    unit: str | None = Field(None, max_length=32, description="kode atau ID unit")
    format: Format = "json"


class MonthlyQuery(Schema):
    month: ApiMonth | None = None
    unit: str | None = Field(None, max_length=32, description="kode atau ID unit")
    format: Format = "json"


def daily_json(report: DailyReport) -> dict[str, Any]:
    check = report.verification
    return {
        "date": report.day.isoformat(),
        "unit": report.unit.code if report.unit else None,
        "scope": report.scope_label,
        "columns": [key for key, _ in COLUMNS],
        "rows": [
            {
                **dict(zip((key for key, _ in COLUMNS), row.cells(), strict=True)),
                "employee_id": row.employee_id,
                "locked": row.locked,
                "changed_after_verification": [
                    {"field": name, "old": old, "new": new} for name, old, new in row.changes
                ],
            }
            for row in report.rows
        ],
        "totals": [{"code": c, "label": label, "count": n} for c, label, n in report.totals],
        "employees": len(report.rows),
        "sha256": report.sha256,
        "verification": None
        if check is None
        else {
            "verifier_name": check.verifier_name,
            "verifier_nip": check.verifier_nip,
            "verified_at": check.verified_at.isoformat(),
            "sha256": check.sha256,
            "intact": check.intact,
            "changed_rows": check.changed_rows,
        },
    }


@router.get(
    "/reports/daily",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Laporan harian (format=json|xlsx|pdf|csv; unit = kode atau ID unit)",
    openapi_extra=DOWNLOADS,
)
def daily(request: HttpRequest, filters: Query[DailyQuery]) -> Any:
    with heavy_reads():
        require_reader(request.user)
        fmt = parse_format(filters.format, allowed=ALL_FORMATS)
        day = filters.date or parse_day(None)
        unit = resolve_unit(request.user, filters.unit)
        employees = visible_employees(request.user)
        if fmt in DAILY:
            return download(*daily_file(employees, day, unit, fmt), fmt)
        return Status(200, daily_json(daily_report(employees, day, unit)))


@router.get(
    "/reports/monthly",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Rekap bulanan pegawai × tanggal (format=json|xlsx|pdf|csv)",
    openapi_extra=DOWNLOADS,
)
def monthly(request: HttpRequest, filters: Query[MonthlyQuery]) -> Any:
    with heavy_reads():
        require_reader(request.user)
        fmt = parse_format(filters.format, allowed=ALL_FORMATS)
        month = parse_month(filters.month, default=timezone.localdate())
        unit = resolve_unit(request.user, filters.unit)
        employees = visible_employees(request.user)
        if fmt in MONTHLY:
            return download(*monthly_file(employees, month, unit, fmt), fmt)
        sheet = monthly_sheet(employees, month, unit)
        totals = summary_headers(sheet)
        return Status(
            200,
            {
                "month": month.strftime("%Y-%m"),
                "unit": unit.code if unit else None,
                "scope": sheet.scope_label,
                "dates": [day.isoformat() for day in sheet.dates],
                "codes": sheet.codes,
                "rows": [
                    {
                        "employee_id": row.employee_id,
                        "nip": row.nip,
                        "name": row.name,
                        "unit": row.unit,
                        "days": row.days,
                        "totals": dict(zip(totals, summary_cells(row, sheet.codes), strict=True)),
                    }
                    for row in sheet.rows
                ],
                "rates": [
                    {"unit": rate.unit, "per_day": rate.per_day, "average": rate.average}
                    for rate in sheet.rates
                ],
            },
        )


class VerifyIn(Schema):
    date: ApiDate
    unit: str | None = Field(None, max_length=32)
    note: str = Field("", max_length=2000)


@router.post(
    "/reports/daily/verify",
    response={201: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Verifikasi laporan harian: catat verifikator dan SHA-256, kunci rekap hari itu",
)
def verify(request: HttpRequest, payload: VerifyIn) -> Any:
    require_reader(request.user)
    unit = resolve_unit(request.user, payload.unit)
    require_verifier(request.user, unit=unit)
    verification = verify_daily(user=request.user, day=payload.date, unit=unit, note=payload.note)
    return Status(
        201,
        {
            "id": verification.pk,
            "date": verification.date.isoformat(),
            "unit": unit.code if unit else None,
            "scope": verification.scope_label,
            "verifier_name": verification.verifier_name,
            "verifier_nip": verification.verifier_nip,
            "verified_at": verification.verified_at.isoformat(),
            "sha256": verification.sha256,
            "rows": verification.row_count,
            "locked_days": verification.locked_days,
        },
    )
