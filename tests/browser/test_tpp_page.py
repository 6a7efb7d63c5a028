"""TPP in chromium: the employee reads the month's estimate on the Rekap (phone size), the
operator opens the unit's TPP list and downloads the PDF for BPKAD.

With GOVEM_SHOTS_DIR set, the pages are also saved there as PNG (360×640 and 1440×900).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from tests.helpers.pages import log_in as _login
from tests.helpers.pages import shot as _shot
from tests.seeds import reseed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000


@pytest.fixture
def seeded(transactional_db: Any) -> None:
    reseed()


def test_the_employee_and_the_operator_see_the_month_in_rupiah(
    seeded: None,
    hand_month: Any,
    chromium: Any,
    live_server: Any,
    tmp_path: Path,
) -> None:
    phone = chromium.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 360, "height": 640}
    )
    page = phone.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, hand_month.employee.nip)
    page.goto("/rekap/?bulan=2026-11")
    estimate = page.locator("#tpp")
    text = estimate.inner_text()
    assert "Rp 3.225.000" in text and "tiga juta dua ratus dua puluh lima ribu" in text
    assert "Rp 1.075.000" in text and "800/12/BKPSDM/2026" in text
    _shot(page, "rekap-tpp-360")
    wide = page.evaluate(
        "Math.max(...[...document.querySelectorAll('#tpp *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert wide <= 360 + 1, f"the TPP estimate runs past 360 px ({wide} px)"
    phone.close()

    desk = chromium.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": 1440, "height": 900},
        accept_downloads=True,
    )
    page = desk.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, "198806062012121001")  # the unit's operator
    page.goto("/tpp/")
    page.fill("input[name=bulan]", "2026-11")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"bulan=2026-11"))
    table = page.locator("table.tpp-table").inner_text()
    assert "Rahmat Hidayat" in table and "3.225.000" in table
    _shot(page, "tpp-report-1440")
    with page.expect_download() as download:
        page.click("a[data-format=pdf]")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "tpp-2026-11-diskominfo.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    if os.environ.get("GOVEM_SHOTS_DIR"):
        (Path(os.environ["GOVEM_SHOTS_DIR"]) / saved.name).write_bytes(saved.read_bytes())
    desk.close()
