"""Issue 13's pages in chromium at 360×640 and 1440×900, under a frozen clock: the
employee's Pengajuan page with the annual leave balance and how it was reached (PP 11/2017),
and the operator's Rekap with the TK run carried across the year boundary (PP 94/2021
art. 11(2)(d)). With GOVEM_SHOTS_DIR set, each page is also saved there as PNG."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from tests.conftest import LATER, PASSWORD
from tests.helpers.days import lay
from tests.helpers.pages import log_in as _login
from tests.helpers.pages import shot as _shot
from tests.seeds import reseed

from govem.attendance.days import recompute_days
from govem.schedules.models import UnitCalendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000
SIZES = ({"width": 360, "height": 640}, {"width": 1440, "height": 900})


def _widest(page: Any, selector: str) -> float:
    return float(
        page.evaluate(
            f"Math.max(...[...document.querySelectorAll('{selector}, {selector} *')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
    )


@pytest.fixture(autouse=True)
def seeded(transactional_db: Any) -> None:
    reseed()  # the migrations' rows (absence types, schedules, roles), flushed between tests


@pytest.fixture
def frozen_december() -> Iterator[Any]:
    with time_machine.travel(LATER, tick=False) as traveller:
        yield traveller


def test_the_pengajuan_page_shows_the_balance_and_its_derivation(
    frozen_december: Any, employee: Any, chromium: Any, live_server: Any
) -> None:
    # NIP 198705122010011003: TMT 01-01-2010; no leave in 2024 or 2025 → 24 days (ps. 312(3));
    # the unit keeps its own calendar, so the 8 cuti bersama of 2026 come back (ps. 333(3)).
    UnitCalendar.objects.create(unit=employee.unit)
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", viewport=SIZES[0])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, employee.nip)
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/pengajuan/")
        section = page.locator("#leave-balance")
        section.scroll_into_view_if_needed()
        section.locator("summary").click()
        text = section.inner_text()
        assert "Sisa cuti tahunan 2026" in text
        assert "32 hari kerja" in text
        assert "hak 12 + dibawa 12 + pengganti cuti bersama 8 − terpakai 0" in text
        steps = section.locator("ol.derivation li").all_inner_texts()
        assert steps[0] == "TMT 01-01-2010 (dari NIP digit 9–14)."
        assert any("PP 11/2017 ps. 312 ayat (3)" in step for step in steps)
        assert any("PP 11/2017 ps. 333 ayat (3)" in step for step in steps)
        assert steps[-1] == "Sisa: 32 hari kerja."
        assert section.locator("ol.derivation").is_visible()
        assert _widest(page, "#leave-balance") <= size["width"] + 1
        _shot(page, f"pengajuan-saldo-cuti-{size['width']}x{size['height']}")
    context.close()


def test_the_operator_sees_the_run_across_the_new_year(
    regency: Any, chromium: Any, live_server: Any
) -> None:
    with time_machine.travel(datetime(2027, 1, 20, 4, 0, tzinfo=UTC), tick=False):
        employee = regency.employee
        day = date(2026, 12, 1)
        while day <= date(2027, 1, 19):
            if not date(2026, 12, 21) <= day <= date(2027, 1, 8) and day.weekday() < 5:
                lay(employee, day, 7, 20, "in")
                lay(employee, day, 16, 40, "out")
            day += timedelta(days=1)
        recompute_days([employee.pk], date(2026, 12, 1), date(2027, 1, 19))
        context = chromium.new_context(base_url=live_server.url, locale="id-ID", viewport=SIZES[0])
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        _login(page, regency.operator.username)
        for size in SIZES:
            page.set_viewport_size(size)
            page.goto("/rekap/?bulan=2027-01")
            row = page.locator("section[aria-labelledby=discipline-title] tbody tr").first
            cells = row.locator("td").all_inner_texts()
            assert cells[0] == employee.name
            assert cells[2:4] == ["0 → 4", "11"]
            assert cells[4].startswith("Pemberhentian")
            _shot(page, f"rekap-tk-lintas-tahun-{size['width']}x{size['height']}")
        context.close()


def test_the_rule_table_form_refuses_a_malformed_allowance(
    frozen_december: Any, chromium: Any, live_server: Any
) -> None:
    from django.contrib.auth import get_user_model

    from govem.attendance.models import RuleSet

    get_user_model().objects.create_superuser("tim-it-aturan", password=PASSWORD)
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", viewport=SIZES[0])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto("/admin/login/")
    page.fill("input[name=username]", "tim-it-aturan")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto("/admin/attendance/ruleset/add/")
        page.fill("input[name=code]", "PERBUP-X")
        page.fill("input[name=name]", "Perbup uji")
        page.fill("input[name=valid_from]", "2026-11-01")
        for field in ("tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4", "tk"):
            page.fill(f"input[name={field}_pct]", "1")
        page.fill("input[name=monthly_cap_pct]", "100")
        page.fill("textarea[name=allowances]", '{"S": "dua"}')
        page.click("input[name=_save]")
        error = page.locator(".field-allowances .errorlist")
        assert error.inner_text() == 'Nilai S harus bilangan bulat hari 0–31, mis. {"S": 2}.'
        error.scroll_into_view_if_needed()
        _shot(page, f"admin-aturan-ditolak-{size['width']}x{size['height']}")
    assert not RuleSet.objects.filter(code="PERBUP-X").exists()
    context.close()
