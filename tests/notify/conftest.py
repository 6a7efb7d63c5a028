"""Real servers for the channels: the HTTP server that plays the WhatsApp/Telegram gateway and
the browsers' push service (tests.helpers.gateway); the SMTP server is tests/conftest.py's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.gateway import HttpSink, as_whatsapp_gateway, serving_sink


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    with serving_sink() as sink:
        yield sink


@pytest.fixture
def whatsapp(settings: Any, notify_settings: dict[str, Any], http_sink: HttpSink) -> HttpSink:
    return as_whatsapp_gateway(settings, notify_settings, http_sink)
