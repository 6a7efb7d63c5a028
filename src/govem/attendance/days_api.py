"""``GET /api/v1/days`` and ``GET /api/v1/recap``: the caller's own day records and recap."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from govem.accounts.access import api_access
from govem.attendance.days import day_json
from govem.attendance.models import DayRecord
from govem.attendance.recap import days_between, discipline_rows, parse_month, recap_for
from govem.errors import DomainError
from govem.people.models import Employee
from govem.replica import heavy_reads
from govem.rules import discipline
from govem.schemas import ApiDate, ApiMonth, ErrorOut

router = Router(tags=["rekap"])


def record_json(record: DayRecord) -> dict[str, Any]:
    zone = ZoneInfo(record.time_zone)

    def local(moment: datetime | None) -> str | None:
        return moment.astimezone(zone).isoformat() if moment else None

    body = day_json(record) or {}
    body.update(
        {
            "workday": record.workday,
            "time_zone": record.time_zone,
            "schedule": record.schedule_source or None,
            "expected_start": local(record.expected_start),
            "expected_end": local(record.expected_end),
            "first_in": local(record.first_in),
            "last_out": local(record.last_out),
            "locked": record.locked,
        }
    )
    return body


class DayRange(Schema):
    date_from: ApiDate = Field(..., alias="from")
    date_to: ApiDate = Field(..., alias="to")


@router.get(
    "/days",
    response={200: list[dict[str, Any]], 403: ErrorOut, 422: ErrorOut},
    summary="Rekap harian sendiri (status, terlambat, pulang cepat, potongan)",
)
@api_access()
def list_days(request: HttpRequest, employee: Employee, filters: Query[DayRange]) -> Any:
    if filters.date_to < filters.date_from:
        raise DomainError(
            "invalid_input", _("Tanggal 'to' sebelum 'from'."), details={"field": "to"}
        )
    if filters.date_to - filters.date_from > timedelta(days=366):
        raise DomainError(
            "invalid_input", _("Rentang paling lama 366 hari."), details={"field": "to"}
        )
    records = days_between(employee, filters.date_from, filters.date_to)
    return Status(200, [record_json(record) for record in records])


class MonthQuery(Schema):
    month: ApiMonth


@router.get(
    "/recap",
    response={200: dict[str, Any], 403: ErrorOut, 422: ErrorOut},
    summary="Rekap bulanan sendiri (hari kerja, hadir, kode, menit, TK, potongan)",
)
@api_access()
def month_recap(request: HttpRequest, employee: Employee, query: Query[MonthQuery]) -> Any:
    with heavy_reads():
        month = parse_month(query.month, default=timezone.localdate())
        recap = recap_for(employee, month)
        body = recap.as_json()
        rows = discipline_rows(Employee.objects.filter(pk=employee.pk), month)
        standing = rows[0].after if rows else discipline.standing(0, 0, 0, 0)
        body["discipline"] = {
            "year": month.year,
            "unexcused_days": standing.days,
            "longest_tk_run": standing.longest_run,
            "level": standing.level.code if standing.level else None,
            "level_name": standing.level.name if standing.level else None,
        }
        body["days"] = [record_json(record) for record in recap.days]
        return Status(200, body)
