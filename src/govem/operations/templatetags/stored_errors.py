from __future__ import annotations

from django import template

from govem.operations import texts

register = template.Library()


@register.filter
def said(error: str) -> str:
    """A stored backup or phase error in the page's language (govem.operations.texts)."""
    return texts.said(error)
