from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from govem.attendance.days import pct_text
from govem.attendance.explain import explanation

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """1.500 → "1,5" (Indonesian decimal comma)."""
    if value in (None, ""):
        return ""
    return pct_text(Decimal(value)).replace(".", ",")


@register.filter
def codes(value: Any) -> str:
    return " ".join(value or []) or "—"


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def explain(day: Any) -> str:
    """The day's explanation in the page's language (govem.attendance.explain)."""
    return explanation(day)
