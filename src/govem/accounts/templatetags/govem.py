"""Template filters of the shell: ``{{ value|svgnum }}`` and ``{{ value|num:1 }}``."""

from __future__ import annotations

from typing import Any

from django import template

from govem import l10n

register = template.Library()


@register.filter
def svgnum(value: Any) -> str:
    """A number for an SVG/JS attribute: always a dot decimal (never ``2,0``)."""
    return l10n.svg_number(value)


@register.filter
def num(value: Any, decimals: int = 0) -> str:
    """A number for text in the page's language (``1.234,5`` / ``1,234.5``)."""
    return l10n.number(value, int(decimals))
