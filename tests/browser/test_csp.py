"""The Content-Security-Policy in a real browser: no inline script or style anywhere.

The tour (test_tour.py) watches every menu page of every role; this covers what the tour leaves
out — the Admin, the API docs (Swagger UI from django-ninja's static files), the error pages
(403, 404, 500) and their buttons — and proves the watch really sees a violation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from tests.browser.csp import Watch
from tests.browser.test_tour import browser_for

from govem.people.models import Employee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_policy_blocks_inline_style_and_script_and_the_watch_reports_it(
    chromium: Any, live_server: Any
) -> None:
    context = browser_for(chromium, live_server, None)
    watch = Watch(context, live_server.url, expected_missing=set())
    page = context.new_page()
    page.goto("/masuk/")
    assert watch.problems == []
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML('beforeend', '<p id="x" style="color: red">x</p>');
          const s = document.createElement('script');
          s.textContent = 'window.__ran = true';
          document.body.append(s);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__ran") is None  # the inline script did not run
    color = page.evaluate("getComputedStyle(document.getElementById('x')).color")
    assert color != "rgb(255, 0, 0)"  # nor did the inline style apply
    found = " ".join(watch.violations())
    assert "style-src" in found and "script-src" in found
    context.close()


def test_admin_api_docs_and_error_pages_run_under_the_policy(
    chromium: Any,
    live_server: Any,
    demo: dict[str, str],
    settings: Any,
) -> None:
    settings.ROOT_URLCONF = "tests.browser.boom_urls"
    it = get_user_model().objects.get(username=demo["Tim IT"])
    employee = Employee.objects.get(nip=demo["Pegawai"])
    pages = [
        ("/admin/", 200),
        ("/admin/people/employee/", 200),
        (f"/admin/people/employee/{employee.pk}/change/", 200),
        ("/admin/people/employee/add/", 200),
        ("/api/v1/docs", 200),
        ("/halaman-yang-tidak-ada/", 404),
        ("/tes-gagal/", 500),
    ]
    context = browser_for(chromium, live_server, it.username)
    watch = Watch(
        context, live_server.url, expected_missing={"/halaman-yang-tidak-ada/", "/tes-gagal/"}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    for url, status in pages:
        response = page.goto(url)
        assert response is not None and response.status == status, url
        if url == "/api/v1/docs":
            page.locator(".swagger-ui .opblock").first.wait_for()
            page.locator(".swagger-ui .opblock-summary").first.click()  # an operation opens
            page.locator(".swagger-ui .opblock-body").first.wait_for()
        page.wait_for_load_state("networkidle")
    # The error page's "Kembali" goes back without a javascript: link.
    page.goto("/rekap/")
    page.goto("/halaman-yang-tidak-ada/")
    page.click("a[data-history-back]")
    page.wait_for_url("**/rekap/")
    context.close()

    staff = browser_for(chromium, live_server, demo["Pegawai"])
    employee_watch = Watch(staff, live_server.url, expected_missing={"/impor-pegawai/"})
    page = staff.new_page()
    response = page.goto("/impor-pegawai/")
    assert response is not None and response.status == 403
    page.wait_for_load_state("networkidle")
    staff.close()
    assert watch.problems + employee_watch.problems == []
