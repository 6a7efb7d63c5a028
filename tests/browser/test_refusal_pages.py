"""Refusals that moved from the services to the pages, in chromium: an operator naming a unit
outside their scope gets the event form back (404, the message at the form, what was typed
kept); a role that may not import the TPP pagu gets the page's message (403).

With GOVEM_SHOTS_DIR set, the pages are saved there as PNG at 360×640 and 1440×900."""

from __future__ import annotations

from typing import Any

import pytest
from tests.helpers.pages import log_in as _login
from tests.helpers.pages import shot as _shot
from tests.seeds import reseed

from govem.events.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TIMEOUT_MS = 15_000
SIZES = {"360": {"width": 360, "height": 640}, "1440": {"width": 1440, "height": 900}}


def _logged_in(chromium: Any, live_server: Any, size: str, username: str) -> tuple[Any, Any]:
    """A fresh Indonesian browser context at ``size``, logged in as ``username``."""
    context = chromium.new_context(base_url=live_server.url, locale="id-ID", viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _login(page, username)
    return context, page


@pytest.fixture
def seeded(transactional_db: Any) -> None:
    reseed()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_an_event_for_a_unit_outside_the_scope_comes_back_as_typed(
    seeded: None, regency: Any, chromium: Any, live_server: Any, size: str
) -> None:
    context, page = _logged_in(chromium, live_server, size, regency.operator.username)
    page.goto("/acara/")
    page.fill("input[name=nama]", "Apel gabungan")
    page.fill("input[name=tanggal]", "2026-11-17")
    page.fill("input[name=buka]", "07:00")
    page.fill("input[name=tutup]", "08:00")
    page.fill("input[name=lintang]", "-2.94")
    page.fill("input[name=bujur]", "115.16")
    page.fill("input[name=radius]", "150")
    # A tampered form: the picker only offers the operator's units.
    page.evaluate(
        """(id) => { const s = document.querySelector('select[name=unit]');
                     s.add(new Option('lain', id, true, true)); }""",
        str(regency.other_unit.pk),
    )
    with page.expect_response(lambda r: r.url.endswith("/acara/")) as answer:
        page.click("#event-form button[type=submit]")
    assert answer.value.status == 404
    alert = page.locator("[role=alert]").first
    assert "Unit kerja yang dipilih tidak ditemukan dalam cakupan Anda." in alert.inner_text()
    assert page.input_value("input[name=nama]") == "Apel gabungan"
    assert not Event.objects.exists()
    _shot(page, f"event-unit-outside-scope-{size}")
    context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_pagu_import_refuses_an_operator_with_the_reason(
    seeded: None, regency: Any, chromium: Any, live_server: Any, size: str
) -> None:
    context, page = _logged_in(chromium, live_server, size, regency.operator.username)
    response = page.goto("/tpp/pagu/")
    assert response is not None and response.status == 403
    alert = page.locator("[role=alert][data-code=forbidden]")
    assert alert.inner_text() == "Hanya Tim IT yang dapat mengimpor pagu TPP."
    _shot(page, f"tpp-pagu-refused-{size}")
    context.close()
