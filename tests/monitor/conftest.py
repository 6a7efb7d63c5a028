from __future__ import annotations

from typing import Any

import pytest

from tests.monitor.regency import Regency, build_regency


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
