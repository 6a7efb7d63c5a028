from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from govem.accounts import audit
from govem.accounts.ip import client_ip


def _user_of(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class AuditActorMiddleware:
    """Makes the request's user the actor of audit entries written while it runs.

    Resolved when an entry is written, not when the request arrives: an API request is
    authenticated by its token later (the token's user becomes the actor), and a request
    that writes no entry never loads a session for it (the check-in reads none).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = SimpleLazyObject(lambda: _user_of(request))
        with audit.acting_as(actor, ip=client_ip(request)):
            return self.get_response(request)
