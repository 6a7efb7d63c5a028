"""One error type for domain refusals, mapped to one JSON shape everywhere."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from govem.rules.texts import render


def say(message: str) -> str:
    """``message`` in the active language: a :class:`govem.rules.texts.Text` (the pure rules'
    Indonesian sentence with its template) through the catalogue; other text as it is (the
    Django side translates where it writes the sentence)."""
    return render(message, gettext)


class DomainError(Exception):
    """A refusal the user can understand: a stable ``code`` to branch on, and a ``message``
    in the active language (Indonesian unless the request asked for English)."""

    def __init__(
        self, code: str, message: str, *, status: int = 422, details: dict[str, Any] | None = None
    ) -> None:
        message = say(message)
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details or {}

    def as_body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}
