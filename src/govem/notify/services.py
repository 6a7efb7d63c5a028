"""Writes of the notify app that a request starts: browser push subscriptions."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from govem.errors import DomainError
from govem.notify.models import PushSubscription


def _b64(value: Any, field: str, size: int) -> str:
    text = str(value or "").strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise DomainError(
            "invalid_input",
            _("Kunci langganan %(key)s tidak valid.") % {"key": field},
            details={"fields": [{"field": f"keys.{field}", "problem": "invalid key"}]},
        )
    return text


def subscribe(*, user: Any, endpoint: str, keys: dict[str, Any], user_agent: str = "") -> Any:
    """Store (or move to this user) a browser's push subscription."""
    try:
        parts = urlsplit(endpoint or "")
    except ValueError:  # "http://[", a full-width '#' in the host: no URL at all
        parts = urlsplit("")
    if parts.scheme not in {"https", "http"} or not parts.netloc or len(endpoint) > 1000:
        raise DomainError(
            "invalid_input",
            _("Endpoint langganan tidak valid."),
            details={"fields": [{"field": "endpoint", "problem": "must be an http(s) URL"}]},
        )
    p256dh = _b64(keys.get("p256dh"), "p256dh", 65)
    auth = _b64(keys.get("auth"), "auth", 16)
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "user": user,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent": user_agent[:300],
                "disabled_at": None,
            },
        )
    return subscription


def unsubscribe(*, user: Any, endpoint: str) -> int:
    deleted, _by_kind = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted
