"""Session endpoints for the web page's push subscription (``static/govem/push.js``)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govem.errors import DomainError
from govem.notify import services, vapid


@login_required
@require_http_methods(["GET", "POST", "DELETE"])
def push_subscription(request: HttpRequest) -> JsonResponse:
    """GET: the VAPID public key; POST: subscribe; DELETE: unsubscribe (JSON bodies)."""
    if request.method == "GET":
        keys = vapid.load()
        return JsonResponse({"public_key": keys.public_key if keys else None})
    try:
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except ValueError:
        return JsonResponse(
            DomainError("invalid_input", _("Badan permintaan bukan JSON yang valid.")).as_body(),
            status=422,
        )
    try:
        if request.method == "DELETE":
            services.unsubscribe(user=request.user, endpoint=str(body.get("endpoint", "")))
            return JsonResponse({}, status=200)
        keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}  # type: ignore[assignment]
        subscription = services.subscribe(
            user=request.user,
            endpoint=str(body.get("endpoint", "")),
            keys=keys,  # type: ignore[arg-type]
            user_agent=request.headers.get("User-Agent", ""),
        )
    except DomainError as exc:
        return JsonResponse(exc.as_body(), status=exc.status)
    return JsonResponse({"id": subscription.pk, "endpoint": subscription.endpoint}, status=201)
