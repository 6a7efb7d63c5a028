from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.monitor.regency import Regency, build_regency

FALLBACK = Path(__file__).parent / "fallback_templates"


@pytest.fixture(autouse=True)
def _base_template() -> Any:
    """Until the employee pages' base.html lands, render against a minimal one."""
    base = Path(settings.BASE_DIR) / "templates" / "base.html"
    if base.exists():
        yield
        return
    from django.test import override_settings

    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], FALLBACK]
    with override_settings(TEMPLATES=templates):
        yield


@pytest.fixture
def regency(unit: Any, office: Any, employee: Any, colleague: Any) -> Regency:
    return build_regency(unit, office, employee, colleague)
