from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from govem.accounts import audit


class AuditActorMiddleware:
    """Makes the request's user the actor of audit entries written while it runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with audit.acting_as(actor, ip=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
