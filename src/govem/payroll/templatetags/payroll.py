from __future__ import annotations

from typing import Any

from django import template

from govem.payroll.report import MONEY
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


@register.filter
def money_cell(value: Any, index: int) -> str:
    """A report cell: Rupiah columns with thousands dots, the rest as they are."""
    if value in (None, ""):
        return "" if index not in MONEY else "–"
    if index in MONEY:
        return f"{int(value):,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)
