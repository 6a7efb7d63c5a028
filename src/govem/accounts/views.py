from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from govem.accounts.services import lockout_error


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes hook: our views already answer a lockout themselves, keep their answer."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    error = lockout_error()
    return JsonResponse(error.as_body(), status=error.status)
