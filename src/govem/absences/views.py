"""Pages: the employee's "Pengajuan" and the approvers' "Persetujuan pengajuan"."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govem.absences import services
from govem.absences.balance import annual_leave_balance, balance_lines
from govem.absences.models import AbsenceRequest, AbsenceType
from govem.absences.queries import (
    decidable_requests,
    get_request_for_user_or_404,
    get_request_rw_for_user_or_404,
    locked_request_ids,
    own_requests,
)
from govem.accounts.access import require_write
from govem.accounts.scoping import can_approve
from govem.accounts.services import employee_of
from govem.errors import DomainError
from govem.uploads import ATTACHMENT


def _field(post: Any, name: str, parse: Any) -> Any:
    raw = (post.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse(raw)
    except ValueError as exc:
        raise DomainError(
            "invalid_input",
            _("Isian %(field)s tidak valid.") % {"field": name},
            details={"field": name},
        ) from exc


def _required(value: Any, name: str) -> Any:
    if value is None:
        raise DomainError(
            "invalid_input",
            _("Isian %(field)s wajib diisi.") % {"field": name},
            details={"field": name},
        )
    return value


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """``/pengajuan/``: the employee's own requests and the form for a new one."""
    employee = employee_of(request.user)
    if employee is None:
        raise PermissionDenied("not an employee")
    status, error = 200, None
    if request.method == "POST":
        require_write(request.user)
        post = request.POST
        try:
            services.create_request(
                employee=employee,
                type_code=post.get("type", ""),
                start_date=_required(_field(post, "start_date", date.fromisoformat), "start_date"),
                end_date=_required(_field(post, "end_date", date.fromisoformat), "end_date"),
                part_of_day=post.get("part_of_day", ""),
                at=_field(post, "time", time.fromisoformat),
                reason=post.get("reason", ""),
                attachment=request.FILES.get("attachment"),
                latitude=_field(post, "latitude", float),
                longitude=_field(post, "longitude", float),
                radius_m=_field(post, "radius_m", int),
                by=request.user,
            )
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, _("Pengajuan Anda sudah dikirim."))
            return redirect("absences:mine")
    office = employee.allowed_locations().order_by("id").first()
    balance = annual_leave_balance(employee, timezone.localdate().year)
    context = {
        "picker": {
            "center": [office.latitude, office.longitude] if office else [-2.9167, 115.1667],
            "tiles": settings.GOVEM["MAP_TILE_URL"],
            "attribution": settings.GOVEM["MAP_ATTRIBUTION"],
            "leaflet_js": static("leaflet/leaflet.js"),
            "leaflet_css": static("leaflet/leaflet.css"),
            "denied": _("Lokasi tidak dapat dibaca. Pilih titiknya di peta."),
        },
        "requests": own_requests(request.user)[:100],
        "balance": balance,
        "balance_lines": balance_lines(balance),
        "types": AbsenceType.objects.filter(active=True),
        "parts": AbsenceRequest.PartOfDay.choices,
        "error": error,
        "form": request.POST if error else {},
    }
    return render(request, "absences/mine.html", context, status=status)


def _approvals_page(
    request: HttpRequest,
    *,
    failed: AbsenceRequest | None = None,
    error: DomainError | None = None,
    note: str = "",
) -> HttpResponse:
    pending = decidable_requests(request.user).filter(status=AbsenceRequest.Status.PENDING)
    items = list(pending.order_by("start_date")[:200])
    context = {
        "requests": items,
        "locked_ids": locked_request_ids(items),
        "failed_id": failed.pk if failed else None,
        "error": error,
        "note": note,
    }
    return render(
        request, "absences/approvals.html", context, status=error.status if error else 200
    )


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """``/pengajuan/persetujuan/``: pending requests the user may decide."""
    if not can_approve(request.user):
        raise PermissionDenied("not an approver")
    return _approvals_page(request)


@login_required
@require_POST
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    """Approve or reject; a refusal (a verified day without a note, …) shows the page again
    with the message next to the request, the note kept, to retry."""
    item = get_request_rw_for_user_or_404(request.user, request_id)
    approve = request.POST.get("decision") == "approve"
    note = request.POST.get("note", "").strip()
    try:
        if not approve and not note:
            raise DomainError(
                "invalid_input", _("Alasan penolakan wajib diisi."), details={"field": "note"}
            )
        services.decide_request(request=item, approve=approve, by=request.user, note=note)
    except DomainError as exc:
        return _approvals_page(request, failed=item, error=exc, note=note)
    messages.success(request, _("Pengajuan disetujui.") if approve else _("Pengajuan ditolak."))
    return redirect("absences:approvals")


@login_required
@require_GET
def attachment(request: HttpRequest, request_id: int) -> HttpResponseBase:
    """The attachment, only for the owner, approvers in scope, Tim IT and Inovator."""
    item = get_request_for_user_or_404(request.user, request_id)
    return ATTACHMENT.download(
        item.attachment, content_type=item.attachment_type, filename=f"pengajuan-{item.pk}"
    )
