from __future__ import annotations

from datetime import date
from typing import Any

import pytest

FRIDAY = date(2026, 11, 27)


@pytest.fixture
def reachable(settings: Any) -> dict[str, Any]:
    """Messages go to WhatsApp only (the gateway is never called: nothing sends the outbox)."""
    settings.GOVEM_NOTIFY = {
        **settings.GOVEM_NOTIFY,
        "CHANNELS": ["whatsapp"],
        "WHATSAPP_URL": "http://127.0.0.1:9/send",
    }
    return settings.GOVEM_NOTIFY
