"""Templates rendered with ``{placeholder}`` substitution only (no attribute access, no code)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from govem.notify.models import MessageTemplate

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def substitute(text: str, context: Mapping[str, object]) -> str:
    """Replace known ``{name}`` placeholders; unknown ones stay as written."""
    return _PLACEHOLDER.sub(
        lambda match: str(context[match[1]]) if match[1] in context else match[0], text
    )


def long_date(day: date) -> str:
    """30 November 2026"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_name(day: date) -> str:
    return DAYS[day.weekday()]


class TemplateMissing(LookupError):
    pass


def render(key: str, channel: str, context: Mapping[str, object]) -> tuple[str, str]:
    """(subject, body) from the channel's own template, else the one for every channel."""
    templates = {t.channel: t for t in MessageTemplate.objects.filter(key=key)}
    template = templates.get(channel) or templates.get(MessageTemplate.ANY)
    if template is None:
        raise TemplateMissing(key)
    return substitute(template.subject, context), substitute(template.body, context)
