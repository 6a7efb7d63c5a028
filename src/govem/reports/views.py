"""``/laporan/``: the daily report (preview, downloads, verification) and the monthly sheet."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govem.accounts.scoping import scope_units, sees_everything, visible_employees, visible_units
from govem.attendance.recap import parse_month
from govem.errors import DomainError
from govem.l10n import long_date, month_label, number, svg_number
from govem.replica import replica_reads
from govem.reports import access
from govem.reports.access import FORMATS, parse_day, parse_format, require_reader, resolve_unit
from govem.reports.daily import daily_report
from govem.reports.files import daily_file, download, monthly_file
from govem.reports.models import ReportVerification
from govem.reports.monthly import monthly_sheet
from govem.reports.verification import verify_daily

PREVIEW_ROWS = 300


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "reports/error.html", {"error": error}, status=error.status)


def _units(request: HttpRequest) -> dict[str, Any]:
    return {
        "units": visible_units(request.user).order_by("path")[:500],
        "whole_regency": sees_everything(request.user),
        "roots": scope_units(request.user),
    }


@login_required
@require_GET
@replica_reads
def daily(request: HttpRequest) -> HttpResponse:
    try:
        require_reader(request.user)
        day = parse_day(request.GET.get("tanggal"), field="tanggal")
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.GET.get("unit"))
    report = daily_report(visible_employees(request.user), day, unit)
    changed = [row for row in report.rows if row.changes]
    history = ReportVerification.objects.filter(date=day, unit=unit).select_related("verified_by")
    context = {
        "report": report,
        "day": day,
        "day_value": day.isoformat(),
        "day_label": long_date(day),
        "previous": (day - timedelta(days=1)).isoformat(),
        "following": (day + timedelta(days=1)).isoformat(),
        "unit": unit,
        "unit_value": unit.pk if unit else "",
        "preview": report.rows[:PREVIEW_ROWS],
        "scope": page_scope(unit),
        # The codes' words are catalogue msgids (reports.codes, absences.SEEDED_NAMES).
        "totals": [(code, _(label), count) for code, label, count in report.totals],
        "more": max(0, len(report.rows) - PREVIEW_ROWS),
        "changed": changed,
        # What one click of "Verifikasi" locks: every day record of the scope not locked yet.
        "to_lock": sum(1 for row in report.rows if not row.locked),
        "history": history[:10],
        "may_verify": access.can_verify(request.user)
        and (unit is not None or sees_everything(request.user)),
        "formats": list(FORMATS),
        "month_value": day.strftime("%Y-%m"),
        **_units(request),
    }
    return render(request, "reports/daily.html", context)


def page_scope(unit: Any) -> str:
    """The scope in the page's language (the files keep daily.scope_label's Indonesian)."""
    if unit is not None:
        return str(unit.name)
    return _("Seluruh unit kerja %(regency)s") % {"regency": settings.GOVEM["REGENCY_NAME"].title()}


@login_required
@require_GET
@replica_reads
def monthly(request: HttpRequest) -> HttpResponse:
    try:
        require_reader(request.user)
        month = parse_month(
            request.GET.get("bulan"), default=timezone.localdate(), field_name="bulan"
        )
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.GET.get("unit"))
    sheet = monthly_sheet(visible_employees(request.user), month, unit)
    context = {
        "sheet": sheet,
        "month_value": month.strftime("%Y-%m"),
        "month_label": month_label(month),
        "unit": unit,
        "unit_value": unit.pk if unit else "",
        "formats": list(FORMATS),
        "chart": _chart(sheet),
        "scope": page_scope(unit),
        **_units(request),
    }
    return render(request, "reports/monthly.html", context)


def _chart(sheet: Any) -> dict[str, Any]:
    """Bar geometry for the SVG small multiples (one row of daily bars per unit)."""
    days = len(sheet.dates)
    step = 12
    rows = []
    for rate in sheet.rates:
        bars = []
        for index, value in enumerate(rate.per_day):
            if value is None:
                continue
            height = 40 * value / 100
            bars.append(
                {
                    "x": svg_number(index * step + 2),
                    "y": svg_number(42 - height),
                    "height": svg_number(height),
                    "value": svg_number(value),
                    "day": sheet.dates[index].isoformat(),
                    "label": f"{long_date(sheet.dates[index])}: {number(value, 1)}%",
                }
            )
        average = None if rate.average is None else number(rate.average, 1)
        rows.append({"unit": rate.unit, "average": average, "bars": bars})
    return {
        "rows": rows,
        "width": svg_number(days * step + 4),
        "days": [d.day for d in sheet.dates],
    }


@login_required
@require_GET
@replica_reads
def daily_download(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        require_reader(request.user)
        fmt = parse_format(fmt)
        day = parse_day(request.GET.get("tanggal"), field="tanggal")
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.GET.get("unit"))
    content, name = daily_file(visible_employees(request.user), day, unit, fmt)
    return download(content, name, fmt)


@login_required
@require_GET
@replica_reads
def monthly_download(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        require_reader(request.user)
        fmt = parse_format(fmt)
        month = parse_month(
            request.GET.get("bulan"), default=timezone.localdate(), field_name="bulan"
        )
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.GET.get("unit"))
    content, name = monthly_file(visible_employees(request.user), month, unit, fmt)
    return download(content, name, fmt)


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    try:
        require_reader(request.user)
        day = parse_day(request.POST.get("tanggal"), field="tanggal")
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.POST.get("unit"))
    target = f"{reverse('reports:daily')}?tanggal={day.isoformat()}"
    if unit is not None:
        target += f"&unit={unit.pk}"
    try:
        access.require_verifier(request.user, unit=unit)
        verification = verify_daily(
            user=request.user, day=day, unit=unit, note=request.POST.get("catatan", "")[:2000]
        )
    except DomainError as error:
        if error.status == 403:
            return _error(request, error)
        messages.error(request, error.message, extra_tags=error.code)
        return redirect(target)
    messages.success(
        request,
        _("Laporan %(day)s (%(scope)s) diverifikasi; %(n)s rekap harian dikunci.")
        % {"day": long_date(day), "scope": verification.scope_label, "n": verification.locked_days},
    )
    return redirect(target)
