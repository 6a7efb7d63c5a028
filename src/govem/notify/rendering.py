"""Templates rendered with ``{placeholder}`` substitution only (no attribute access, no code)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from govem.dates import day_name
from govem.dates import short_date as long_date  # messages say "30 November 2026"
from govem.notify.models import MessageTemplate

__all__ = ["TemplateMissing", "day_name", "long_date", "render", "substitute"]

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}([.,;:!?]?)")


def substitute(text: str, context: Mapping[str, object]) -> str:
    """Replace known ``{name}`` placeholders; unknown ones stay as written.

    A value is used as stored; when it ends with the punctuation mark that follows the
    placeholder ("Rahmat Hidayat, S.Kom." before "."), the mark is not doubled.
    """

    def value(match: re.Match[str]) -> str:
        if match[1] not in context:
            return match[0]
        text = str(context[match[1]])
        mark = match[2]
        return text if mark and text.endswith(mark) else text + mark

    return _PLACEHOLDER.sub(value, text)


class TemplateMissing(LookupError):
    pass


def render(key: str, channel: str, context: Mapping[str, object]) -> tuple[str, str]:
    """(subject, body) from the channel's own template, else the one for every channel."""
    templates = {t.channel: t for t in MessageTemplate.objects.filter(key=key)}
    template = templates.get(channel) or templates.get(MessageTemplate.ANY)
    if template is None:
        raise TemplateMissing(key)
    return substitute(template.subject, context), substitute(template.body, context)
