"""The Content-Security-Policy header on every address of the URL conf, for every answer.

Each route of ``govem.urls`` (the pages, the API, the Admin), with sample values for its
parameters, is requested by an anonymous visitor, an employee and a superuser: whatever the
status (200, 302, 403, 404, 405 …), the answer carries the policy, and the policy allows no
inline script or style and no eval. A new route is covered without a new line here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.helpers.regency import logged_in

pytestmark = pytest.mark.django_db

SAMPLES = {"day": "2026-11-30", "fmt": "xlsx", "year": "2026", "action": "balas"}
REGEX_CANDIDATES = ("people", "employee", "auth", "1", "x")
ROUTE_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")


def route_text(pattern: Any) -> str | None:
    """The pattern with its parameters filled in, or None when it cannot be filled."""
    if isinstance(pattern, RoutePattern):
        return ROUTE_PARAMETER.sub(
            lambda m: SAMPLES.get(m.group(2), "1" if m.group(1) in {"int", None} else "x"),
            str(pattern),
        )
    assert isinstance(pattern, RegexPattern)

    def fill(match: re.Match[str]) -> str:
        body = match.group(2)
        for value in REGEX_CANDIDATES:
            if re.fullmatch(body, value):
                return value
        return "\x00"

    text = REGEX_GROUP.sub(fill, str(pattern).removeprefix("^").removesuffix("$"))
    text = text.replace("\\.", ".").replace("\\/", "/")
    return None if "\x00" in text or re.search(r"[\\()\[\]*+?|^$]", text) else text


def every_path() -> list[str]:
    paths: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            text = route_text(entry.pattern)
            if text is None:
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + text)
            elif isinstance(entry, URLPattern):
                paths.append("/" + prefix + text)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def assert_policy(header: str | None, where: str) -> None:
    assert header, f"{where}: no Content-Security-Policy"
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in header.split(";")) if part
    )
    for name in ("script-src", "style-src", "default-src"):
        assert directives.get(name) == "'self'", f"{where}: {name} {directives.get(name)!r}"
    assert "unsafe-" not in header, f"{where}: {header}"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_every_route_answers_with_the_policy(
    regency: Any,
) -> None:
    paths = every_path()
    assert len(paths) > 250  # the Admin's routes too: the walk really reached them
    for page in ("/masuk/", "/monitor/", "/api/v1/docs", "/admin/", "/admin/people/employee/"):
        assert page in paths
    root = get_user_model().objects.create_superuser("akar", password="akar-govem-1")
    visitors = {
        "anonymous": logged_in(None),
        "pegawai": logged_in(regency.employee.user),
        "superuser": logged_in(root),
    }
    statuses: set[int] = set()
    for path in paths:
        for who, client in visitors.items():
            response = client.get(path)
            statuses.add(response.status_code)
            assert_policy(response.headers.get("Content-Security-Policy"), f"{who} {path}")
    assert {200, 302, 404} <= statuses


def test_the_map_tile_server_is_the_only_other_image_origin(settings: Any) -> None:
    from govem.settings import _tile_origin

    assert _tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert _tile_origin("https://{s}.tile.example.id/{z}/{x}/{y}.png") == (
        "https://*.tile.example.id"
    )
    assert _tile_origin("") is None
    images = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert images == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_header_is_django_csps_own_text_built_once(client: Any, settings: Any) -> None:
    """govem.middleware.CSPMiddleware keeps the text of the settings' policy; it is byte for
    byte what django-csp composes, and follows a change of the settings."""
    from csp.middleware import CSPMiddleware as Upstream
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory

    from govem.middleware import CSPMiddleware

    for path in ("/api/v1/time", "/masuk/", "/api/v1/punches"):
        assert client.get(path).headers["Content-Security-Policy"] == build_policy(), path
    request = RequestFactory().get("/masuk/")
    theirs = Upstream(lambda r: HttpResponse("ok"))(request)
    ours = CSPMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().get("/masuk/"))
    assert ours.headers == theirs.headers
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://t.example.id"]}
    }
    changed = client.get("/api/v1/time").headers["Content-Security-Policy"]
    assert changed == build_policy()
    assert "https://t.example.id" in changed and "object-src" not in changed
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    answer = client.get("/api/v1/time")
    assert answer.headers["Content-Security-Policy-Report-Only"] == "default-src 'none'"


def test_a_nonce_or_a_view_of_its_own_policy_is_still_composed(settings: Any) -> None:
    import csp.constants
    from csp.decorators import csp_exempt, csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory

    from govem.middleware import CSPMiddleware

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", csp.constants.NONCE]}
    }

    def with_nonce(request: Any) -> HttpResponse:
        return HttpResponse(str(request.csp_nonce))

    headers = []
    for _ in range(2):
        response = CSPMiddleware(with_nonce)(RequestFactory().get("/"))
        nonce = response.content.decode()
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        headers.append(response.headers["Content-Security-Policy"])
    assert headers[0] != headers[1]
    plain = CSPMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().get("/"))
    # No nonce asked for: the settings' text, the sentinel stripped (django-csp's order).
    assert plain.headers["Content-Security-Policy"] == build_policy()
    assert sorted(build_policy().split("; ")) == ["default-src 'self'", "script-src 'self'"]

    @csp_update({"img-src": ["https://t.example.id"]})
    def updated(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    header = CSPMiddleware(updated)(RequestFactory().get("/")).headers["Content-Security-Policy"]
    assert "img-src https://t.example.id" in header
    exempt = csp_exempt()(lambda request: HttpResponse("ok"))
    assert "Content-Security-Policy" not in CSPMiddleware(exempt)(RequestFactory().get("/"))
