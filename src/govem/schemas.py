from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorDetail(Schema):
    code: str
    message: str
    details: dict[str, Any]


class ErrorOut(Schema):
    """Every refusal: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorDetail
