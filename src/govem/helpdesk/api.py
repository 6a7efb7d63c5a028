"""API v1: the phone app reports a problem and reads the answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from govem.accounts.access import api_access
from govem.helpdesk.models import Ticket
from govem.helpdesk.queries import own_tickets, ticket_json
from govem.helpdesk.services import MAX_DESCRIPTION, create_ticket
from govem.people.models import Employee
from govem.schemas import TEXT_PATTERN, ErrorOut

router = Router(tags=["kendala"])


class TicketIn(Schema):
    category: Ticket.Category
    description: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION, pattern=TEXT_PATTERN)


@router.post(
    "/tickets",
    response={201: dict[str, Any], 403: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Laporkan kendala (multipart: category, description, screenshot opsional)",
)
@api_access(write=True)
def post_ticket(
    request: HttpRequest,
    employee: Employee,
    payload: Form[TicketIn],
    screenshot: UploadedFile | None = File(None),  # noqa: B008
) -> Any:
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
@api_access()
def list_tickets(request: HttpRequest) -> Any:
    return Status(200, [ticket_json(ticket) for ticket in own_tickets(request.user)[:100]])
