"""Pages of the helpdesk: the employee's "Lapor kendala" and the IT team's ticket desk."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govem.accounts.access import require_write
from govem.accounts.roles import TIM_IT
from govem.accounts.scoping import can_handle_tickets, can_reply_tickets, is_it
from govem.accounts.services import employee_of
from govem.attendance.queries import employee_zone
from govem.errors import DomainError
from govem.helpdesk import services
from govem.helpdesk.models import Ticket
from govem.helpdesk.queries import get_ticket_for_user_or_404, own_tickets, visible_tickets
from govem.people.services import active_device
from govem.uploads import SCREENSHOT


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """``/kendala/``: the employee's own tickets with replies, and the form for a new one."""
    employee = employee_of(request.user)
    if employee is None:
        raise PermissionDenied("not an employee")
    status = 200
    error = None
    if request.method == "POST":
        require_write(request.user)
        try:
            services.create_ticket(
                employee=employee,
                category=request.POST.get("category", ""),
                description=request.POST.get("description", ""),
                screenshot=request.FILES.get("screenshot"),
                by=request.user,
            )
        except DomainError as exc:
            error, status = exc, exc.status
        else:
            messages.success(request, _("Kendala Anda sudah terkirim ke Tim IT."))
            return redirect("helpdesk:report")
    context = {
        "tickets": own_tickets(request.user)[:50],
        "categories": Ticket.Category.choices,
        "error": error,
        "form": request.POST if error else {},
    }
    return render(request, "helpdesk/report.html", context, status=status)


@login_required
@require_GET
def screenshot(request: HttpRequest, ticket_id: int) -> HttpResponseBase:
    """The screenshot, only for those who may see the ticket (never from the web root)."""
    ticket = get_ticket_for_user_or_404(request.user, ticket_id)
    return SCREENSHOT.download(
        ticket.screenshot, content_type=ticket.screenshot_type, filename=f"kendala-{ticket.pk}"
    )


def _desk(request: HttpRequest) -> None:
    if not can_handle_tickets(request.user):
        raise PermissionDenied("tickets")


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _desk(request)
    status = request.GET.get("status", "active")
    tickets = visible_tickets(request.user)
    if status == "active":
        tickets = tickets.exclude(status=Ticket.Status.RESOLVED)
    elif status in Ticket.Status.values:
        tickets = tickets.filter(status=status)
    context = {
        "tickets": tickets.order_by("status", "-created_at")[:200],
        "status": status,
        "statuses": Ticket.Status.choices,
        "day": timezone.localdate(),
    }
    return render(request, "helpdesk/queue.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    _desk(request)
    ticket = get_ticket_for_user_or_404(request.user, ticket_id)
    zone = ZoneInfo(employee_zone(ticket.employee))
    context = {
        "ticket": ticket,
        "replies": ticket.replies.select_related("author"),
        "device": active_device(ticket.employee),
        "can_reply": can_reply_tickets(request.user),
        "can_act": is_it(request.user),  # Tim IT is never read-only
        "it_users": get_user_model().objects.filter(groups__name=TIM_IT).order_by("username"),
        "statuses": Ticket.Status.choices,
        "ticket_day": ticket.created_at.astimezone(zone).date(),
        "day": timezone.localdate(),
    }
    return render(request, "helpdesk/detail.html", context)


def _local_datetime(ticket: Ticket, raw_date: str, raw_time: str) -> datetime:
    zone = ZoneInfo(employee_zone(ticket.employee))
    try:
        moment = datetime.fromisoformat(f"{raw_date}T{raw_time}")
    except ValueError as exc:
        raise DomainError(
            "invalid_input", _("Tanggal atau jam tidak valid."), details={"field": "time"}
        ) from exc
    return moment.replace(tzinfo=zone)


def _run_action(request: HttpRequest, ticket: Ticket, action: str) -> str:
    post = request.POST
    user = request.user
    if action == "balas":
        services.add_reply(ticket=ticket, by=user, body=post.get("body", ""))
        return _("Balasan terkirim.")
    if action == "tugaskan":
        assignee = None
        if post.get("assignee"):
            assignee = (
                get_user_model().objects.filter(groups__name=TIM_IT, pk=post["assignee"]).first()
            )
            if assignee is None:
                raise DomainError(
                    "invalid_input", _("Petugas tidak dikenal."), details={"field": "assignee"}
                )
        services.assign(ticket=ticket, by=user, assignee=assignee)
        return _("Kendala ditugaskan.")
    if action == "status":
        services.set_status(
            ticket=ticket, by=user, status=post.get("status", ""), note=post.get("note", "")
        )
        return _("Status diperbarui.")
    if action == "lepas-perangkat":
        services.release_ticket_device(ticket=ticket, by=user, reason=post.get("reason", ""))
        return _("Ikatan perangkat dilepas.")
    if action == "presensi-manual":
        at = _local_datetime(ticket, post.get("date", ""), post.get("time", ""))
        services.enter_manual_punch(
            employee=ticket.employee,
            by=user,
            kind=post.get("kind", ""),
            at=at,
            reason=post.get("reason", ""),
            ticket=ticket,
        )
        return _("Presensi manual dicatat.")
    if action == "alasan-teknis":
        try:
            day = datetime.fromisoformat(post.get("date", "")).date()
        except ValueError as exc:
            raise DomainError(
                "invalid_input", _("Tanggal tidak valid."), details={"field": "date"}
            ) from exc
        services.grant_technical_exemption(
            ticket=ticket, by=user, day=day, reason=post.get("reason", "")
        )
        return _("Alasan teknis diberikan.")
    raise Http404("action")


REPLY_ACTIONS = {"balas"}
IT_ACTIONS = {"tugaskan", "status", "lepas-perangkat", "presensi-manual", "alasan-teknis"}


@login_required
@require_POST
def act(request: HttpRequest, ticket_id: int, action: str) -> HttpResponse:
    if action not in REPLY_ACTIONS | IT_ACTIONS:
        raise Http404("action")
    allowed = can_reply_tickets(request.user) if action in REPLY_ACTIONS else None
    if action in IT_ACTIONS:
        allowed = is_it(request.user)
    if not allowed:
        raise PermissionDenied(action)
    ticket = get_ticket_for_user_or_404(request.user, ticket_id)
    try:
        message = _run_action(request, ticket, action)
    except DomainError as error:
        messages.error(request, error.message, extra_tags=error.code)
        return redirect("helpdesk:detail", ticket_id=ticket.pk)
    messages.success(request, message)
    return redirect("helpdesk:detail", ticket_id=ticket.pk)
