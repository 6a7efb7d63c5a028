"""``/tpp/``: the monthly TPP report per unit (page, XLSX, PDF), the pagu table import (Tim IT),
productivity (import or entry by the operator) and discipline sentences (BKPSDM).

Views parse and authorise; :mod:`govem.payroll.services` writes; :mod:`govem.payroll.tpp`
reads. Every employee and unit lookup goes through the caller's scope (404 outside it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from govem import l10n
from govem.accounts.access import get_employee_for_user_or_404
from govem.accounts.scoping import (
    can_manage_pagu,
    can_operate,
    can_record_sentences,
    scope_units,
    sees_everything,
    visible_employees,
    visible_units,
)
from govem.attendance.recap import parse_month
from govem.errors import DomainError
from govem.payroll import services
from govem.payroll.models import SENTENCE_CUTS, SENTENCE_KINDS, Pagu, Productivity, Sentence
from govem.payroll.report import (
    compact_row,
    pdf_columns,
    summary_lines,
    tpp_file,
    tpp_report,
    whole_regency_label,
)
from govem.people.models import Employee
from govem.people.tables import template_xlsx
from govem.reports.access import require_reader, resolve_unit
from govem.reports.files import download

PREVIEW_ROWS = 300
MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt"}


def _error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "payroll/error.html", {"error": error}, status=error.status)


def _month(value: str | None) -> date:
    return parse_month(value, default=timezone.localdate(), field_name="bulan")


def _units(request: HttpRequest) -> dict[str, Any]:
    return {
        "units": visible_units(request.user).order_by("path")[:500],
        "whole_regency": sees_everything(request.user),
        "roots": scope_units(request.user),
    }


def can_enter_productivity(user: Any) -> bool:
    return can_operate(user)


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    try:
        require_reader(request.user)
        month = _month(request.GET.get("bulan"))
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.GET.get("unit"))
    data = tpp_report(visible_employees(request.user), month, unit)
    context = {
        "report": data,
        "columns": pdf_columns(),
        "preview": [compact_row(row.cells) for row in data.rows[:PREVIEW_ROWS]],
        "totals": compact_row(data.totals),
        "more": max(0, len(data.rows) - PREVIEW_ROWS),
        "notes": summary_lines(data),
        "month_value": month.strftime("%Y-%m"),
        "month_label": l10n.month_label(month),
        "scope_label": data.scope_label if unit else whole_regency_label(),
        "unit": unit,
        "may_import_pagu": can_manage_pagu(request.user),
        "may_enter_productivity": can_enter_productivity(request.user),
        **_units(request),
    }
    return render(request, "payroll/report.html", context)


@login_required
@require_GET
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        require_reader(request.user)
        if fmt not in ("xlsx", "pdf"):
            raise DomainError(
                "invalid_input", _("Format harus xlsx atau pdf."), details={"field": "format"}
            )
        month = _month(request.GET.get("bulan"))
    except DomainError as error:
        return _error(request, error)
    unit = resolve_unit(request.user, request.GET.get("unit"))
    content, name = tpp_file(visible_employees(request.user), month, unit, fmt)
    return download(content, name, fmt)


def _upload(request: HttpRequest) -> tuple[bytes, str]:
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError(
            "invalid_input", _("Pilih berkas XLSX atau CSV."), details={"field": "file"}
        )
    name = upload.name or "upload.csv"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise DomainError("invalid_file", _("Format berkas harus XLSX atau CSV."))
    if upload.size and upload.size > MAX_BYTES:
        raise DomainError("invalid_file", _("Berkas lebih dari 20 MB."))
    return upload.read(), name


def _figure(saved: Productivity) -> str:
    """80 % / 6.750 menit — the saved figure in the page's language."""
    if saved.percent is not None:
        return f"{l10n.number(saved.percent, 2)} %"
    minutes = saved.minutes or 0
    text = ngettext("%(n)s menit aktivitas", "%(n)s menit aktivitas", minutes)
    return text % {"n": l10n.number(minutes)}


def _pagu_refused() -> DomainError:
    return DomainError("forbidden", _("Hanya Tim IT yang dapat mengimpor pagu TPP."), status=403)


