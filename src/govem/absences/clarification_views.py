"""Pages: the operator's clarification desk and the employee's open clarifications."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govem.absences.clarifications import (
    OPERATOR_OUTCOMES,
    answer_case,
    contact_entries,
    log_contact,
    record_outcome,
)
from govem.absences.models import Clarification
from govem.absences.queries import (
    clarification_cases,
    get_case_for_user_or_404,
    get_case_rw_for_user_or_404,
    get_own_case_rw_for_user_or_404,
    locked_case_ids,
)
from govem.accounts.access import get_unit_for_user_or_404
from govem.accounts.scoping import can_review_punches, scope_units
from govem.accounts.services import employee_of
from govem.errors import DomainError
from govem.l10n import stored_sentence
from govem.monitor.texts import whatsapp_link
from govem.rules.clarification import AUTOMATIC_NOTES
from govem.uploads import ATTACHMENT


def _desk_cases(user: Any) -> QuerySet[Clarification]:
    if not can_review_punches(user):
        raise PermissionDenied("clarifications")
    return clarification_cases(user)


def _desk_page(
    request: HttpRequest,
    day: date,
    unit: Any = None,
    *,
    failed: Clarification | None = None,
    error: DomainError | None = None,
) -> HttpResponse:
    scoped = _desk_cases(request.user)
    if unit is not None:
        scoped = scoped.filter(employee__unit__path__startswith=unit.path)
    found = list(scoped.filter(date=day))
    # The menu counts open cases of every date: the page leads to the other dates that have them.
    elsewhere = list(
        scoped.filter(status=Clarification.Status.OPEN)
        .exclude(date=day)
        .values("date")
        .annotate(open=Count("id"))
        .order_by("-date")[:31]
    )
    rows = [
        (
            case,
            whatsapp_link(phone=case.employee.phone, name=case.employee.name, day=case.date),
            contact_entries(case),
            stored_sentence(case.notes, AUTOMATIC_NOTES),
        )
        for case in found
    ]
    context = {
        "rows": rows,
        "elsewhere": elsewhere,
        "day": day,
        "unit": unit,
        "units": scope_units(request.user),
        "outcomes": OPERATOR_OUTCOMES,
        "channels": Clarification.Channel.choices,
        "locked_ids": locked_case_ids(found),
        "failed_id": failed.pk if failed else None,
        "error": error,
        "form": request.POST if error else {},
    }
    status = error.status if error else 200
    return render(request, "absences/clarifications.html", context, status=status)


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """``/klarifikasi/?date=&unit=``: cases of a date in the operator's scope."""
    _desk_cases(request.user)
    try:
        day = date.fromisoformat(request.GET.get("date") or timezone.localdate().isoformat())
    except ValueError as exc:
        raise Http404("date") from exc
    unit = None
    if request.GET.get("unit"):
        unit = get_unit_for_user_or_404(request.user, request.GET["unit"])
    return _desk_page(request, day, unit)


def _desk_case_or_404(request: HttpRequest, case_id: int) -> Clarification:
    """A case the operator may work; never their own (like approving one's own request).
    A role without the desk is the 403 page here (the API answers the error shape)."""
    try:
        return get_case_rw_for_user_or_404(request.user, case_id)
    except DomainError as exc:
        raise PermissionDenied(exc.code) from exc


@login_required
@require_POST
def close(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record the outcome; a refusal (a verified day without notes, …) shows the desk again
    with the message at the case and the form as typed, to retry."""
    case = _desk_case_or_404(request, case_id)
    try:
        record_outcome(
            case=case,
            outcome=request.POST.get("outcome", ""),
            contact=request.POST.get("contact", ""),
            notes=request.POST.get("notes", ""),
            by=request.user,
        )
    except DomainError as exc:
        return _desk_page(request, case.date, failed=case, error=exc)
    messages.success(request, _("Klarifikasi dicatat."))
    return redirect(f"/klarifikasi/?date={case.date.isoformat()}")


@login_required
@require_POST
def contact(request: HttpRequest, case_id: int) -> HttpResponse:
    """Log a contact attempt (telephone, WhatsApp, other); the case stays open."""
    case = _desk_case_or_404(request, case_id)
    try:
        log_contact(
            case=case,
            by=request.user,
            channel=request.POST.get("channel", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        return _desk_page(request, case.date, failed=case, error=exc)
    messages.success(request, _("Kontak dicatat; klarifikasi masih terbuka."))
    return redirect(f"/klarifikasi/?date={case.date.isoformat()}")


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """``/klarifikasi/saya/``: the employee's open cases, answered with text and a file."""
    if employee_of(request.user) is None:
        raise PermissionDenied("not an employee")
    cases = Clarification.objects.filter(  # type: ignore[misc]
        employee__user=request.user, status=Clarification.Status.OPEN
    )
    error, status = None, 200
    if request.method == "POST":
        case = get_own_case_rw_for_user_or_404(request.user, request.POST.get("case"))
        try:
            answer_case(
                case=case,
                by=request.user,
                answer=request.POST.get("answer", ""),
                attachment=request.FILES.get("attachment"),
            )
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, _("Jawaban Anda sudah dikirim."))
            return redirect("absences:my_clarifications")
    return render(
        request, "absences/my_clarifications.html", {"cases": cases, "error": error}, status=status
    )


@login_required
@require_GET
def answer_attachment(request: HttpRequest, case_id: int) -> HttpResponseBase:
    """The employee's answer file: for the employee and the operators who see the case."""
    case = get_case_for_user_or_404(request.user, case_id)
    return ATTACHMENT.download(
        case.answer_attachment,
        content_type=case.answer_attachment_type,
        filename=f"klarifikasi-{case.pk}",
    )
