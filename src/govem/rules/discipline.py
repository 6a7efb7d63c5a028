"""The discipline ladder of PP 94/2021 art. 11 for unexcused absence (DESIGN §2).

Unexcused days (TK) accumulate per calendar year; late and early minutes are added as days,
7.5 hours (450 minutes) counting as one day (PP 53/2010 practice), whole days only. Ten
consecutive TK working days lead to dismissal whatever the total (days off in between do
not break the run; a working day with any other status does). The ten-day rule has no
"within one year" (PP 94/2021 art. 11(2)(d) reads "10 hari kerja berturut-turut"), so a run
is counted across months and across the year boundary: ``carried`` is the run that was
still going when the period began (21 Dec – 8 Jan is one run, not two).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

MINUTES_PER_DAY = 450  # 7.5 h
CONSECUTIVE_DISMISSAL = 10


@dataclass(frozen=True, slots=True)
class Level:
    rank: int
    min_days: int
    code: str
    name: str  # Indonesian, as in the regulation


LADDER: tuple[Level, ...] = (
    Level(1, 3, "teguran_lisan", "Teguran lisan"),
    Level(2, 4, "teguran_tertulis", "Teguran tertulis"),
    Level(3, 7, "pernyataan_tidak_puas", "Pernyataan tidak puas secara tertulis"),
    Level(4, 11, "tpp_25_6", "Pemotongan TPP 25% selama 6 bulan"),
    Level(5, 14, "tpp_25_9", "Pemotongan TPP 25% selama 9 bulan"),
    Level(6, 17, "tpp_25_12", "Pemotongan TPP 25% selama 12 bulan"),
    Level(7, 21, "penurunan_jabatan", "Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    Level(8, 25, "pembebasan_jabatan", "Pembebasan dari jabatan menjadi jabatan pelaksana"),
    Level(9, 28, "pemberhentian", "Pemberhentian dengan hormat tidak atas permintaan sendiri"),
)
DISMISSAL = LADDER[-1]


class DayKind(StrEnum):
    TK = "tk"  # a working day without valid reason
    OTHER = "other"  # a working day with any other status (present, leave, ...)
    OFF = "off"  # not a working day: does not break a run of TK days


def unexcused_days(tk_days: int, late_minutes: int, early_minutes: int) -> int:
    """TK days plus late + early minutes as whole days (450 minutes = 1 day)."""
    return tk_days + (late_minutes + early_minutes) // MINUTES_PER_DAY


def longest_tk_run(days: Iterable[DayKind], carried: int = 0) -> int:
    """The longest run of consecutive TK working days, in date order.

    ``carried``: TK working days that ended the period before (see :func:`trailing_tk_run`);
    they count in a run that goes on in this period (and alone when nothing breaks them).
    """
    longest = current = max(0, carried)
    for kind in days:
        if kind is DayKind.TK:
            current += 1
            longest = max(longest, current)
        elif kind is DayKind.OTHER:
            current = 0
    return longest


def trailing_tk_run(days: Iterable[DayKind]) -> int:
    """The run of TK working days still going at the end of ``days`` (0 if it was broken)."""
    current = 0
    for kind in days:
        if kind is DayKind.TK:
            current += 1
        elif kind is DayKind.OTHER:
            current = 0
    return current


def level_for(days: int, consecutive_tk: int = 0) -> Level | None:
    """The ladder level for ``days`` unexcused days in the year (None below 3)."""
    if consecutive_tk >= CONSECUTIVE_DISMISSAL:
        return DISMISSAL
    reached = [level for level in LADDER if days >= level.min_days]
    return reached[-1] if reached else None


@dataclass(frozen=True, slots=True)
class Standing:
    days: int
    longest_run: int
    level: Level | None


def standing(tk_days: int, late_minutes: int, early_minutes: int, run: int) -> Standing:
    days = unexcused_days(tk_days, late_minutes, early_minutes)
    return Standing(days, run, level_for(days, run))


def crossed(before: Standing, after: Standing) -> bool:
    """True when ``after`` stands on a higher level than ``before``."""
    rank_before = before.level.rank if before.level else 0
    rank_after = after.level.rank if after.level else 0
    return rank_after > rank_before
