"""Clarification cases (SOP step 5): which gap a day has, and what an outcome files.

The service (:mod:`govem.absences.clarifications`) reads the day records and writes the
cases; this decides, from the record's plain facts, which kind of case a day needs — once the
day is settled, or earlier while it is open but the gap is already certain — how a case whose
gap disappeared is closed, and which absence type an operator's outcome files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from govem.rules.codes import PRESENT, TK
from govem.rules.texts import Text, gettext_noop

CHECKOUT_GRACE = timedelta(minutes=30)  # the close phase: end + 30 min (SOP step 6)


class GapKind(StrEnum):
    """The case kinds (``Clarification.Kind``'s values)."""

    NO_CHECK_IN = "no_check_in"
    NO_CHECK_OUT = "no_check_out"
    TK = "tk"


class Outcome(StrEnum):
    """The outcomes (``Clarification.Outcome``'s values)."""

    FORGOT = "forgot"
    TECHNICAL = "technical"
    SICK = "sick"
    DUTY = "duty"
    UNREACHABLE = "unreachable"
    UNEXCUSED = "unexcused"
    RESOLVED = "resolved"  # only ever set by Govem itself, never by an operator


OPERATOR_OUTCOMES = frozenset(outcome for outcome in Outcome if outcome is not Outcome.RESOLVED)

# An excusing outcome files an approved request of this absence type in the same step.
OUTCOME_TYPES = {
    Outcome.FORGOT: "AT",
    Outcome.TECHNICAL: "AT",
    Outcome.SICK: "S",
    Outcome.DUTY: "DL",
}


class DayFacts(Protocol):
    """What a day record tells about the gap (``DayRecord``'s fields)."""

    @property
    def workday(self) -> bool: ...
    @property
    def counted(self) -> bool: ...
    @property
    def status(self) -> str: ...
    @property
    def codes(self) -> list[str] | None: ...
    @property
    def first_in(self) -> datetime | None: ...
    @property
    def last_out(self) -> datetime | None: ...
    @property
    def expected_end(self) -> datetime | None: ...


def settled_gap(record: DayFacts) -> GapKind | None:
    """The gap of a settled day record, or ``None`` (no gap, a day off, not counted)."""
    if not record.workday or not record.counted:
        return None
    if record.status == TK:
        return GapKind.TK
    if record.first_in is None and record.last_out is not None:
        return GapKind.NO_CHECK_IN
    if record.first_in is not None and record.last_out is None:
        return GapKind.NO_CHECK_OUT
    return None


def known_gap(record: DayFacts, now: datetime) -> GapKind | None:
    """The gap of a day still open, when it is already certain enough to ask about."""
    if not record.workday or not record.counted or record.expected_end is None:
        return None
    if record.first_in is None and not record.codes and now >= record.expected_end:
        return GapKind.NO_CHECK_IN  # work is over and nothing recorded yet
    if (
        record.first_in is not None
        and record.last_out is None
        and now >= record.expected_end + CHECKOUT_GRACE
    ):
        return GapKind.NO_CHECK_OUT
    return None


RECORDED_AS = gettext_noop("Hari ini tercatat %(status)s; kasus ditutup otomatis.")
RECORDED_LATER = gettext_noop("Presensi tercatat kemudian; kasus ditutup otomatis.")
CHECKED_OUT = gettext_noop("Presensi pulang %(time)s tercatat; kasus ditutup otomatis.")
# The notes Govem writes itself when it closes a case: stored as the Indonesian sentence,
# read back with govem.rules.texts.parse to be shown in the reader's language.
AUTOMATIC_NOTES = (RECORDED_AS, RECORDED_LATER, CHECKED_OUT)


def resolved_note(record: DayFacts) -> Text:
    """The note a case closed by Govem carries: why its gap is gone (Indonesian, stored)."""
    if record.status and record.status not in {PRESENT, TK} and record.first_in is None:
        return Text(RECORDED_AS, status=record.status)
    return Text(RECORDED_LATER)


def checkout_note(at: str) -> Text:
    """The note of a "no check-out" case closed by the check-out at ``at`` (HH:MM)."""
    return Text(CHECKED_OUT, time=at)


@dataclass(frozen=True, slots=True)
class OutcomeRefusal:
    code: str
    message: str
    field: str


def outcome_refusal(outcome: str) -> OutcomeRefusal | None:
    """An operator records one of :data:`OPERATOR_OUTCOMES`; anything else is refused."""
    if outcome not in {value.value for value in OPERATOR_OUTCOMES}:
        return OutcomeRefusal(
            "invalid_input", Text(gettext_noop("Hasil klarifikasi tidak dikenal.")), "outcome"
        )
    return None
