"""/api/v1/docs renders with no internet: Swagger UI comes from django-ninja's static files."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_renders_the_api_docs_offline(chromium: Any, live_server: Any) -> None:
    context = chromium.new_context(base_url=live_server.url)
    outside: list[str] = []

    def block(route: Any) -> None:
        outside.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), block)
    page = context.new_page()
    page.goto("/api/v1/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
    assert "Govem" in page.inner_text(".swagger-ui .info .title")
    page.locator(".opblock-tag").first.wait_for()
    assert page.locator(".opblock").count() > 5  # the operations of the schema are listed
    assert outside == []
    context.close()
