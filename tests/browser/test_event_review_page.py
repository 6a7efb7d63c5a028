"""A flagged apel check-in in chromium: the employee at the edge of the radius is told it awaits
review; the operator accepts it with a reason and sees them present. And the TPP list, the
Rekap's TPP estimate and the innovation report in English at phone and desk size.

With GOVEM_SHOTS_DIR set, the pages are also saved there as PNG (360×640 and 1440×900)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from tests.browser.apel import at, monday_apel, moving_clock, phone_at
from tests.browser.test_tpp_page import _login, _shot
from tests.conftest import OFFICE_LAT, OFFICE_LON
from tests.english import indonesian_words
from tests.seeds import reseed

from govem.accounts.models import AuditEntry
from govem.events.models import EventCheckin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000
SIZES = {"360": {"width": 360, "height": 640}, "1440": {"width": 1440, "height": 900}}
DATA = ("Dinas Komunikasi dan Informatika", "PEMERINTAH KABUPATEN TAPIN", "Rahmat Hidayat",
        "Siti Aminah", "Budi Santoso", "Andi Operator", "Kabupaten Tapin", "Tapin")  # fmt: skip


@pytest.fixture
def seeded(transactional_db: Any) -> None:
    reseed()


def test_the_operator_accepts_a_flagged_apel_checkin(
    seeded: None,
    regency: Any,
    chromium: Any,
    live_server: Any,
) -> None:
    event = monday_apel(regency)
    with moving_clock(at(7, 5)) as clock:
        phone = clock.join(
            phone_at(
                chromium,
                live_server,
                latitude=OFFICE_LAT + 0.0011,
                longitude=OFFICE_LON,
                accuracy=40,
            )
        )
        page = phone.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _login(page, regency.employee.nip)
        page.goto(f"/acara/{event.pk}/")
        page.click("#event-checkin")
        page.wait_for_selector("#event-result.msg-success")
        assert EventCheckin.objects.get().verdict == "flagged"
        page.reload()
        assert (
            "dihitung hadir setelah diterima peninjau" in page.locator("#mine-pending").inner_text()
        )
        _shot(page, "apel-pending-360")
        clock.leave(phone)

        for size in ("360", "1440"):
            desk = clock.join(chromium.new_context(base_url=live_server.url, locale="id-ID",
                                                   viewport=SIZES[size]))  # fmt: skip
            page = desk.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            _login(page, "198806062012121001")  # the unit's operator
            page.goto("/acara/")  # the list and the menu count the check-in awaiting review
            assert "1 menunggu tinjauan" in page.locator("main").inner_text()
            assert (
                page.locator("a[data-menu=events] .menu-count").get_attribute("data-count") == "1"
            )
            _shot(page, f"apel-list-{size}")
            page.goto(f"/acara/{event.pk}/")
            assert "di tepi radius" in page.locator("#review").inner_text()
            _shot(page, f"apel-review-{size}")
            if size == "1440":
                page.fill("#review input[name=alasan]", "Terlihat di barisan apel")
                page.click("#review button[value=accept]")
                page.wait_for_selector("#present")
                assert "Rahmat Hidayat" in page.locator("#present").inner_text()
                assert page.locator("#review").count() == 0
                _shot(page, "apel-reviewed-1440")
            clock.leave(desk)
    entry = AuditEntry.objects.get(action="review_event_checkin")
    assert (entry.after["decision"], entry.reason) == ("accepted", "Terlihat di barisan apel")


def test_the_tpp_rekap_and_innovation_pages_in_english(
    seeded: None,
    hand_month: Any,
    chromium: Any,
    live_server: Any,
) -> None:
    """One browser context per person (a second login elsewhere would be another device)."""

    def signed_in(login: str) -> tuple[Any, Any]:
        context = chromium.new_context(base_url=live_server.url, locale="en-US",
                                       viewport=SIZES["360"])  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _login(page, login)
        return context, page

    context, page = signed_in("198806062012121001")  # the unit's operator
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto("/tpp/?bulan=2026-11")
        assert indonesian_words(page.content(), DATA) == []
        assert "Rounding: each line" in page.locator("main").inner_text()
        _shot(page, f"tpp-en-{size}")
    context.close()
    context, page = signed_in(hand_month.employee.nip)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto("/rekap/?bulan=2026-11")
        estimate = page.locator("#tpp")
        assert indonesian_words(estimate.inner_html(), DATA) == []
        assert "three million two hundred twenty-five thousand rupiah" in estimate.inner_text()
        estimate.scroll_into_view_if_needed()
        _shot(page, f"rekap-tpp-en-{size}")
        if os.environ.get("GOVEM_SHOTS_DIR"):  # the estimate alone: the page is long
            estimate.screenshot(
                path=f"{os.environ['GOVEM_SHOTS_DIR']}/rekap-estimate-en-{size}.png"
            )
        days = page.locator("table.recap-days")  # each day's explanation, built in English
        assert indonesian_words(days.inner_html(), DATA) == []
        assert "Absent without leave (TK)" in days.inner_text()
        assert "(35 minutes late → TL2)" in days.inner_text()
        days.scroll_into_view_if_needed()
        _shot(page, f"rekap-days-en-{size}")
        if os.environ.get("GOVEM_SHOTS_DIR"):
            days.screenshot(path=f"{os.environ['GOVEM_SHOTS_DIR']}/rekap-days-table-en-{size}.png")
    context.close()
    context, page = signed_in("inovator")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto("/")
        if size == "360":
            page.click("#menu-toggle")
        page.click("a[href='/inovasi/']")
        page.wait_for_url(re.compile(r"/inovasi/"))
        assert indonesian_words(page.content(), DATA) == []
        assert "On-time attendance" in page.locator("table.innovation-table").inner_text()
        _shot(page, f"innovation-en-{size}")
    context.close()
