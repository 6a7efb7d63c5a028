"""API v1: one NinjaAPI, routers per app, one error shape for every refusal."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from govem.accounts.services import token_for
from govem.errors import DomainError, error_body

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_for(token)
        if api_token is None:
            return None
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token


api = NinjaAPI(
    title="Govem API",
    version="1",
    description=(
        "API presensi Govem untuk aplikasi ponsel dan skrip. Waktu dalam ISO 8601 dengan "
        'offset; setiap penolakan berbentuk `{"error": {"code", "message", "details"}}`. '
        "Lihat docs/api.md untuk contoh."
    ),
    urls_namespace="api-v1",
    auth=BearerToken(),
)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, details), status=status)


def _field_name(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location if part not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_body(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = []
    for error in exc.errors:
        fields.append(
            {"field": _field_name(tuple(error.get("loc", ()))), "problem": error.get("msg", "")}
        )
    names = ", ".join(item["field"] for item in fields) or "body"
    return _error(request, 422, "invalid_input", f"Data tidak valid: {names}.", {"fields": fields})


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "payload_too_large", "Permintaan terlalu besar.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "unauthorized",
        "Token tidak valid, kedaluwarsa, atau tidak ada. Silakan masuk kembali.",
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "Data tidak ditemukan.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _error(
            request,
            422,
            "invalid_input",
            "Badan permintaan bukan JSON yang valid.",
            {"fields": [{"field": "body", "problem": "malformed JSON"}]},
        )
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error")
    return _error(
        request, 500, "server_error", "Terjadi kesalahan pada server. Tim IT telah dicatat."
    )


def _register() -> None:
    from govem.accounts.activation_api import router as activation_router
    from govem.accounts.api import router as auth_router
    from govem.attendance.api import router as attendance_router

    api.add_router("/", auth_router)
    api.add_router("/", activation_router)
    api.add_router("/", attendance_router)

    from govem.helpdesk.api import router as helpdesk_router

    api.add_router("/", helpdesk_router)

    from govem.notify.api import router as notify_router

    api.add_router("/", notify_router)

    from govem.attendance.days_api import router as days_router

    api.add_router("/", days_router)

    from govem.absences.api import router as absences_router

    api.add_router("/", absences_router)

    from govem.reports.api import router as reports_router

    api.add_router("/", reports_router)

    from govem.payroll.api import router as payroll_router

    api.add_router("/", payroll_router)

    from govem.events.api import router as events_router

    api.add_router("/", events_router)


_register()
