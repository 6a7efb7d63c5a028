"""Indonesian day and month names, and dates written out the Indonesian way.

One place for the pages, the messages and the printed documents (no Django, no PDF library).
"""

from __future__ import annotations

from datetime import date

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def long_date(day: date) -> str:
    """Senin, 2 November 2026."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """2 November 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_label(month: date) -> str:
    """November 2026."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def day_name(day: date) -> str:
    return DAYS[day.weekday()]
