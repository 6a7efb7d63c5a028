from __future__ import annotations

from typing import Any

import pytest

from tests.monitor.regency import Regency, build_regency


@pytest.fixture
def regency(unit: Any, office: Any, employee: Any, colleague: Any) -> Regency:
    return build_regency(unit, office, employee, colleague)
