from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from tests.monitor.regency import Regency, build_regency

FALLBACK = Path(__file__).parent / "fallback_templates"


@pytest.fixture(autouse=True)
def _base_template() -> Any:
    """Until the employee pages' base.html lands, render against a minimal one."""
    base = Path(django_settings.BASE_DIR) / "templates" / "base.html"
    if base.exists():
        yield
        return
    from django.test import override_settings

    templates = [dict(django_settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], FALLBACK]
    with override_settings(TEMPLATES=templates):
        yield


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: Any) -> Any:
    """Cheap password hashing for the many role users; no tile counts cached across tests."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regency(unit: Any, office: Any, employee: Any, colleague: Any) -> Regency:
    return build_regency(unit, office, employee, colleague)
