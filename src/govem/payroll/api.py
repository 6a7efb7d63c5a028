"""``GET /api/v1/tpp?month=YYYY-MM``: the caller's own TPP for the month, or with ``unit=``
(its id or code) every active employee of that unit subtree within the caller's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from govem.accounts.scoping import visible_employees
from govem.accounts.services import employee_of
from govem.attendance.recap import parse_month
from govem.errors import DomainError
from govem.payroll.tpp import as_json, explain, monthly_tpp, tpp_for
from govem.reports.access import require_reader, resolve_unit
from govem.reports.codes import absence_names
from govem.rules.tpp import ROUNDING
from govem.schemas import ApiMonth, ErrorOut

router = Router(tags=["tpp"])


class TppQuery(Schema):
    month: ApiMonth | None = None
    unit: str | None = Field(None, max_length=32)


def _row(row: Any, names: dict[str, str]) -> dict[str, Any]:
    body = as_json(row)
    body["lines"] = [
        {"label": item.label, "words": item.words, "rupiah": item.rupiah}
        for item in explain(row, names)
    ]
    return body


@router.get(
    "/tpp",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="TPP bulanan dalam Rupiah: milik sendiri, atau per unit (unit = kode atau ID)",
)
def month_tpp(request: HttpRequest, query: Query[TppQuery]) -> Any:
    month = parse_month(query.month, default=timezone.localdate())
    names = absence_names()
    if not query.unit:
        employee = employee_of(request.user)
        if employee is None:
            raise DomainError(
                "not_an_employee",
                _("Akun ini tidak terhubung dengan data pegawai aktif; sebutkan unit=."),
                status=403,
            )
        rows = [tpp_for(employee, month)]
        unit = None
    else:
        require_reader(request.user)
        unit = resolve_unit(request.user, query.unit)
        employees = visible_employees(request.user).filter(active=True)
        if unit is not None:
            employees = employees.filter(unit__path__startswith=unit.path)
        rows = monthly_tpp(employees, month)
    results = [row.result for row in rows if row.result is not None]
    return Status(
        200,
        {
            "month": month.strftime("%Y-%m"),
            "unit": unit.code if unit else None,
            "rounding": ROUNDING,
            "employees": len(rows),
            "total_gross": sum(result.gross for result in results),
            "total_net": sum(result.net for result in results),
            "rows": [_row(row, names) for row in rows],
        },
    )
