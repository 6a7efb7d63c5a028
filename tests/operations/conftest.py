from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from govem.operations import phases


@pytest.fixture
def extra_steps() -> Iterator[list[tuple[str, str]]]:
    """Steps a test registers are removed afterwards (the registry is process-wide)."""
    added: list[tuple[str, str]] = []
    saved = dict(phases._STEPS)
    yield added
    phases._STEPS.clear()
    phases._STEPS.update(saved)


@pytest.fixture
def only_steps(extra_steps: Any) -> Any:
    """Replace a phase's steps with the test's own for the duration of the test."""

    def use(phase: str, *steps: tuple[str, Any]) -> None:
        for key in [key for key in phases._STEPS if key[0] == phase]:
            del phases._STEPS[key]
        for order, (name, func) in enumerate(steps):
            phases.register_step(phase, name, func, order=order)

    return use


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
