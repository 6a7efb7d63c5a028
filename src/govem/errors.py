"""One error type for domain refusals, mapped to one JSON shape everywhere."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can understand: stable ``code``, Indonesian ``message``."""

    def __init__(
        self, code: str, message: str, *, status: int = 422, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}

    def as_body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}
