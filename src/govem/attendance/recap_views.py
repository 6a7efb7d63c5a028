"""``/rekap/``: the monthly recap for the employee (own), the supervisor (direct
subordinates), the operator (unit subtree), Tim IT and the Inovator (everyone).

Scoping lives in the querysets (``visible_employees``): an employee outside the caller's
scope "does not exist" (404).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from govem.accounts.access import get_employee_for_user_or_404, get_unit_for_user_or_404
from govem.accounts.roles import INOVATOR, OPERATOR, TIM_IT, has_role
from govem.accounts.scoping import (
    can_monitor,
    can_record_sentences,
    scope_units,
    sees_everything,
    visible_employees,
    visible_units,
)
from govem.accounts.services import employee_of
from govem.attendance.recap import (
    code_counts,
    discipline_rows,
    month_end,
    parse_month,
    recap_for,
    recaps,
)
from govem.errors import DomainError
from govem.l10n import month_label
from govem.payroll.tpp import tpp_context
from govem.replica import replica_reads


def _month(request: HttpRequest) -> Any:
    return parse_month(request.GET.get("bulan"), default=timezone.localdate(), field_name="bulan")


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "attendance/rekap_error.html", {"error": error}, status=400)


def _base(month: Any) -> dict[str, Any]:
    previous = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (month_end(month) + timedelta(days=1)).replace(day=1)
    return {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "month_label": month_label(month),
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
    }


@login_required
@require_GET
@replica_reads
def overview(request: HttpRequest) -> HttpResponse:
    try:
        month = _month(request)
    except DomainError as error:
        return _error(request, error)
    context = _base(month)
    own = employee_of(request.user)
    context["own"] = recap_for(own, month) if own is not None else None
    if own is not None:
        context.update(tpp_context(own, month))
    context["may_record_sentences"] = can_record_sentences(request.user)
    if can_monitor(request.user):
        employees = visible_employees(request.user).filter(active=True)
        unit = None
        if request.GET.get("unit"):
            unit = get_unit_for_user_or_404(request.user, request.GET["unit"])
            employees = employees.filter(unit__path__startswith=unit.path)
        # Everyone in a regency is one unit at a time; the discipline list covers all.
        whole_regency = unit is None and sees_everything(request.user)
        rows = [] if whole_regency else recaps(employees, month)
        context.update(
            {
                "rows": rows,
                "pick_unit": whole_regency,
                "totals": dict(sorted(code_counts(rows).items())),
                "unit": unit,
                "units": visible_units(request.user).order_by("path")[:500],
                "roots": scope_units(request.user),
            }
        )
        if has_role(request.user, OPERATOR, TIM_IT, INOVATOR):
            standings = discipline_rows(employees, month)
            context["crossed"] = [row for row in standings if row.crossed]
            context["standings"] = [row for row in standings if row.after.level][:200]
    return render(request, "attendance/rekap.html", context)


@login_required
@require_GET
@replica_reads
def employee_month(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = get_employee_for_user_or_404(request.user, employee_id)
    try:
        month = _month(request)
    except DomainError as error:
        return _error(request, error)
    context = _base(month)
    context["recap"] = recap_for(employee, month)
    context["employee"] = employee
    context.update(tpp_context(employee, month))
    return render(request, "attendance/rekap_pegawai.html", context)
