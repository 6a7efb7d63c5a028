"""What the employee is told about a punch: the receipt document (API and web page alike).

:func:`document` is the body stored with the punch (``Punch.response_body``) so that a retry
with the same idempotency key is answered exactly as the first attempt was; it is built
before the INSERT, so it carries no id — :func:`with_id` adds the stored punch's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from govem.rules.bands import Rounding, rounded_minutes
from govem.rules.schedule import DaySchedule


def receipt_code(punch: Any) -> str:
    """A short code the employee can quote; derived with the server's secret, so unforgeable.

    Computed from what is known before the INSERT (no id), so no UPDATE follows it.
    """
    return receipt_for(
        punch.employee_id, punch.kind, punch.server_time, punch.idempotency_key or ""
    )


def receipt_for(employee_id: int, kind: str, server_time: datetime, key: str) -> str:
    message = f"{employee_id}|{kind}|{server_time.isoformat()}|{key}"
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    text = base64.b32encode(digest).decode()[:10]
    return f"GVM-{text[:5]}-{text[5:]}"


def document(
    *,
    kind: str,
    verdict: str,
    flags: list[str],
    server_time: datetime,
    local_date: str,
    time_zone: str,
    location: tuple[int, str] | None,
    distance_m: float | None,
    accuracy_m: float | None,
    receipt: str,
    schedule: DaySchedule | None,
    late_rounding: Rounding = Rounding.FLOOR,
    early_rounding: Rounding = Rounding.STARTED,
) -> dict[str, Any]:
    """The 201 body of an accepted or flagged punch, without its id.

    Late and early minutes are rounded as the employee's rule row says, so the receipt
    tells the same minutes as the day record and the recap."""
    local = server_time.astimezone(ZoneInfo(time_zone))
    body: dict[str, Any] = {
        "kind": kind,
        "verdict": verdict,
        "flags": flags,
        "server_time": local.isoformat(),
        "local_time": local.strftime("%H:%M:%S"),
        "local_date": local_date,
        "time_zone": time_zone,
        "location": {"id": location[0], "name": location[1]} if location else None,
        "distance_m": round(distance_m, 1) if distance_m is not None else None,
        "accuracy_m": accuracy_m,
        "receipt": receipt,
    }
    if kind == "in":
        body["late_minutes"] = (
            rounded_minutes((server_time - schedule.start).total_seconds(), late_rounding)
            if schedule
            else None
        )
    else:
        body["early_minutes"] = (
            rounded_minutes((schedule.end - server_time).total_seconds(), early_rounding)
            if schedule
            else None
        )
    return body


def with_id(status: int, body: dict[str, Any], punch_id: int) -> dict[str, Any]:
    """The stored body with the punch's id: ``id`` of a receipt, ``attempt_id`` of a refusal."""
    if status == 201:
        return {"id": punch_id, **{k: v for k, v in body.items() if k != "id"}}
    error = dict(body.get("error") or {})
    details = dict(error.get("details") or {})
    details.setdefault("attempt_id", punch_id)
    return {**body, "error": {**error, "details": details}}
