"""Web Push (VAPID) to every live browser subscription of the employee's account."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from govem.notify import vapid
from govem.notify.channels import ChannelError
from govem.notify.models import Message, PushSubscription
from govem.notify.wording import absolute_url

TTL_SECONDS = 4 * 3600


def payload(message: Message) -> dict[str, Any]:
    """What the service worker receives (``push-handler.js`` shows it as a notification)."""
    return {
        "title": message.subject,
        "body": message.body,
        "url": absolute_url(message.url or "/"),
        "tag": message.template_key or f"govem-{message.pk}",
    }


def send(message: Message) -> None:
    keys = vapid.load()
    if keys is None:
        raise ChannelError("kunci VAPID belum dibuat (govem vapid)", permanent=True)
    user_id = message.employee.user_id if message.employee else None
    if user_id is None and message.address.startswith("user:"):
        user_id = int(message.address.removeprefix("user:"))
    subscriptions = list(PushSubscription.objects.filter(user_id=user_id, disabled_at__isnull=True))  # type: ignore[misc]
    if not subscriptions:
        raise ChannelError("tidak ada langganan Web Push yang aktif", permanent=True)
    data = json.dumps(payload(message), ensure_ascii=False)
    delivered, problems = 0, []
    for subscription in subscriptions:
        try:
            webpush(
                subscription_info=subscription.as_info(),
                data=data,
                vapid_private_key=keys.signer(),
                vapid_claims={"sub": vapid.subject()},  # a new dict: pywebpush adds aud/exp
                ttl=TTL_SECONDS,
                timeout=settings.GOVEM_NOTIFY["HTTP_TIMEOUT_S"],
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in {404, 410}:  # the browser unsubscribed: never try it again
                PushSubscription.objects.filter(pk=subscription.pk).update(
                    disabled_at=timezone.now()
                )
            problems.append(f"{status or '-'} {str(exc)[:150]}")
        except OSError as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
        else:
            delivered += 1
            PushSubscription.objects.filter(pk=subscription.pk).update(
                last_success_at=timezone.now()
            )
    if not delivered:
        gone = all(p.startswith(("404", "410")) for p in problems)
        raise ChannelError("Web Push: " + "; ".join(problems), permanent=gone)
