from __future__ import annotations

from django import template

from govem.operations import texts

register = template.Library()


# A stored backup or phase error in the page's language (govem.operations.texts).
register.filter("said", texts.said)
