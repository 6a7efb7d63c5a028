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


# The years a date may name anywhere Govem takes one (pages, API, imports): a regency's
# attendance starts after 2000; a year like 0424 or 9999 is a typing or fuzzing accident.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def supported(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR
