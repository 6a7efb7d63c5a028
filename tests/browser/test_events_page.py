"""Apel in chromium under a moving frozen clock (live server and browser): the employee sees the
event on the home page, is refused before the window opens, checks in from the phone's position
once it is open; the operator sees them present and, after the close, who is TAP. And the
Inovator's report page.

With GOVEM_SHOTS_DIR set, the pages are also saved there as PNG."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.apel import at, monday_apel, moving_clock, phone_at
from tests.conftest import OFFICE_LAT, OFFICE_LON
from tests.helpers.pages import choose_english
from tests.helpers.pages import log_in as _login
from tests.helpers.pages import shot as _shot
from tests.seeds import reseed

from govem.events.models import EventCheckin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000


@pytest.fixture
def seeded(transactional_db: Any) -> None:
    reseed()


def test_the_employee_checks_in_to_the_apel_from_the_phone(
    seeded: None,
    regency: Any,
    chromium: Any,
    live_server: Any,
) -> None:
    """Under a moving frozen clock (the live server and the browser): too early at 06:50, in at
    07:10, the operator's roll while open, and TAP for who stayed away once it closed."""
    event = monday_apel(regency)
    with moving_clock(at(6, 50)) as clock:
        phone = clock.join(
            phone_at(chromium, live_server, latitude=OFFICE_LAT, longitude=OFFICE_LON, accuracy=12)
        )
        page = phone.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _login(page, regency.employee.nip)
        assert "Apel pagi Senin" in page.locator(".events-due").inner_text()
        page.click(".events-due a >> text=Presensi acara")
        page.wait_for_url(re.compile(rf"/acara/{event.pk}/$"))
        page.click("#event-checkin")
        page.wait_for_selector("#event-result.msg-error")
        assert "belum dibuka. Dibuka pukul 07:00" in page.locator("#event-result").inner_text()
        clock.move_to(at(7, 10))
        page.click("#event-checkin")
        page.wait_for_selector("#event-result.msg-success")
        result = page.locator("#event-result")
        receipt = result.get_attribute("data-receipt")
        assert receipt and receipt.startswith("GVA-") and "07:10:" in result.inner_text()
        assert EventCheckin.objects.get(verdict="accepted").receipt == receipt
        assert list(EventCheckin.objects.values_list("verdict", "reason_code").order_by("pk")) == [
            ("rejected", "outside_window"),
            ("accepted", ""),
        ]
        _shot(page, "apel-checkin-360")
        clock.leave(phone)

        desk = clock.join(
            chromium.new_context(
                base_url=live_server.url, locale="id-ID", viewport={"width": 1440, "height": 900}
            )
        )
        page = desk.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _login(page, "198806062012121001")  # the unit's operator
        page.goto("/monitor/")
        assert "Apel pagi Senin" in page.locator("main").inner_text()
        page.goto(f"/acara/{event.pk}/")
        assert "Rahmat Hidayat" in page.locator("#present").inner_text()
        assert "Belum presensi" in page.locator("main").inner_text()
        assert "Siti Aminah" in page.locator("#absent").inner_text()
        _shot(page, "apel-roll-1440")
        clock.move_to(at(7, 45))  # the window has closed: who is not there is TAP
        page.reload()
        assert "Tidak hadir (TAP)" in page.locator("main").inner_text()
        assert "Siti Aminah" in page.locator("#absent").inner_text()
        assert "Rahmat Hidayat" not in page.locator("#absent").inner_text()
        _shot(page, "apel-closed-1440")
        clock.leave(desk)
    inovator = chromium.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1440, "height": 900}
    )
    page = inovator.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, "inovator")
    page.goto("/inovasi/")
    page.wait_for_url(re.compile(r"/inovasi/"))
    table = page.locator("table.innovation-table").inner_text()
    assert "Pegawai aktif menggunakan Govem" in table and "Kehadiran tepat waktu" in table
    _shot(page, "innovation-1440")
    inovator.close()


@pytest.mark.parametrize("size", [{"width": 360, "height": 640}, {"width": 1440, "height": 900}])
def test_the_english_event_page_says_when_the_apel_opens(
    seeded: None, regency: Any, chromium: Any, live_server: Any, size: dict[str, int]
) -> None:
    """In English, the refusal before the window opens names the event and the time, in English;
    once open the check-in goes through."""
    event = monday_apel(regency)
    with moving_clock(at(6, 50)) as clock:
        phone = clock.join(
            phone_at(chromium, live_server, latitude=OFFICE_LAT, longitude=OFFICE_LON, accuracy=12)
        )
        page = phone.new_page()
        page.set_viewport_size(size)
        page.set_default_timeout(TIMEOUT_MS)
        _login(page, regency.employee.nip)
        choose_english(page)
        page.goto(f"/acara/{event.pk}/")
        page.click("#event-checkin")
        page.wait_for_selector("#event-result.msg-error")
        said = page.locator("#event-result").inner_text()
        assert said == "Attendance for Apel pagi Senin is not open yet. It opens at 07:00."
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        _shot(page, f"event-refused-en-{size['width']}")
        clock.move_to(at(7, 10))
        page.click("#event-checkin")
        page.wait_for_selector("#event-result.msg-success")
        assert EventCheckin.objects.get(verdict="accepted").employee == regency.employee
