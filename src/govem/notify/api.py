"""API v1: the phone app registers its Web Push subscription."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from govem.notify import services, vapid
from govem.schemas import ErrorOut

router = Router(tags=["notifikasi"])


# Base64url keys of a Web Push subscription: P-256 point (65 bytes) and auth secret (16).
class PushKeys(Schema):
    p256dh: str = Field(..., pattern=r"^[A-Za-z0-9_-]{87}=?$")
    auth: str = Field(..., pattern=r"^[A-Za-z0-9_-]{22}(==)?$")


class PushSubscriptionIn(Schema):
    endpoint: str = Field(
        ..., max_length=1000, pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"
    )
    keys: PushKeys


class PushSubscriptionOut(Schema):
    id: int
    endpoint: str


class PublicKeyOut(Schema):
    public_key: str | None


@router.post("push/subscriptions", response={201: PushSubscriptionOut, 422: ErrorOut})
def subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Status:
    subscription = services.subscribe(
        user=request.user,
        endpoint=payload.endpoint,
        keys=payload.keys.dict(),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, {"id": subscription.pk, "endpoint": subscription.endpoint})


@router.delete("push/subscriptions", response={204: None, 422: ErrorOut})
def unsubscribe(request: HttpRequest, endpoint: str = Query(..., max_length=1000)) -> Status:
    services.unsubscribe(user=request.user, endpoint=endpoint)
    return Status(204, None)


@router.get("push/public-key", response=PublicKeyOut, auth=None)
def public_key(request: HttpRequest) -> dict[str, object]:
    keys = vapid.load()
    return {"public_key": keys.public_key if keys else None}
