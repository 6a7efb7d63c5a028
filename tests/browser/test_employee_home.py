"""The employee home as a phone shows it: one screen, one button, an answer in view.

At 360×640 and 390×844 the clock, today's state, the position and the Masuk/Pulang button sit
in the first viewport; after a tap the receipt takes the place under the button, in view,
with the focus; the keyboard reaches the button in three Tab presses; leaving early and a
second Pulang ask first; the receipt keeps its late minutes after a reload.
"""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from tests.browser.test_employee_page import INSIDE, open_home

from govem.attendance.models import Punch
from govem.people.models import Employee
from govem.schedules.models import ScheduleAssignment, ScheduleDay, WorkSchedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("GOVEM_SCREENSHOT_DIR") or "/tmp/govem-shots")
SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def open_day(employee: Employee) -> Employee:
    """Windows open all day, the day from 00:01 to 23:58: any tap is late in, early out."""
    schedule = WorkSchedule.objects.create(code="UJI-HARIAN", name="Uji sepanjang hari")
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
        schedule=schedule, employee=employee, valid_from=timezone.localdate() - timedelta(days=2)
    )
    return employee


def in_view(page: Any, selector: str) -> bool:
    return page.evaluate(
        """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""",
        selector,
    )


def late_text(punch: Punch) -> str:
    start = timezone.localtime(punch.server_time).replace(hour=0, minute=1, second=0)
    minutes = int((punch.server_time - start).total_seconds() // 60)
    return f"Terlambat {minutes} menit"


@pytest.mark.parametrize("size", [(360, 640), (390, 844)], ids=["360x640", "390x844"])
def test_it_fits_the_button_and_the_receipt_in_the_first_screen(
    chromium: Any, live_server: Any, open_day: Employee, size: tuple[int, int]
) -> None:
    width, height = size
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        permissions=["geolocation"],
        geolocation=INSIDE,
        service_workers="block",
    )
    try:
        page = open_home(context, open_day)
        page.wait_for_function(
            "() => document.getElementById('pos-distance').textContent.includes('radius')"
        )
        assert in_view(page, "#punch-button")
        assert (
            in_view(page, "#clock")
            and in_view(page, "#day-state")
            and in_view(page, "#pos-distance")
        )
        box = page.locator("#punch-button").bounding_box()
        assert box["height"] >= 48 and box["width"] >= width - 40
        assert page.inner_text("#day-state").strip() == "Belum presensi masuk"

        # The keyboard: three Tabs from the top (skip link, menu, button).
        page.evaluate("document.activeElement && document.activeElement.blur()")
        for _ in range(3):
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "punch-button"

        page.keyboard.press("Enter")
        page.locator("#result [data-receipt]").wait_for()
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'receipt'"
        )
        assert in_view(page, "#receipt")
        punch = Punch.objects.get(employee=open_day)
        assert late_text(punch) in page.inner_text("#receipt")
        assert page.inner_text("#day-state").startswith("Sudah masuk ")
        assert page.locator("#today-list li").count() == 1
        page.screenshot(path=str(SHOTS / f"home-receipt-{width}x{height}.png"))

        page.reload()
        page.locator("#receipt").wait_for()
        assert in_view(page, "#punch-button") and in_view(page, "#receipt")
        assert late_text(punch) in page.inner_text("#receipt")  # the receipt keeps its minutes
        assert punch.receipt in page.inner_text("#receipt")
        assert page.errors == []
    finally:
        context.close()


def test_it_asks_before_leaving_early_and_before_a_second_check_out(
    phone_context: Any, open_day: Employee
) -> None:
    phone_context.set_geolocation(INSIDE)
    page = open_home(phone_context, open_day)
    page.click("#punch-button")
    page.locator("#result [data-receipt]").wait_for()
    assert page.inner_text("#punch-button").strip() == "Pulang"

    page.click("#punch-button")
    dialog = page.locator("dialog.confirm-dialog")
    dialog.wait_for()
    text = dialog.inner_text()
    assert "Jam pulang Anda 23:58" in text and "pulang lebih awal" in text
    minutes = int(text.split("pulang lebih awal ")[1].split(" ")[0])
    expected = (
        (
            timezone.localtime().replace(hour=23, minute=58, second=0) - timezone.localtime()
        ).total_seconds()
    ) / 60
    assert abs(minutes - expected) <= 2
    page.click("dialog.confirm-dialog >> text=Batal")
    assert Punch.objects.filter(employee=open_day, kind="out").count() == 0

    page.click("#punch-button")
    page.click("#confirm-yes")
    page.wait_for_function("() => document.querySelectorAll('#today-list li').length === 2")
    first_out = Punch.objects.get(employee=open_day, kind="out")
    assert "Pulang lebih awal" in page.inner_text("#receipt")
    hm = timezone.localtime(first_out.server_time).strftime("%H:%M")
    assert page.inner_text("#day-state").strip() == f"Sudah pulang {hm}"

    page.click("#punch-button")
    dialog.wait_for()
    assert f"sudah presensi pulang pukul {hm}" in dialog.inner_text()
    assert "yang terakhir yang berlaku" in dialog.inner_text()
    page.click("#confirm-yes")
    page.wait_for_function("() => document.querySelectorAll('#today-list li').length === 3")
    assert Punch.objects.filter(employee=open_day, kind="out").count() == 2
    assert page.errors == []


def test_the_request_form_speaks_the_apps_language_and_takes_the_place_from_the_phone(
    phone_context: Any, open_day: Employee
) -> None:
    from govem.absences.models import AbsenceRequest

    phone_context.set_geolocation(INSIDE)
    page = open_home(phone_context, open_day)
    page.goto("/pengajuan/")
    page.click("#request-form button[type=submit]")
    # The app's own message, in Indonesian, in the bubble and under the field.
    assert page.evaluate("document.getElementById('start_date').validationMessage") == (
        "Isian ini wajib diisi."
    )
    assert "Isian ini wajib diisi." in page.inner_text("#request-form")
    assert not AbsenceRequest.objects.exists()

    page.click("#use-my-location")
    page.wait_for_function("() => document.getElementById('latitude').value !== ''")
    assert abs(float(page.input_value("#latitude")) - INSIDE["latitude"]) < 1e-5
    assert abs(float(page.input_value("#longitude")) - INSIDE["longitude"]) < 1e-5
    assert page.input_value("#radius_m") == "100"

    page.select_option("#lang-select", "en")
    page.click(".langswitch button")
    page.wait_for_url("**/pengajuan/")
    page.click("#request-form button[type=submit]")
    assert page.evaluate("document.getElementById('start_date').validationMessage") == (
        "This field is required."
    )
    assert page.errors == []
