"""API v1: one NinjaAPI, routers per app, one error shape for every refusal."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from govem.absences.api import router as absences_router
from govem.accounts.activation_api import router as activation_router
from govem.accounts.api import router as auth_router
from govem.accounts.services import token_for
from govem.attendance.api import router as attendance_router
from govem.attendance.days_api import router as days_router
from govem.errors import DomainError, error_body
from govem.events.api import router as events_router
from govem.helpdesk.api import router as helpdesk_router
from govem.inputs import MALFORMED_MULTIPART
from govem.notify.api import router as notify_router
from govem.payroll.api import router as payroll_router
from govem.reports.api import router as reports_router
from govem.schemas import NO_NUL_PATTERN, ErrorOut

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # ninja's HttpBearer.__call__, reading the header from META: request.headers builds
        # a dictionary of every header first (1 % of a check-in's CPU) and nothing else in
        # an API call reads it.
        auth_value = request.META.get("HTTP_AUTHORIZATION")
        if not auth_value:
            return None
        parts = auth_value.split(" ")
        if parts[0].lower() != self.openapi_scheme:
            if settings.DEBUG:
                logging.getLogger("django").error(f"Unexpected auth - '{auth_value}'")
            return None
        return self.authenticate(request, " ".join(parts[1:]))

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = token_for(token)
        if api_token is None:
            return None
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token


WRITE_METHODS = ("post", "put", "patch", "delete")
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
NO_NUL_TEXT = {"type": "string", "pattern": NO_NUL_PATTERN}
NO_NUL_JSON = "NoNulJson"
NO_NUL_REF = {"$ref": f"#/components/schemas/{NO_NUL_JSON}"}
# Any JSON value whose strings and keys hold no NUL: what an extra (ignored) field may carry.
NO_NUL_JSON_SCHEMA = {
    "anyOf": [
        {"type": ["null", "boolean", "number"]},
        {"type": "string", "pattern": NO_NUL_PATTERN},
        {"type": "array", "items": NO_NUL_REF},
        {
            "type": "object",
            "propertyNames": {"pattern": NO_NUL_PATTERN},
            "additionalProperties": NO_NUL_REF,
        },
    ]
}
# The refusals every operation of a kind can answer, whatever its view declares.
COMMON_REFUSALS = {
    400: "Permintaan tidak dapat dibaca: badan multipart rusak (malformed_multipart), atau "
    "baris permintaan/header melebihi batas server (halaman HTML dari gunicorn)",
    401: "Token tidak ada, tidak valid atau kedaluwarsa (unauthorized)",
    413: "Permintaan terlalu besar (payload_too_large)",
    422: "Isian tidak valid (invalid_input) atau ditolak aturan (kode pada error.code)",
}


def _strict_strings(node: Any) -> None:
    """Every string the API takes refuses NUL: say so where no stricter pattern does; a file
    part is a binary string (optional by not being required, never a JSON null)."""
    if isinstance(node, list):
        for item in node:
            _strict_strings(item)
        return
    if not isinstance(node, dict):
        return
    for key in ("properties",):
        for name, prop in list(node.get(key, {}).items()):
            branches = prop.get("anyOf") if isinstance(prop, dict) else None
            if branches and {"format": "binary", "type": "string"} in branches:
                node[key][name] = {"type": "string", "format": "binary"}
    if (
        node.get("type") == "string"
        and "pattern" not in node
        and "enum" not in node
        and "const" not in node
        and node.get("format") not in ("binary", "date", "date-time", "time")
    ):
        node["pattern"] = NO_NUL_PATTERN
    if node.get("type") == "object" and "properties" in node:
        node.setdefault("propertyNames", {"pattern": NO_NUL_PATTERN})  # extra keys too
        node.setdefault("additionalProperties", NO_NUL_REF)
    for value in node.values():
        _strict_strings(value)


def declare_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation declares the statuses the layers around its view answer: 401 when it
    needs a token, 400/413 when it takes a body (govem.inputs), 422 when it takes any input
    (validation, NUL characters) — each with the one error shape."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        body = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components["ErrorOut"] = body
    for name, component in components.items():
        if name not in ("ErrorOut", "ErrorDetail"):
            _strict_strings(component)
    components[NO_NUL_JSON] = NO_NUL_JSON_SCHEMA
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict):
                continue
            statuses: set[int] = set()
            if operation.get("security"):
                statuses.add(401)
            if method in WRITE_METHODS:
                statuses.update({400, 413, 422})
            if operation.get("parameters") or operation.get("requestBody"):
                statuses.update({400, 422})
            form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if form and isinstance(form.get("schema"), dict):
                # A form's extra fields are text, never typed JSON.
                form["schema"].setdefault("additionalProperties", NO_NUL_TEXT)
            _strict_strings(operation.get("parameters"))
            _strict_strings(operation.get("requestBody"))
            responses = operation.setdefault("responses", {})
            declared = {str(key) for key in responses}  # ninja keys them by int
            for status in sorted(statuses):
                if str(status) in declared:
                    continue
                content: dict[str, Any] = {"application/json": {"schema": ERROR_REF}}
                if status == 400:
                    content["text/html"] = {"schema": {"type": "string"}}
                responses[status] = {"description": COMMON_REFUSALS[status], "content": content}
    return schema


class GovemAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return declare_refusals(super().get_openapi_schema(*args, **kwargs))

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        # ninja's root ("api-root", which it reverses for the OpenAPI servers) raises a
        # plain Http404 outside the API's handlers: an HTML page for a JSON client. Ours
        # is the API's index instead, like DRF's API root.
        urls = [url for url in super()._get_urls() if getattr(url, "name", "") != "api-root"]
        return [*urls, path("", api_root, name="api-root")]


def api_root(request: HttpRequest) -> HttpResponse:
    """``GET /api/v1/``: what this API is and where its description is (no login needed);
    any other method is 405 in the error shape."""
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse(
            error_body("method_not_allowed", _("Metode tidak didukung di alamat ini.")), status=405
        )
        response["Allow"] = "GET, HEAD"
        return response
    namespace = "api-v1"
    return JsonResponse(
        {
            "name": "Govem API",
            "version": "1",
            "openapi": reverse(f"{namespace}:openapi-json"),
            "docs": reverse(f"{namespace}:openapi-view"),
        }
    )


api = GovemAPI(
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
    skip = ("body", "payload", "query", "path", "form", "file")
    parts = [str(part) for part in location if part not in skip]
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
    return _error(
        request,
        422,
        "invalid_input",
        _("Data tidak valid: %(names)s.") % {"names": names},
        {"fields": fields},
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, "payload_too_large", _("Permintaan terlalu besar."))


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # Normally refused earlier by govem.inputs.InputGuardMiddleware, with the same answer.
    return _error(request, 400, "malformed_multipart", _(MALFORMED_MULTIPART))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        "unauthorized",
        _("Token tidak valid, kedaluwarsa, atau tidak ada. Silakan masuk kembali."),
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Data tidak ditemukan."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return _error(
            request,
            422,
            "invalid_input",
            _("Badan permintaan bukan JSON yang valid."),
            {"fields": [{"field": "body", "problem": "malformed JSON"}]},
        )
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unexpected API error")
    return _error(
        request, 500, "server_error", _("Terjadi kesalahan pada server. Tim IT telah dicatat.")
    )


# The routers in the order of the API's operations (the OpenAPI document, /api/v1/docs).
for _router in (
    auth_router,
    activation_router,
    attendance_router,
    helpdesk_router,
    notify_router,
    days_router,
    absences_router,
    reports_router,
    payroll_router,
    events_router,
):
    api.add_router("/", _router)
