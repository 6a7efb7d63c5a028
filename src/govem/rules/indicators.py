"""Arithmetic of the innovation report: rates, medians of durations, change against a baseline.

Rates are percentages with one decimal, rounded half up; ``None`` when there is nothing to
divide by (a month without check-ins has no on-time rate, it is not 0 %).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

ONE_DECIMAL = Decimal("0.1")


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal; None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def median_hours(durations: Iterable[timedelta]) -> Decimal | None:
    """The median duration in hours, one decimal; None without any."""
    seconds = [item.total_seconds() for item in durations]
    if not seconds:
        return None
    hours = Decimal(str(median(seconds))) / 3600
    return hours.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def change(value: Decimal | int | None, baseline: Decimal | int | None) -> Decimal | None:
    """``value`` − ``baseline`` (same unit); None when either is missing."""
    if value is None or baseline is None:
        return None
    return Decimal(value) - Decimal(baseline)


def first_full_month(go_live: date) -> date:
    """The first month after go-live: the go-live month if it starts on the 1st, else the next."""
    if go_live.day == 1:
        return go_live
    index = go_live.year * 12 + go_live.month  # the next month, zero-based
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The firsts of the months from ``first``'s to ``last``'s, inclusive."""
    months = []
    index = first.year * 12 + first.month - 1
    end = last.year * 12 + last.month - 1
    while index <= end:
        months.append(date(index // 12, index % 12 + 1, 1))
        index += 1
    return months
