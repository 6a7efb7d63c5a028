from __future__ import annotations

from typing import Any

from django import template

from govem.rules.tpp import rupiah_text, terbilang

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    """12345 → "Rp 12.345"; empty stays empty."""
    if value in (None, ""):
        return ""
    return rupiah_text(int(value))


@register.filter
def words(value: Any) -> str:
    return "" if value in (None, "") else f"{terbilang(int(value))} rupiah"
