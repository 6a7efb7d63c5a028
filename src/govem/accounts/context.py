from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from govem.accounts.roles import role_names


def govem_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "govem_regency": settings.GOVEM["REGENCY_NAME"],
        "govem_roles": role_names(getattr(request, "user", None)),
    }
