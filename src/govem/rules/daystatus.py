"""Classify one employee-day: what happened and what it costs (DESIGN §2, issue 3).

Input: what was expected (a schedule, or a day-off code), the first counted check-in and the
last counted check-out, the approved absences covering the date, the rule row in force, the
counting start (the later of the regency's go-live date and the employee's own start) and
the current time (a workday is *closed* — settled — once its check-out closing time has passed).

- Before the counting start nothing is booked: no code, no deduction, "belum dihitung"
  (the punches are still shown), so a go-live never backfills TK for days before Govem.

- An approved full-day absence gives its code (CT, S, DL, …) and no lateness.
- No check-in on a workday is TL4; no check-out is PSW4, but only once the day has closed
  (before that the day is open); neither, without an approved absence, is TK — once closed.
- A part-of-day izin (datang terlambat / pulang cepat) moves the reference time to the
  permitted one, or excuses the lateness / early leave wholly when it carries no time.
- Work on a day off (L, CB) is recorded in the explanation, never penalised.
- The rule row's forms (see :mod:`govem.rules.bands`) decide the rounding of minutes, the
  minutes a missing punch books, TK per day or as a share of the month (``month_workdays``),
  the counted allowances (``allowance_used``) and the daily cap; every counted workday's
  explanation ends with the row that applied and what it did ("Aturan BAWAAN: TL2 1 %.").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from govem.rules.bands import (
    DEFAULT_RULES,
    PRESENT,
    TK,
    Deduction,
    MissingPunch,
    Rounding,
    Rules,
    booked_minutes,
    deduction,
    early_code,
    late_code,
    rounded_minutes,
    rule_note,
)
from govem.rules.codes import DAY_OFF
from govem.rules.schedule import DaySchedule


class Part(StrEnum):
    FULL_DAY = ""
    LATE_ARRIVAL = "late_arrival"  # izin datang terlambat
    EARLY_LEAVE = "early_leave"  # izin pulang cepat


@dataclass(frozen=True, slots=True)
class Absence:
    """An approved absence covering the date."""

    code: str
    name: str = ""
    part: Part = Part.FULL_DAY
    at: time | None = None  # permitted arrival (late) / departure (early), local wall time


@dataclass(frozen=True, slots=True)
class DayInput:
    local_date: date
    time_zone: str
    schedule: DaySchedule | None
    day_off_code: str | None = None
    day_off_reason: str = ""
    first_in: datetime | None = None
    last_out: datetime | None = None
    absences: tuple[Absence, ...] = ()
    now: datetime | None = None  # None: the day is treated as closed
    rules: Rules = DEFAULT_RULES
    counting_starts: date | None = None  # None: counted (no go-live date given)
    month_workdays: int | None = None  # the employee's working days in this month
    # Days of each code already booked earlier in this month (for counted allowances).
    allowance_used: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DayResult:
    codes: tuple[str, ...]
    late_minutes: int
    early_minutes: int
    deduction_pct: Decimal
    explanation: str
    closed: bool
    counted: bool = True  # False: before the counting start, nothing booked

    @property
    def status(self) -> str:
        """The first code, the one a list shows; "" while an open day has nothing yet."""
        return self.codes[0] if self.codes else ""


def _hm(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def is_closed(schedule: DaySchedule | None, local_date: date, zone: str, now: datetime) -> bool:
    """A workday closes at its check-out closing time; a day off at the next local midnight."""
    if schedule is not None:
        return now >= schedule.check_out_closes
    midnight = datetime.combine(local_date + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))
    return now >= midnight


def _reference(
    schedule: DaySchedule, absence: Absence | None, *, start: bool
) -> tuple[datetime | None, str]:
    """The time lateness (``start``) or early leave is measured against; ``None`` = excused."""
    base = schedule.start if start else schedule.end
    if absence is None:
        return base, ""
    label = "izin datang terlambat" if start else "izin pulang cepat"
    if absence.at is None:
        return None, label
    zone = schedule.zone
    permitted = datetime.combine(base.astimezone(zone).date(), absence.at, tzinfo=zone)
    moved = max(base, permitted) if start else min(base, permitted)
    word = "s.d." if start else "dari"
    return moved, f"{label} {word} {absence.at:%H:%M}"


def _minutes_text(minutes: int, code: str | None, word: str, fine: str) -> str:
    if code is None:
        return fine
    return f"{word} {minutes} menit → {code}"


def is_counted(local_date: date, counting_starts: date | None) -> bool:
    """Whether ``local_date`` is on or after the counting start (``None``: always)."""
    return counting_starts is None or local_date >= counting_starts


def counting_start(regency: date | None, employee: date | None) -> date | None:
    """The date counting starts for one employee: the later of the two that are set."""
    given = [day for day in (regency, employee) if day is not None]
    return max(given) if given else None


def classify(day: DayInput) -> DayResult:
    """The status codes, minutes, deduction and a one-line Indonesian explanation."""
    zone = ZoneInfo(day.time_zone)
    closed = day.now is None or is_closed(day.schedule, day.local_date, day.time_zone, day.now)
    rules = day.rules
    punches = []
    if day.first_in is not None:
        punches.append(f"masuk {_hm(day.first_in, zone)}")
    if day.last_out is not None:
        punches.append(f"pulang {_hm(day.last_out, zone)}")
    noted = f"; tercatat {', '.join(punches)}" if punches else ""

    if day.counting_starts is not None and day.local_date < day.counting_starts:
        text = f"Belum dihitung: presensi dihitung mulai {day.counting_starts:%d-%m-%Y}{noted}."
        return DayResult((), 0, 0, Decimal("0"), text, closed, counted=False)

    if day.schedule is None:
        code = day.day_off_code or DAY_OFF
        reason = day.day_off_reason or "Libur"
        worked = f" (bekerja, tidak dihitung{noted})" if punches else ""
        return DayResult((code,), 0, 0, Decimal("0"), f"{reason}{worked}.", closed)

    full = [a for a in day.absences if a.part is Part.FULL_DAY]
    if full:
        absence = full[0]
        absence_codes = (absence.code,)
        name = absence.name or absence.code
        cost = _cost(absence_codes, day)
        text = f"{name} ({absence.code}) disetujui{noted}. {rule_note(rules, cost)}"
        return DayResult(absence_codes, 0, 0, cost.pct, text, closed)

    schedule = day.schedule
    first_in = day.first_in
    last_out = day.last_out
    if first_in is not None and last_out is not None and last_out < first_in:
        last_out = None  # a check-out before the check-in is not a check-out
    late_izin = next((a for a in day.absences if a.part is Part.LATE_ARRIVAL), None)
    early_izin = next((a for a in day.absences if a.part is Part.EARLY_LEAVE), None)

    if first_in is None and last_out is None:
        if not closed:
            return DayResult((), 0, 0, Decimal("0"), "Belum ada presensi hari ini.", False)
        cost = _cost((TK,), day)
        text = (
            "Tidak masuk tanpa keterangan (TK): tidak ada presensi masuk maupun pulang. "
            + rule_note(rules, cost)
        )
        return DayResult((TK,), 0, 0, cost.pct, text, True)

    codes: list[str] = []
    late = early = 0
    scheduled = int((schedule.end - schedule.start).total_seconds() // 60)
    if first_in is None:
        codes.append(late_code(None, rules) or "")
        late = booked_minutes(rules, scheduled)
        in_text = "tidak presensi masuk → TL4" + _booked_text(late, rules)
    else:
        reference, izin = _reference(schedule, late_izin, start=True)
        late = (
            0 if reference is None else late_minutes_from(reference, first_in, rules.late_rounding)
        )
        tl = late_code(late, rules)
        if tl:
            codes.append(tl)
        fine = f"tepat waktu, {izin}" if izin else "tepat waktu"
        detail = _minutes_text(late, tl, "terlambat", fine)
        if izin and tl:
            detail += f", {izin}"
        in_text = f"masuk {_hm(first_in, zone)} ({detail})"

    if last_out is None:
        if closed:
            codes.append(early_code(None, rules) or "")
            early = booked_minutes(rules, scheduled)
            out_text = "tidak presensi pulang → PSW4" + _booked_text(early, rules)
        else:
            out_text = "belum presensi pulang"
    else:
        reference, izin = _reference(schedule, early_izin, start=False)
        early = (
            0
            if reference is None
            else early_minutes_until(reference, last_out, rules.early_rounding)
        )
        psw = early_code(early, rules)
        if psw:
            codes.append(psw)
        fine = f"tepat waktu, {izin}" if izin else "tepat waktu"
        detail = _minutes_text(early, psw, "lebih awal", fine)
        if izin and psw:
            detail += f", {izin}"
        out_text = f"pulang {_hm(last_out, zone)} ({detail})"

    if not codes:
        codes.append(PRESENT)
    result_codes = tuple(codes)
    cost = _cost(result_codes, day)
    text = f"{in_text}, {out_text}. {rule_note(rules, cost)}"
    return DayResult(
        result_codes,
        late,
        early,
        cost.pct,
        text[0].upper() + text[1:],
        closed,
    )


def _cost(codes: tuple[str, ...], day: DayInput) -> Deduction:
    return deduction(
        codes,
        day.rules,
        month_workdays=day.month_workdays,
        allowance_used=day.allowance_used,
    )


def _booked_text(minutes: int, rules: Rules) -> str:
    if not minutes:
        return ""
    how = (
        "setengah hari kerja" if rules.missing_punch is MissingPunch.HALF_DAY else "menurut aturan"
    )
    return f" (dicatat {minutes} menit, {how})"


def late_minutes_from(
    reference: datetime, first_in: datetime, rounding: Rounding = Rounding.FLOOR
) -> int:
    """Late minutes against ``reference`` (the start, or a permitted later arrival).

    ``Rounding.FLOOR`` (default): whole minutes after the start minute, 07:30:59 is on
    time and 07:31:00 is 1 minute; ``STARTED``: 07:30:01 is 1 minute."""
    return rounded_minutes((first_in - reference).total_seconds(), rounding)


def early_minutes_until(
    reference: datetime, last_out: datetime, rounding: Rounding = Rounding.STARTED
) -> int:
    """Early minutes against ``reference`` (the end, or a permitted earlier departure).

    ``Rounding.STARTED`` (default): 15:59:30 for 16:00 is 1 minute; ``FLOOR``: 0."""
    return rounded_minutes((reference - last_out).total_seconds(), rounding)


# --- the day updated in place by one punch -------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayFacts:
    """Everything a day's classification needs except its punches (the service's plan)."""

    local_date: date
    time_zone: str
    schedule: DaySchedule | None
    day_off_code: str | None = None
    day_off_reason: str = ""
    absences: tuple[Absence, ...] = ()
    counting_starts: date | None = None
    # The month's facts for the rule forms that need them (``Rules.needs_month``).
    month_workdays: int | None = None
    allowance_used: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DayState:
    """A day as stored: the first counted check-in, the last counted check-out, the result."""

    first_in: datetime | None
    last_out: datetime | None
    result: DayResult | None = None


@dataclass(frozen=True, slots=True)
class CountedPunch:
    """A punch as the day sees it: ``counts`` is False for a flagged (unreviewed) one."""

    kind: str  # "in" / "out"
    at: datetime
    counts: bool = True


def day_input(state: DayState, facts: DayFacts, rules: Rules, now: datetime | None) -> DayInput:
    return DayInput(
        local_date=facts.local_date,
        time_zone=facts.time_zone,
        schedule=facts.schedule,
        day_off_code=facts.day_off_code,
        day_off_reason=facts.day_off_reason,
        first_in=state.first_in,
        last_out=state.last_out,
        absences=facts.absences,
        now=now,
        rules=rules,
        counting_starts=facts.counting_starts,
        month_workdays=facts.month_workdays,
        allowance_used=facts.allowance_used,
    )


def apply_punch(
    day: DayState, punch: CountedPunch, plan: DayFacts, rules: Rules, *, now: datetime
) -> DayState:
    """The next state of ``day`` after ``punch`` (at ``now``), without reading other punches.

    The first counted check-in and the last counted check-out are a running minimum and
    maximum, so folding the punches one by one gives what :func:`classify` gives over all of
    them; a punch that does not count (flagged) only re-classifies the day at ``now``.
    """
    first_in, last_out = day.first_in, day.last_out
    if punch.counts and punch.kind == "in":
        first_in = punch.at if first_in is None else min(first_in, punch.at)
    elif punch.counts and punch.kind == "out":
        last_out = punch.at if last_out is None else max(last_out, punch.at)
    state = DayState(first_in, last_out)
    return DayState(first_in, last_out, classify(day_input(state, plan, rules, now)))
