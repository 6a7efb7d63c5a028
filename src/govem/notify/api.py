"""API v1: the phone app registers its Web Push subscription."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status

from govem.notify import services, vapid

router = Router(tags=["notifikasi"])


class PushKeys(Schema):
    p256dh: str
    auth: str


class PushSubscriptionIn(Schema):
    endpoint: str
    keys: PushKeys


class PushSubscriptionOut(Schema):
    id: int
    endpoint: str


class PublicKeyOut(Schema):
    public_key: str | None


@router.post("push/subscriptions", response={201: PushSubscriptionOut})
def subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Status:
    subscription = services.subscribe(
        user=request.user,
        endpoint=payload.endpoint,
        keys=payload.keys.dict(),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, {"id": subscription.pk, "endpoint": subscription.endpoint})


@router.delete("push/subscriptions", response={204: None})
def unsubscribe(request: HttpRequest, endpoint: str) -> Status:
    services.unsubscribe(user=request.user, endpoint=endpoint)
    return Status(204, None)


@router.get("push/public-key", response=PublicKeyOut, auth=None)
def public_key(request: HttpRequest) -> dict[str, object]:
    keys = vapid.load()
    return {"public_key": keys.public_key if keys else None}
