"""The day-record status codes, one spelling for every reader (console, evaluation, recap).

A day record lists its codes (``DayRecord.codes``): ``H`` present on time, ``TL1``–``TL4``
late by band, ``PSW1``–``PSW4`` early by band, ``TK`` absent without leave, an absence type's
code (C, S, I, DL, TB, AT, …) or a day off (``L`` weekend/holiday, ``CB`` cuti bersama,
``LIBUR`` a roster's day off).
"""

from __future__ import annotations

from collections.abc import Iterable

PRESENT = "H"
LATE_CODES = ("TL1", "TL2", "TL3", "TL4")
EARLY_CODES = ("PSW1", "PSW2", "PSW3", "PSW4")
TK = "TK"
DAY_OFF = "L"
CUTI_BERSAMA = "CB"
ROSTER_OFF = "LIBUR"

DAY_OFF_CODES = frozenset({DAY_OFF, CUTI_BERSAMA, ROSTER_OFF})
# Codes that describe a check-in/out (or its absence), not a reason for being away.
PRESENCE_CODES = frozenset({PRESENT, *LATE_CODES, *EARLY_CODES, TK})


def absence_code(codes: Iterable[str]) -> str:
    """The code that explains an absence or a day off (C, S, I, DL, TB, AT, L, CB…), or ""."""
    for code in codes:
        if code not in PRESENCE_CODES:
            return code
    return ""


def is_late(codes: Iterable[str]) -> bool:
    return any(code in LATE_CODES for code in codes)


def is_early(codes: Iterable[str]) -> bool:
    return any(code in EARLY_CODES for code in codes)


def is_absent(codes: Iterable[str]) -> bool:
    return TK in codes
