from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

FALLBACK = Path(__file__).parent / "fallback_templates"


@pytest.fixture(autouse=True)
def _base_template() -> Any:
    """Until the shared base.html lands, render the year view against a minimal one."""
    base = Path(django_settings.BASE_DIR) / "templates" / "base.html"
    if base.exists():
        yield
        return
    from django.test import override_settings

    templates = [dict(django_settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], FALLBACK]
    with override_settings(TEMPLATES=templates):
        yield
