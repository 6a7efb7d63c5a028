"""The employee page in chromium at a phone size: check in inside, refused outside, no permission.

Nothing is frozen: the test employee gets a schedule whose windows are open all day, so the
real clock of the live server is always inside them.
"""

from __future__ import annotations

import os
import re
from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.conftest import OFFICE_LAT, OFFICE_LON, PASSWORD
from tests.english import indonesian_words
from tests.helpers.pages import choose_english, shot

from govem.attendance.models import Punch
from govem.people.models import Employee
from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSIDE = {"latitude": OFFICE_LAT + 0.0002, "longitude": OFFICE_LON, "accuracy": 12}
FAR = {"latitude": OFFICE_LAT + 0.02, "longitude": OFFICE_LON + 0.01, "accuracy": 15}
TIMEOUT_MS = 15_000


@pytest.fixture
def all_day(employee: Employee) -> Employee:
    schedule = WorkSchedule.objects.create(code="UJI-24JAM", name="Uji — terbuka sepanjang hari")
    for weekday in range(7):
        ScheduleDay.objects.create(
            schedule=schedule,
            weekday=weekday,
            start=time(0, 1),
            end=time(23, 58),
            check_in_opens=time(0, 0),
            check_out_closes=time(23, 59, 59),
        )
    ScheduleAssignment.objects.create(
        schedule=schedule,
        employee=employee,
        valid_from=timezone.localdate() - timedelta(days=2),
    )
    return employee


def open_home(context: Any, employee: Employee) -> Any:
    # The map's tiles are "offline" in these tests: the page must work without them.
    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    page = context.new_page()
    page.errors = []  # uncaught script errors: the page must have none
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/masuk/")
    page.fill("input[name=login]", employee.nip)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    return page


def tap_and_be_refused(page: Any, employee: Employee) -> tuple[str, Punch]:
    """Tap the button and wait for the refusal: its text and the stored attempt."""
    page.click("#punch-button")
    refusal = page.locator("#result .receipt.rejected")
    refusal.wait_for()
    return refusal.inner_text(), Punch.objects.get(employee=employee)


def test_it_checks_in_inside_the_office_and_shows_the_receipt(
    phone_context: Any, all_day: Employee
) -> None:
    phone_context.set_geolocation(INSIDE)
    page = open_home(phone_context, all_day)
    page.wait_for_function("() => document.getElementById('clock').textContent.includes(':')")
    page.wait_for_function(
        "() => document.getElementById('pos-distance').textContent.includes('Kantor Diskominfo')"
    )
    assert "di dalam radius 100 m" in page.inner_text("#pos-distance")
    assert page.inner_text("#pos-accuracy") == "±12 m"
    page.click("#map-box summary")  # the map is folded below the button until asked for
    page.locator("#map .leaflet-interactive >> nth=1").wait_for()  # office circle and you

    page.click("#punch-button")
    receipt = page.locator("#result [data-receipt]")
    receipt.wait_for()
    text = receipt.inner_text()
    punch = Punch.objects.get(employee=all_day)
    local = timezone.localtime(punch.server_time).strftime("%H:%M:%S")
    assert punch.verdict == "accepted" and punch.source == "app"
    assert local in text
    assert "Kantor Diskominfo" in text
    assert "Diterima" in text
    assert punch.receipt in text
    assert page.inner_text("#punch-button").strip() == "Pulang"
    assert page.errors == []

    shots = os.environ.get("GOVEM_SCREENSHOT_DIR")
    if shots:
        page.wait_for_timeout(300)  # let the smooth scroll settle
        page.screenshot(path=os.path.join(shots, "govem-home.png"), full_page=True)


def test_it_refuses_a_check_in_far_outside_with_the_distance_and_office(
    phone_context: Any, all_day: Employee
) -> None:
    phone_context.set_geolocation(FAR)
    page = open_home(phone_context, all_day)
    page.wait_for_function(
        "() => document.getElementById('pos-distance').textContent.includes('di luar radius')"
    )
    text, punch = tap_and_be_refused(page, all_day)
    assert punch.verdict == "rejected" and punch.reason_code == "outside_geofence"
    assert f"{punch.distance_m:.0f} m dari Kantor Diskominfo" in text
    assert "ditolak" in text
    assert page.inner_text("#punch-button").strip() == "Masuk"


def test_it_advises_when_location_permission_is_denied(
    phone_context: Any, all_day: Employee
) -> None:
    phone_context.clear_permissions()
    page = open_home(phone_context, all_day)
    advice = page.locator("#geo-advice")
    advice.wait_for(state="visible")
    assert "Izin lokasi ditolak" in advice.inner_text()
    page.click("#punch-button")
    page.locator("#result .receipt.rejected").wait_for()
    assert "izinkan Lokasi untuk Govem" in page.inner_text("#result")
    assert not Punch.objects.exists()


def test_it_warns_about_a_poor_fix(phone_context: Any, all_day: Employee) -> None:
    phone_context.set_geolocation({**INSIDE, "accuracy": 250})
    page = open_home(phone_context, all_day)
    advice = page.locator("#geo-advice")
    advice.wait_for(state="visible")
    assert "Akurasi lokasi rendah (±250 m, batas 100 m)" in advice.inner_text()


def test_it_shows_the_history_of_the_check_in(phone_context: Any, all_day: Employee) -> None:
    phone_context.set_geolocation(INSIDE)
    page = open_home(phone_context, all_day)
    page.click("#punch-button")
    page.locator("#result [data-receipt]").wait_for()
    page.click("#today-card >> text=Riwayat")
    page.wait_for_url(re.compile(r"/riwayat/$"))
    punch = Punch.objects.get(employee=all_day)
    assert punch.receipt in page.inner_text("main")


def test_it_registers_the_service_worker_for_installation(
    chromium: Any, live_server: Any, all_day: Employee
) -> None:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        page = open_home(context, all_day)
        scope = page.evaluate(
            "navigator.serviceWorker.ready.then((registration) => registration.scope)"
        )
        assert scope == live_server.url + "/"
        manifest = page.evaluate(
            "fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())"
        )
        assert manifest["short_name"] == "Govem"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("size", "mobile"),
    [({"width": 360, "height": 640}, True), ({"width": 1440, "height": 900}, False)],
)
def test_it_refuses_in_english_on_the_english_page(
    chromium: Any, live_server: Any, all_day: Employee, size: dict[str, int], mobile: bool
) -> None:
    """The employee chose English: the refusal (the server's sentence) is English too."""
    context = chromium.new_context(
        base_url=live_server.url, viewport=size, is_mobile=mobile, has_touch=mobile,
        locale="en-US", timezone_id="Asia/Makassar", permissions=["geolocation"],
        geolocation=FAR, service_workers="block",
    )  # fmt: skip
    try:
        page = open_home(context, all_day)
        choose_english(page)
        page.wait_for_function(
            "() => document.getElementById('pos-distance').textContent.includes('outside')"
        )
        text, punch = tap_and_be_refused(page, all_day)
        assert punch.reason_code == "outside_geofence"
        assert f"Outside the radius: {punch.distance_m:.0f} m from Kantor Diskominfo" in text
        assert not indonesian_words(text, allowed=["Kantor Diskominfo"]), text
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        assert page.errors == []
        page.wait_for_timeout(300)  # let the smooth scroll settle
        shot(page, f"home-refused-en-{size['width']}")
    finally:
        context.close()
