"""Templates rendered with ``{placeholder}`` substitution only (no attribute access, no code)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from govem.dates import day_name
from govem.dates import short_date as long_date  # messages say "30 November 2026"
from govem.notify.models import MessageTemplate

__all__ = ["TemplateMissing", "day_name", "long_date", "render", "substitute"]

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def substitute(text: str, context: Mapping[str, object]) -> str:
    """Replace known ``{name}`` placeholders; unknown ones stay as written."""
    return _PLACEHOLDER.sub(
        lambda match: str(context[match[1]]) if match[1] in context else match[0], text
    )


class TemplateMissing(LookupError):
    pass


def render(key: str, channel: str, context: Mapping[str, object]) -> tuple[str, str]:
    """(subject, body) from the channel's own template, else the one for every channel."""
    templates = {t.channel: t for t in MessageTemplate.objects.filter(key=key)}
    template = templates.get(channel) or templates.get(MessageTemplate.ANY)
    if template is None:
        raise TemplateMissing(key)
    return substitute(template.subject, context), substitute(template.body, context)
