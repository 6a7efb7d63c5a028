"""``/inovasi/``: the innovation report for the Inovator (and Tim IT): page, XLSX and PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govem.accounts.scoping import sees_everything
from govem.attendance.recap import parse_month
from govem.errors import DomainError
from govem.innovation.formats import file_name, innovation_pdf, innovation_xlsx
from govem.innovation.indicators import INDICATORS, InnovationReport, innovation_report
from govem.l10n import month_label, number, short_date
from govem.operations import golive
from govem.replica import replica_reads
from govem.reports.files import download
from govem.rules.indicators import first_full_month, months_between
from govem.rules.tpp import add_months

MAX_MONTHS = 24


def _require(user: Any) -> None:
    if not sees_everything(user):
        raise DomainError(
            "forbidden", _("Laporan inovasi hanya untuk Inovator dan Tim IT."), status=403
        )


def parse_period(first: str | None, last: str | None) -> tuple[date, date]:
    """``dari``/``sampai`` (YYYY-MM); by default the last six months up to this one, not
    before the first month after go-live."""
    this_month = timezone.localdate().replace(day=1)
    end = parse_month(last, default=this_month, field_name="sampai")
    start_default = max(add_months(end, -5), first_full_month(golive.regency_start()))
    start = parse_month(first, default=min(start_default, end), field_name="dari")
    if start > end:
        raise DomainError(
            "invalid_input", _("Bulan 'dari' sesudah bulan 'sampai'."), details={"field": "dari"}
        )
    if len(months_between(start, end)) > MAX_MONTHS:
        raise DomainError(
            "invalid_input",
            _("Periode paling lama %(months)s bulan.") % {"months": MAX_MONTHS},
            details={"field": "dari"},
        )
    return start, end


def page_value(value: Decimal | int | None) -> str:
    """A figure in the reader's language (``92,5`` / ``92.5``); ``-`` when there is none."""
    if value is None:
        return "-"
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return number(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "innovation/error.html", {"error": error}, status=error.status)


def _report(request: HttpRequest) -> InnovationReport:
    _require(request.user)
    start, end = parse_period(request.GET.get("dari"), request.GET.get("sampai"))
    return innovation_report(start, end)


@login_required
@require_GET
@replica_reads
def page(request: HttpRequest) -> HttpResponse:
    try:
        report = _report(request)
    except DomainError as error:
        return _error(request, error)
    table = []
    for indicator in INDICATORS:
        values = [page_value(f.values.get(indicator.code)) for f in report.months]
        base = report.baseline.values.get(indicator.code)
        table.append({"indicator": indicator, "values": values, "baseline": page_value(base)})
    context = {
        "report": report,
        "table": table,
        "period": f"{month_label(report.first)} – {month_label(report.last)}",
        "baseline": _("Pembanding: %(month)s (bulan pertama setelah mulai penghitungan %(start)s)")
        % {"month": month_label(report.baseline_month), "start": short_date(report.go_live)},
        "first_value": f"{report.first:%Y-%m}",
        "last_value": f"{report.last:%Y-%m}",
        "reasons": [
            (f"{f.month:%Y-%m}", reason or "-", count)
            for f in report.months
            for reason, count in f.rejected_by_reason.items()
        ],
    }
    return render(request, "innovation/page.html", context)


@login_required
@require_GET
@replica_reads
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        if fmt not in ("xlsx", "pdf"):
            raise DomainError(
                "invalid_input", _("Format harus xlsx atau pdf."), details={"field": "format"}
            )
        report = _report(request)
    except DomainError as error:
        return _error(request, error)
    content = innovation_xlsx(report) if fmt == "xlsx" else innovation_pdf(report)
    return download(content, file_name(report, fmt), fmt)
