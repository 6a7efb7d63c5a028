from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For is believed only behind configured proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded: list[str] = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote
