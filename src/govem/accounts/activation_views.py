"""Pages for first passwords and resets.

- ``/aktivasi/``: NIP + one-time code (sheet, message, or an operator's temporary password)
  + new password; signs in.
- ``/lupa-sandi/``: ask for a reset code by email or WhatsApp.
- ``/akun/sandi-baru/``: after signing in with an operator's temporary password.
- ``/akun-pegawai/``: the unit operator (or Tim IT) prints activation sheets and resets an
  employee's password; employees outside their unit subtree answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govem.accounts import onetime
from govem.accounts.activation_sheet import sheet_pdf, sheet_xlsx
from govem.accounts.ip import client_ip
from govem.accounts.models import OneTimeCode
from govem.accounts.scoping import can_operate, is_it, operator_units
from govem.accounts.views import (
    CHANGE_SESSION_KEY,
    device_id_of,
    remember_device,
    sign_in,
)
from govem.errors import DomainError
from govem.people.models import Employee, Unit

MAX_SHEET = 500


def _passwords(request: HttpRequest) -> str:
    new = request.POST.get("new_password", "")[:256]
    if new != request.POST.get("new_password2", "")[:256]:
        raise DomainError(
            "invalid_input",
            gettext("Kedua kata sandi baru tidak sama."),
            details={"field": "new_password2"},
        )
    return new


@never_cache
@require_http_methods(["GET", "POST"])
def activate_view(request: HttpRequest) -> HttpResponse:
    login_value = (request.POST.get("nip") or request.GET.get("nip") or "").strip()[:32]
    context: dict[str, Any] = {"nip": login_value, "error": None}
    if request.method == "GET":
        return render(request, "accounts/activate.html", context)
    device_id, set_cookie = device_id_of(request)
    try:
        code = request.POST.get("code", "")[:64]
        if not login_value or not code.strip():
            raise DomainError(
                "invalid_input", gettext("Isi NIP dan kode."), details={"field": "code"}
            )
        user = onetime.redeem(
            login=login_value, code=code, new_password=_passwords(request), ip=client_ip(request)
        )
        response = sign_in(request, user, device_id, "/")
    except DomainError as error:
        context["error"] = error
        response = render(request, "accounts/activate.html", context, status=error.status)
    return remember_device(request, response, device_id if set_cookie else "")


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_view(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "nip": request.POST.get("nip", "").strip()[:32],
        "error": None,
        "minutes": int(onetime.reset_minutes()),
    }
    if request.method == "POST":
        try:
            onetime.request_reset(login=context["nip"], ip=client_ip(request))
        except DomainError as error:
            context["error"] = error
            return render(request, "accounts/forgot.html", context, status=error.status)
        context["sent"] = True
    return render(request, "accounts/forgot.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def new_password_view(request: HttpRequest) -> HttpResponse:
    user = (
        get_user_model()  # type: ignore[misc]
        .objects.filter(pk=request.session.get(CHANGE_SESSION_KEY), is_active=True)
        .first()
    )
    if user is None or not onetime.must_change_password(user):
        return HttpResponseRedirect(reverse("accounts:login"))
    context: dict[str, Any] = {"username": user.get_username(), "error": None}
    if request.method == "GET":
        return render(request, "accounts/new_password.html", context)
    device_id, _set = device_id_of(request)
    try:
        onetime.change_required_password(
            user=user, new_password=_passwords(request), ip=client_ip(request)
        )
    except DomainError as error:
        context["error"] = error
        return render(request, "accounts/new_password.html", context, status=error.status)
    request.session.pop(CHANGE_SESSION_KEY, None)
    try:
        return sign_in(request, user, device_id, "/")
    except DomainError as error:  # the new password is set; the device is another matter
        login_context = {"next": "/", "login": user.get_username(), "error": error}
        return render(request, "accounts/login.html", login_context, status=error.status)


# --- the operator's page ----------------------------------------------------------------------


def _require_manager(user: Any) -> None:
    if not can_operate(user):
        raise PermissionDenied("operator or Tim IT only")


def manageable_employees(user: Any) -> QuerySet[Employee]:
    """Active employees whose accounts this user may manage: Tim IT all, an operator their
    unit subtrees (never the units of their subordinates elsewhere)."""
    people = Employee.objects.filter(active=True).select_related("unit", "user")
    if is_it(user):
        return people
    query = Q(pk__in=[])
    for unit in operator_units(user):
        query |= Q(unit__path__startswith=unit.path)
    return people.filter(query)


def manageable_units(user: Any) -> QuerySet[Unit]:
    if is_it(user):
        return Unit.objects.filter(active=True)
    query = Q(pk__in=[])
    for unit in operator_units(user):
        query |= Q(path__startswith=unit.path)
    return Unit.objects.filter(query, active=True)


def _status(employee: Employee, pending: set[int]) -> str:
    user = employee.user
    if user is None or not user.has_usable_password():
        return "waiting" if employee.user_id in pending else "new"
    if hasattr(user, "password_change"):
        return "temporary"
    return "active"


@login_required
@require_http_methods(["GET", "POST"])
def accounts_page(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    units = list(manageable_units(request.user).order_by("path"))
    if not units:
        raise Http404("no unit")
    chosen = request.POST.get("unit") or request.GET.get("unit") or units[0].pk
    unit = next((u for u in units if str(u.pk) == str(chosen)), None)
    if unit is None:
        raise Http404("unit")
    people = list(
        manageable_employees(request.user)
        .filter(unit__path__startswith=unit.path)
        .select_related("user__password_change")
        .order_by("unit__path", "name")
    )
    error = None
    temporary = None
    confirm = None
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "sheet":
                return _sheet(request, unit, people)
            if action == "confirm-reset":
                confirm = _target(request, people)
            elif action == "reset":
                temporary = _reset(request, people)
            else:
                raise DomainError("invalid_input", gettext("Aksi tidak dikenal."))
        except DomainError as exc:
            error = exc
    pending = set(
        OneTimeCode.objects.filter(
            user_id__in=[p.user_id for p in people if p.user_id],
            purpose=OneTimeCode.Purpose.ACTIVATION,
            used_at__isnull=True,
            revoked_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    rows = [(person, _status(person, pending)) for person in people]
    context = {
        "units": units,
        "unit": unit,
        "rows": rows,
        "counts": {key: sum(1 for _, s in rows if s == key) for key in STATUS_LABELS},
        "labels": STATUS_LABELS,
        "error": error,
        "temporary": temporary,
        "confirm": confirm,
    }
    response = render(
        request, "accounts/employee_accounts.html", context, status=error.status if error else 200
    )
    response["Cache-Control"] = "no-store"  # a temporary password is on this page once
    return response


STATUS_LABELS = {
    "new": _("Belum aktivasi"),
    "waiting": _("Kode dicetak, belum dipakai"),
    "temporary": _("Kata sandi sementara"),
    "active": _("Aktif"),
}


def _sheet(request: HttpRequest, unit: Unit, people: list[Employee]) -> HttpResponse:
    wanted = set(request.POST.getlist("employee"))
    chosen = [person for person in people if str(person.pk) in wanted]
    if not chosen:
        raise DomainError(
            "invalid_input", gettext("Pilih minimal satu pegawai untuk lembar aktivasi.")
        )
    if len(chosen) > MAX_SHEET:
        raise DomainError(
            "invalid_input",
            gettext("Paling banyak %(count)s pegawai per lembar.") % {"count": MAX_SHEET},
        )
    fmt = request.POST.get("format", "pdf")
    if fmt not in {"pdf", "xlsx"}:
        raise DomainError("invalid_input", gettext("Format harus PDF atau XLSX."))
    issued = onetime.issue_activation_codes(by=request.user, unit=unit, employees=chosen)
    printed_by = request.user.get_username()
    if fmt == "pdf":
        body, kind = sheet_pdf(unit, issued, printed_by=printed_by), "application/pdf"
    else:
        body = sheet_xlsx(unit, issued, printed_by=printed_by)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="aktivasi-{unit.code}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _target(request: HttpRequest, people: list[Employee]) -> Employee:
    target = next((p for p in people if str(p.pk) == request.POST.get("employee")), None)
    if target is None:
        raise Http404("employee")
    return target


def _reset(request: HttpRequest, people: list[Employee]) -> dict[str, Any]:
    target = _target(request, people)
    password = onetime.operator_reset(by=request.user, employee=target, ip=client_ip(request))
    return {"employee": target, "password": password}
