"""Reads of tickets, always through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from govem.accounts.access import get_for_user_or_404
from govem.accounts.scoping import can_handle_tickets, employee_q, sees_everything
from govem.helpdesk.models import Ticket, TicketReply


def visible_tickets(user: Any) -> QuerySet[Ticket]:
    """Own tickets for everyone; the scope's tickets for operators, Tim IT and Inovator."""
    if not getattr(user, "is_authenticated", False):
        return Ticket.objects.none()
    tickets = Ticket.objects.all()
    if not (can_handle_tickets(user) and sees_everything(user)):
        # Q() | X is X in Django: "everything" must not be OR-ed, only skipped.
        query = Q(employee__user_id=user.pk)
        if can_handle_tickets(user):
            query |= employee_q(user, prefix="employee__")
        tickets = tickets.filter(query)
    return tickets.select_related("employee", "employee__unit", "assignee")


def own_tickets(user: Any) -> QuerySet[Ticket]:
    return (
        Ticket.objects.filter(employee__user_id=user.pk)
        .select_related("assignee")
        .prefetch_related("replies", "replies__author")
    )


def get_ticket_for_user_or_404(user: Any, pk: Any) -> Ticket:
    """A ticket the user may see (its reporter, the desk in scope), or 404."""
    return get_for_user_or_404(visible_tickets(user), pk, what="ticket")


def reply_json(reply: TicketReply) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "action": reply.action,
        "body": reply.body,
        "author": getattr(reply.author, "username", None),
        "created_at": timezone.localtime(reply.created_at).isoformat(),
    }


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "category": ticket.category,
        "category_label": str(ticket.get_category_display()),
        "description": ticket.description,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "has_screenshot": bool(ticket.screenshot),
        "created_at": timezone.localtime(ticket.created_at).isoformat(),
        "updated_at": timezone.localtime(ticket.updated_at).isoformat(),
        "resolved_at": timezone.localtime(ticket.resolved_at).isoformat()
        if ticket.resolved_at
        else None,
        "replies": [reply_json(reply) for reply in ticket.replies.all()],
    }


def open_ticket_counts(user: Any) -> dict[str, int]:
    tickets = visible_tickets(user)
    return {
        "open": tickets.filter(status=Ticket.Status.OPEN).count(),
        "in_progress": tickets.filter(status=Ticket.Status.IN_PROGRESS).count(),
    }


def latest_open_tickets(user: Any, limit: int = 8) -> list[Ticket]:
    if not can_handle_tickets(user):
        return []
    return list(
        visible_tickets(user)
        .exclude(status=Ticket.Status.RESOLVED)
        .order_by("-created_at", "-id")[:limit]
    )
