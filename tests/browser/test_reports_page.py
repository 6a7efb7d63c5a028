"""The operator's SOP step 5 in chromium: open the day's report, download it, verify it."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.conftest import PASSWORD
from tests.helpers.days import closed_monday
from tests.helpers.pages import log_in, shot
from tests.seeds import reseed

from govem.attendance.models import DayRecord
from govem.reports.models import ReportVerification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000


@pytest.fixture
def seeded(transactional_db) -> None:
    """Roles, rules and the national schedule, flushed by earlier transactional tests."""
    reseed()


@pytest.fixture
def regency(unit: Any, office: Any, employee: Any, colleague: Any, december: Any) -> Any:
    """The reports' closed Monday."""
    return closed_monday(unit, office, employee, colleague)


def test_an_operator_downloads_and_verifies_the_daily_report(
    seeded,
    regency,
    chromium,
    live_server,
    tmp_path: Path,
) -> None:
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/masuk/")
    page.fill("input[name=login]", "198806062012121001")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))
    page.click("nav >> text=Laporan")
    page.fill("input[name=tanggal]", "2026-11-02")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"tanggal=2026-11-02"))
    table = page.locator("table.report-table")
    assert "Rahmat Hidayat" in table.inner_text()
    assert "Kantor Diskominfo" in table.inner_text()
    assert "Belum diverifikasi" in page.locator("#verification-status").inner_text()

    with page.expect_download() as download:
        page.click("a[data-format=xlsx]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    cells = [c for row in load_workbook(saved).active.values for c in row if c]
    assert "Rahmat Hidayat" in cells

    page.click("text=Verifikasi laporan >> nth=-1")
    # Locking asks first, with the number of day records it will lock.
    dialog = page.locator("dialog.confirm-dialog")
    dialog.wait_for()
    rows = DayRecord.objects.filter(employee__unit=regency.unit, date="2026-11-02").count()
    assert f"mengunci {rows} rekap harian" in dialog.inner_text()
    assert not ReportVerification.objects.exists()
    page.click("#confirm-yes")
    page.wait_for_selector("#verification-status.msg-success")
    status = page.locator("#verification-status").inner_text()
    assert "Diverifikasi oleh Andi Operator" in status
    verification = ReportVerification.objects.get()
    assert verification.sha256 in status
    assert not DayRecord.objects.filter(employee__unit=regency.unit, locked=False).exists()
    context.close()


@pytest.mark.parametrize("size", [{"width": 360, "height": 640}, {"width": 1440, "height": 900}])
def test_the_english_report_explains_each_day_in_english(
    seeded, regency, chromium, live_server, size: dict[str, int]
) -> None:
    context = chromium.new_context(base_url=live_server.url, locale="en-US", viewport=size)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    log_in(page, "198806062012121001")
    page.goto("/laporan/?tanggal=2026-11-02")
    assert page.evaluate("document.documentElement.lang") == "en"
    table = page.locator("table.report-table").inner_text()
    assert "Checked in at 08:12 (42 minutes late → TL2), no check-out → PSW4." in table
    assert "Checked in at 07:25 (on time), checked out at 16:03 (on time)." in table
    assert "Absent without leave (TK)" in table
    assert not re.search(r"\b(Masuk|terlambat|tepat waktu|tidak presensi|Aturan)\b", table)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    shot(page, f"daily-report-en-{size['width']}")
    scroller = page.locator(".table-scroll")
    scroller.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    if os.environ.get("GOVEM_SHOTS_DIR"):  # the Keterangan column, scrolled into view
        scroller.screenshot(
            path=f"{os.environ['GOVEM_SHOTS_DIR']}/daily-report-en-{size['width']}-remarks.png"
        )
    context.close()
