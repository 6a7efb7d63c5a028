"""One guard for what no field may carry, before any view or database sees the request.

PostgreSQL cannot store a NUL character in a text column (``psycopg.DataError``) and SQLite
keeps it where nothing can show it: a NUL byte in the path, the query string, a header, a
form field, an uploaded file's name or any string of a JSON body is refused here — on the API
with the API's error shape, on the web with the error page — so that every endpoint,
including the unauthenticated login, and every web form are covered by one rule instead of a
validator per field. A multipart body Django cannot parse (no boundary, a header or file name
beyond its limits) is refused here too, as a 400, never a 500.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govem.errors import error_body

NUL = "\x00"
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Marked for the catalogue here, translated where raised (in the request's language).
MALFORMED_MULTIPART = gettext_noop(
    "Unggahan tidak dapat dibaca: format multipart rusak, atau nama berkas atau header "
    "bagiannya terlalu panjang."
)


class Refused(Exception):
    """A request refused before its view: HTTP status, stable code, message (in the request's
    language)."""

    def __init__(
        self, status: int, code: str, message: str, field: str = "", *, header: bool = False
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.header = header
        self.problem = code

    def details(self) -> dict[str, Any]:
        if not self.field:
            return {}
        return {"fields": [{"field": self.field, "problem": self.problem}]}


NUL_PROBLEM = "contains a NUL character"


def nul_refusal(field: str, *, header: bool = False) -> Refused:
    """The API's usual ``invalid_input`` (422) naming the field, as a validation error does."""
    refused = Refused(
        422,
        "invalid_input",
        _("Data tidak valid: %(field)s berisi karakter NUL (\\0) yang tidak diizinkan.")
        % {"field": field},
        field,
        header=header,
    )
    refused.problem = NUL_PROBLEM
    return refused


def _json_strings(value: Any, path: str = "body") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _json_strings(item, f"{path}.{key}" if path != "body" else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}")


def _check_json(raw: bytes) -> None:
    # A JSON text names NUL as \u0000 (or carries the raw byte, which is no JSON at all):
    # only then is the body parsed here, so the check-in's hot path pays a substring search.
    if b"\\u0000" not in raw and b"\x00" not in raw:
        return
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise nul_refusal("body") from None
    for path, text in _json_strings(document):
        if NUL in text:
            raise nul_refusal(path)


def _within_memory_limit(request: HttpRequest) -> bool:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is None or length <= limit


def _check_form(request: HttpRequest) -> None:
    try:
        if _within_memory_limit(request):
            # Read once and kept: a view that reads the raw body (the JSON-only check-in
            # views) still can after the fields were parsed from it here.
            request.body  # noqa: B018
        fields, files = request.POST, request.FILES
    except MultiPartParserError as exc:
        raise Refused(400, "malformed_multipart", _(MALFORMED_MULTIPART)) from exc
    except RequestDataTooBig as exc:
        raise Refused(413, "payload_too_large", _("Permintaan terlalu besar.")) from exc
    except SuspiciousOperation as exc:  # too many fields
        raise Refused(
            400, "malformed_request", _("Permintaan memuat terlalu banyak isian.")
        ) from exc
    for name, values in fields.lists():
        if NUL in name:
            raise nul_refusal("body")
        for value in values:
            if NUL in value:
                raise nul_refusal(name)
    for name, uploads in files.lists():
        if NUL in name:
            raise nul_refusal("body")
        for upload in uploads:
            if NUL in (upload.name or ""):
                raise nul_refusal(name)


def check_request(request: HttpRequest) -> None:
    """Raise :class:`Refused` for a request that carries what no field may hold."""
    if NUL in request.path_info:
        raise nul_refusal("path")
    for name, values in request.GET.lists():
        if NUL in name:
            raise nul_refusal("query")
        if any(NUL in value for value in values):
            raise nul_refusal(name)
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            raise nul_refusal(key[5:].lower().replace("_", "-"), header=True)
    if request.method not in _WRITES:
        return
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        _check_form(request)
    elif "json" in content_type:
        try:
            raw = request.body
        except RequestDataTooBig as exc:
            raise Refused(413, "payload_too_large", _("Permintaan terlalu besar.")) from exc
        _check_json(raw)


API_PREFIX = "/api/v1/"
_ROUTE_PARAMETER = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def unknown_query_refusal(name: str) -> Refused:
    """An API query parameter the operation does not declare: 422 ``invalid_input``, as the
    OpenAPI document promises (a misspelt filter must not be silently ignored)."""
    refused = Refused(
        422,
        "invalid_input",
        _("Parameter kueri tidak dikenal: %(name)s.") % {"name": name[:64]},
        field=f"query.{name[:64]}",
    )
    refused.problem = "unknown query parameter"
    return refused


@functools.cache
def _declared_queries() -> dict[tuple[str, str], frozenset[str]]:
    # The URLconf imports govem.api, which imports the apps: read it only once it is loaded.
    from govem.api import api

    found: dict[tuple[str, str], frozenset[str]] = {}
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            names = {
                parameter["name"]
                for parameter in operation.get("parameters", [])
                if parameter.get("in") == "query"
            }
            found[(path, method.upper())] = frozenset(names)
    return found


def _query_parameters(route: str, method: str) -> frozenset[str] | None:
    """The query parameters the API operation at ``route`` declares; ``None`` for a route
    that is no operation of the document (the docs page, the schema itself)."""
    path = "/" + _ROUTE_PARAMETER.sub(r"{\1}", route)
    return _declared_queries().get((path, method.upper()))


class InputGuardMiddleware:
    """Refuses NUL characters and unreadable multipart bodies on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except Refused as refused:
            return refused_response(request, refused)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.GET and request.path_info.startswith(API_PREFIX) and request.resolver_match:
            allowed = _query_parameters(request.resolver_match.route, request.method or "")
            unknown = sorted(set(request.GET) - allowed) if allowed is not None else []
            if unknown:
                return refused_response(request, unknown_query_refusal(unknown[0]))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RawPostDataException):
            # A large upload parsed above, sent to a view that reads a JSON body: too big.
            return refused_response(
                request, Refused(413, "payload_too_large", _("Permintaan terlalu besar."))
            )
        return None


def refused_response(request: HttpRequest, refused: Refused) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        body = error_body(refused.code, refused.message, refused.details())
        return JsonResponse(body, status=refused.status)
    if refused.header:
        # The session cookie itself may be what is refused: no page that would read it.
        return HttpResponse(
            f"{refused.status} {refused.code}", status=refused.status, content_type="text/plain"
        )
    messages = {
        "invalid_input": _(
            "Isian berisi karakter NUL (\\0) yang tidak diizinkan. Hapus karakter itu, "
            "lalu kirim lagi."
        ),
        "malformed_multipart": _(
            "Unggahan tidak dapat dibaca: nama berkas terlalu panjang atau formatnya rusak. "
            "Ganti nama berkas lalu unggah lagi."
        ),
        "payload_too_large": _("Permintaan terlalu besar."),
        "malformed_request": _("Permintaan memuat terlalu banyak isian."),
    }
    context = {
        "status": refused.status,
        "code": refused.code,
        "message": messages.get(refused.code, refused.message),
    }
    return render(request, "input_refused.html", context, status=refused.status)
