"""Real-browser tests: Playwright for Python driving Debian's chromium; the tour's demo.

Browser tests are skipped only when chromium is missing, with the command that installs it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from govem.attendance.models import Punch
from govem.people.demo import KEY_PEOPLE, load_demo
from govem.people.models import Employee

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM is not None:
        return
    skip = pytest.mark.skip(reason="chromium tidak terpasang: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_context(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized Indonesian browser with location permission granted (set per test)."""
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        permissions=["geolocation"],
        geolocation={"latitude": 0.0, "longitude": 0.0, "accuracy": 10},
        service_workers="block",
    )
    yield context
    context.close()


@pytest.fixture
def demo(settings: Any, transactional_db: Any) -> dict[str, Any]:
    from tests.seeds import reseed

    reseed()
    load_demo(password="tur-govem-1")
    users = {role: nip for role, _kind, nip, *_rest in KEY_PEOPLE}
    # The employee checked in this morning: the home shows a receipt, the console a feed.
    employee = Employee.objects.get(nip=users["Pegawai"])
    office = employee.allowed_locations().first()
    now = timezone.now()
    Punch.objects.create(
        employee=employee,
        kind="in",
        server_time=now,
        local_date=timezone.localdate(),
        time_zone=office.time_zone,
        latitude=office.latitude,
        longitude=office.longitude,
        accuracy_m=10,
        distance_m=4.0,
        location=office,
        verdict="accepted",
        source="app",
        receipt="TUR-0001",
    )
    pending_work(employee, office)
    return users


def pending_work(employee: Employee, office: Any) -> None:
    """One item of each count the menus show: the supervisor's approval, the operator's and
    Tim IT's open case, new ticket and flagged punch (of a colleague of the employee)."""
    from datetime import timedelta

    from govem.absences.models import AbsenceRequest, AbsenceType, Clarification
    from govem.helpdesk.models import Ticket

    today = timezone.localdate()
    AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="I"),
        start_date=today + timedelta(days=1),
        end_date=today + timedelta(days=1),
        reason="Mengurus KTP anak di Disdukcapil",
    )
    Clarification.objects.create(
        employee=employee, date=today - timedelta(days=1), kind=Clarification.Kind.TK
    )
    Ticket.objects.create(
        employee=employee,
        category=Ticket.Category.LOCATION,
        description="Lokasi saya terbaca 2 km dari kantor padahal saya di ruang rapat.",
    )
    colleague = Employee.objects.filter(unit=employee.unit).exclude(pk=employee.pk).first()
    Punch.objects.create(
        employee=colleague,
        kind="in",
        server_time=timezone.now(),
        local_date=today,
        time_zone=office.time_zone,
        latitude=office.latitude,
        longitude=office.longitude,
        accuracy_m=60,
        distance_m=110.0,
        location=office,
        verdict="flagged",
        flags=["borderline_location"],
        source="app",
        receipt="TUR-0002",
    )