def _imported(request: HttpRequest, result: services.ImportResult) -> None:
    messages.success(
        request,
        _("Impor selesai: %(created)d baru, %(updated)d diubah, %(unchanged)d tetap.")
        % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pagu(request: HttpRequest) -> HttpResponse:
    if not can_manage_pagu(request.user):
        return _error(request, _pagu_refused())
    errors: Any = None
    status = 200
    if request.method == "POST":
        try:
            data, name = _upload(request)
            _imported(request, services.import_pagu(data=data, file_name=name, by=request.user))
            return redirect("payroll:pagu")
        except DomainError as error:
            errors, status = error, error.status
    rows = Pagu.objects.order_by("basis", "key", "-valid_from")
    context = {"rows": rows[:500], "count": rows.count(), "error": errors}
    return render(request, "payroll/pagu.html", context, status=status)


@login_required
@require_GET
def pagu_template(request: HttpRequest) -> HttpResponse:
    if not can_manage_pagu(request.user):
        return _error(request, _pagu_refused())
    content = template_xlsx(services.PAGU, title="Pagu TPP")
    return download(content, "templat-pagu-tpp.xlsx", "xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def productivity(request: HttpRequest) -> HttpResponse:
    if not can_enter_productivity(request.user):
        raise PermissionDenied("productivity")
    try:
        month = _month(request.POST.get("bulan") or request.GET.get("bulan"))
    except DomainError as error:
        return _error(request, error)
    employees = visible_employees(request.user)
    problem: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "entry":
                person = _scoped_by_nip(employees, request.POST.get("nip", ""))
                saved = services.set_productivity(
                    employee=person,
                    month=month,
                    percent=request.POST.get("capaian", ""),
                    minutes=request.POST.get("menit", ""),
                    note=request.POST.get("catatan", ""),
                    by=request.user,
                )
                messages.success(
                    request,
                    _("Produktivitas %(name)s %(month)s disimpan: %(figure)s.")
                    % {
                        "name": person.name,
                        "month": l10n.month_label(month),
                        "figure": _figure(saved),
                    },
                )
            else:
                data, name = _upload(request)
                result = services.import_productivity(
                    data=data, file_name=name, month=month, employees=employees, by=request.user
                )
                _imported(request, result)
            return redirect(f"{reverse('payroll:productivity')}?bulan={month:%Y-%m}")
        except DomainError as error:
            problem, status = error, error.status
    entered = (
        Productivity.objects.filter(employee__in=employees, month=month)
        .select_related("employee", "employee__unit")
        .order_by("employee__unit__path", "employee__name")
    )
    active = employees.filter(active=True)
    missing = active.exclude(productivity__month=month).select_related("unit").order_by("name")
    context = {
        "month_value": f"{month:%Y-%m}",
        "month_label": l10n.month_label(month),
        "entered": entered[:500],
        "entered_count": entered.count(),
        "missing": missing[:200],
        "missing_count": missing.count(),
        "error": problem,
        "values": request.POST if problem else {},
    }
    return render(request, "payroll/productivity.html", context, status=status)


@login_required
@require_GET
def productivity_template(request: HttpRequest) -> HttpResponse:
    if not can_enter_productivity(request.user):
        raise PermissionDenied("productivity")
    content = template_xlsx(services.PRODUCTIVITY, title="Produktivitas")
    return download(content, "templat-produktivitas.xlsx", "xlsx")


def _scoped_by_nip(employees: QuerySet[Employee], nip: str) -> Employee:
    nip = nip.strip()
    found: Employee | None = (
        employees.filter(nip=nip).first() or employees.filter(non_asn_id=nip).first()
        if nip
        else None
    )
    if found is None:
        raise DomainError(
            "not_found",
            _("Pegawai dengan NIP itu tidak ditemukan dalam cakupan Anda."),
            status=404,
            details={"field": "nip"},
        )
    return found


def _parse_date(value: str, field: str, label: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(
            "invalid_input",
            _("%(label)s harus berformat YYYY-MM-DD.") % {"label": label},
            details={"field": field},
        ) from exc


def _parse_int(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise DomainError(
            "invalid_input", _("Lama hukuman harus bilangan bulat."), details={"field": field}
        )
    return int(value)


def _parse_pct(value: str, field: str) -> Decimal | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise DomainError(
            "invalid_input", _("Pemotongan TPP harus angka."), details={"field": field}
        ) from exc
    if not number.is_finite():
        raise DomainError(
            "invalid_input", _("Pemotongan TPP harus angka."), details={"field": field}
        )
    return number


@login_required
@require_http_methods(["GET", "POST"])
def sentences(request: HttpRequest) -> HttpResponse:
    """Sentences of the people the caller sees; BKPSDM and Tim IT record new ones."""
    may_record = can_record_sentences(request.user)
    employees = visible_employees(request.user)
    problem: DomainError | None = None
    status = 200
    chosen: Employee | None = None
    if request.GET.get("pegawai"):
        chosen = get_employee_for_user_or_404(request.user, request.GET["pegawai"])
    if request.method == "POST":
        if not may_record:
            return _error(
                request,
                DomainError(
                    "forbidden",
                    _("Hanya BKPSDM atau Tim IT yang dapat mencatat hukuman disiplin."),
                    status=403,
                ),
            )
        post = request.POST
        try:
            person = _scoped_by_nip(employees, post.get("nip", ""))
            starts = (
                parse_month(post["mulai"], default=date.today(), field_name="mulai")
                if post.get("mulai", "").strip()
                else None
            )
            sentence = services.record_sentence(
                employee=person,
                kind=post.get("jenis", ""),
                decree_number=post.get("nomor", ""),
                decree_date=_parse_date(post.get("tanggal", ""), "decree_date", _("Tanggal SK")),
                starts=starts,
                months=_parse_int(post.get("bulan", ""), "months"),
                cut_pct=_parse_pct(post.get("potongan", ""), "cut_pct"),
                note=post.get("catatan", "")[:2000],
                by=request.user,
            )
            messages.success(
                request,
                _("Hukuman %(kind)s untuk %(name)s dicatat.")
                % {"kind": sentence.kind_label, "name": person.name},
            )
            return redirect("payroll:sentences")
        except DomainError as error:
            problem, status = error, error.status
    rows = (
        Sentence.objects.filter(employee__in=employees)
        .select_related("employee", "employee__unit")
        .order_by("-starts", "-pk")
    )
    context = {
        "rows": rows[:500],
        "may_record": may_record,
        "kinds": [(code, _(name)) for code, name in SENTENCE_KINDS],
        "cuts": SENTENCE_CUTS,
        "chosen": chosen,
        "chosen_kind": request.GET.get("jenis", ""),
        "error": problem,
        "values": request.POST if problem else {},
        "this_month": timezone.localdate().strftime("%Y-%m"),
    }
    return render(request, "payroll/sentences.html", context, status=status)
