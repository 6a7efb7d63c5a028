"""API v1: the phone app reports a problem and reads the answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from govem.accounts.scoping import can_write
from govem.accounts.services import employee_of
from govem.errors import DomainError
from govem.helpdesk.models import Ticket
from govem.helpdesk.queries import own_tickets, ticket_json
from govem.helpdesk.services import MAX_DESCRIPTION, create_ticket
from govem.schemas import TEXT_PATTERN, ErrorOut

router = Router(tags=["kendala"])


class TicketIn(Schema):
    category: Ticket.Category
    description: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION, pattern=TEXT_PATTERN)


def _employee(request: HttpRequest) -> Any:
    employee = employee_of(request.user)
    if employee is None:
        raise DomainError(
            "not_an_employee", "Akun ini tidak terhubung dengan data pegawai aktif.", status=403
        )
    return employee


@router.post(
    "/tickets",
    response={201: dict[str, Any], 403: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Laporkan kendala (multipart: category, description, screenshot opsional)",
)
def post_ticket(
    request: HttpRequest,
    payload: Form[TicketIn],
    screenshot: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
    employee = _employee(request)
    if not can_write(request.user):
        raise DomainError("read_only", "Peran Anda hanya dapat melihat data.", status=403)
    ticket = create_ticket(
        employee=employee,
        category=payload.category,
        description=payload.description,
        screenshot=screenshot,
        by=request.user,
    )
    ticket = Ticket.objects.prefetch_related("replies").get(pk=ticket.pk)
    return Status(201, ticket_json(ticket))


@router.get(
    "/tickets",
    response={200: list[dict[str, Any]], 403: ErrorOut},
    summary="Kendala saya, dengan balasan dan statusnya",
)
def list_tickets(request: HttpRequest) -> Any:
    _employee(request)
    return Status(200, [ticket_json(ticket) for ticket in own_tickets(request.user)[:100]])
