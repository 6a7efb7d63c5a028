"""The dashboard, open in chromium on server A, shows a punch made on server B within 2 s.

Two separate `govem serve` processes share one SQLite database (WAL) and nothing else: the
update can only travel through the database, as in a multi-machine deployment.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from tests.helpers.live_servers import prepare, punch, servers

pytestmark = [pytest.mark.browser, pytest.mark.server]


def test_it_shows_a_punch_from_another_server_within_two_seconds(tmp_path: Path, chromium) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    setup = prepare(data_dir, employees=1)
    with servers(data_dir, count=2) as (server_a, server_b):
        context = chromium.new_context(base_url=server_a, locale="id-ID")
        context.add_cookies([{"name": "sessionid", "value": setup["session"], "url": server_a}])
        page = context.new_page()
        page.goto("/monitor/")
        assert page.locator("h1").first.inner_text() == "Monitoring presensi"
        page.wait_for_function("() => document.visibilityState === 'visible'")

        receipt = punch(server_b, setup["tokens"][0], key=f"browser-{uuid.uuid4()}")
        started = time.monotonic()
        assert "id" in receipt, receipt
        page.wait_for_selector(f'#feed [data-punch-id="{receipt["id"]}"]', timeout=2000)
        elapsed = time.monotonic() - started
        assert elapsed < 2.0
        item = page.locator(f'#feed [data-punch-id="{receipt["id"]}"]')
        assert "Pegawai 00000" in item.inner_text()
        context.close()
