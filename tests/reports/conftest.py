"""The reports' regency is the closed Monday (2 Nov 2026): tests.helpers.days.closed_monday."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.days import closed_monday


@pytest.fixture
def regency(unit: Any, office: Any, employee: Any, colleague: Any, december: Any) -> Any:
    """The reports' regency is the closed Monday (it replaces the shared one here)."""
    return closed_monday(unit, office, employee, colleague)
