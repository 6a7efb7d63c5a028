"""Apel in chromium: the employee sees the event on the home page, opens it and checks in
from the phone's position; the operator sees them present. And the Inovator's report page.

With GOVEM_SHOTS_DIR set, the pages are also saved there as PNG."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.apel import all_day_apel, phone_at
from tests.browser.test_tpp_page import _login, _shot
from tests.conftest import OFFICE_LAT, OFFICE_LON
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
    event = all_day_apel(regency)
    phone = phone_at(chromium, live_server, latitude=OFFICE_LAT, longitude=OFFICE_LON, accuracy=12)
    page = phone.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, regency.employee.nip)
    page.click(".events-due a >> text=Presensi acara")
    page.wait_for_url(re.compile(rf"/acara/{event.pk}/$"))
    page.click("#event-checkin")
    page.wait_for_selector("#event-result.msg-success")
    receipt = page.locator("#event-result").get_attribute("data-receipt")
    assert receipt and receipt.startswith("GVA-")
    assert EventCheckin.objects.get().receipt == receipt
    _shot(page, "apel-checkin-360")
    phone.close()

    desk = chromium.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1440, "height": 900}
    )
    page = desk.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, "198806062012121001")
    page.goto(f"/acara/{event.pk}/")
    assert "Rahmat Hidayat" in page.locator("#present").inner_text()
    assert "Siti Aminah" in page.locator("#absent").inner_text()
    _shot(page, "apel-roll-1440")
    desk.close()
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
