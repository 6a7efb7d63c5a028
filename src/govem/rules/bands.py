"""Late / early bands and TPP deductions (DESIGN §2): a dated rule table, kept as data.

Each regency (and each new Perbup) sets its own limits and percentages, so a
:class:`Rules` value carries them, with the dates it is valid for (and optionally the unit it
is for); :func:`rules_on` picks the one in force on a date. The defaults are the typical
Perbup figures: TL1 1–30 min, TL2 31–60, TL3 61–90, TL4 > 90 (or no check-in), the same for
PSW (PSW4 also for no check-out); 0.5 / 1 / 1.25 / 1.5 % per occurrence; TK 3 % per day;
monthly cap 100 %.

The rule forms regencies use (docs/ledger.md has an example month of each):

- TK as a fixed % per day (``TkMode.PER_DAY``, the default) or as a share of the month
  (``TkMode.MONTH_SHARE``: ``tk_month_pct`` ÷ the month's working days, e.g. Kota
  Banjarmasin's 100 % ÷ 20 = 5.00 %, ÷ 23 = 4.35 %; two decimals, half up);
- late and early minutes rounded down to whole minutes (``Rounding.FLOOR``; Banjarmasin for
  both, ``asrani27/absensi`` app/Jobs/HitungTerlambat.php) or with a started minute counting
  (``Rounding.STARTED``); the defaults: late floor (07:30:59 is on time), early started;
- minutes booked for a missing check-in / check-out, for the discipline count (PP 94/2021:
  7.5 hours = 1 day): none (default), a fixed number, or half the scheduled day (Banjarmasin
  books 255 min on a 07:30–16:00 day, 105 on its 07:30–11:00 Friday);
- a cap on one day's deduction (``daily_cap_pct``, none by default);
- counted allowances: the first N days a month of a code cost nothing (``allowances``, e.g.
  ``{"S": 2}``: sakit without a letter free up to two days a month).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from govem.rules.codes import EARLY_CODES, LATE_CODES, PRESENT, TK

__all__ = ["EARLY_CODES", "LATE_CODES", "PRESENT", "TK"]  # re-exported: the bands' codes


def _pcts(*values: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    a, b, c, d = (Decimal(v) for v in values)
    return (a, b, c, d)


class TkMode(StrEnum):
    PER_DAY = "per_day"  # tk_pct for every TK day
    MONTH_SHARE = "month_share"  # tk_month_pct ÷ the month's working days


class Rounding(StrEnum):
    FLOOR = "floor"  # whole minutes: 59 s is 0 minutes
    STARTED = "started"  # a started minute counts: 1 s is 1 minute


class MissingPunch(StrEnum):
    NONE = "none"  # a missing check-in / check-out books no minutes
    FIXED = "fixed"  # books ``missing_punch_minutes``
    HALF_DAY = "half_day"  # books half the scheduled day (end − start) ÷ 2, whole minutes


@dataclass(frozen=True, slots=True)
class Rules:
    """One row of the rule table: band limits, deduction per code, monthly cap, validity,
    and the rule forms (TK mode, rounding, booked minutes, daily cap, allowances)."""

    valid_from: date = date(2000, 1, 1)
    valid_to: date | None = None
    id: int | None = None
    code: str = "BAWAAN"
    band1_max: int = 30  # minutes; 1..band1_max → band 1
    band2_max: int = 60
    band3_max: int = 90  # above → band 4
    late_pct: tuple[Decimal, Decimal, Decimal, Decimal] = field(
        default_factory=lambda: _pcts("0.5", "1", "1.25", "1.5")
    )
    early_pct: tuple[Decimal, Decimal, Decimal, Decimal] = field(
        default_factory=lambda: _pcts("0.5", "1", "1.25", "1.5")
    )
    tk_pct: Decimal = Decimal("3")
    monthly_cap_pct: Decimal = Decimal("100")
    # Deduction for an approved absence code (e.g. a regency that cuts TPP on cuti sakit),
    # and for a missed mandatory event (code TAP; 0 until the regency sets one).
    absence_pct: Mapping[str, Decimal] = field(default_factory=dict)
    unit_id: int | None = None  # None: the whole regency; else this unit and its sub-units
    unit_path: str = ""  # the unit's tree path ("/1/4/"), to find the nearest row
    tk_mode: TkMode = TkMode.PER_DAY
    tk_month_pct: Decimal = Decimal("100")
    late_rounding: Rounding = Rounding.FLOOR
    early_rounding: Rounding = Rounding.STARTED
    missing_punch: MissingPunch = MissingPunch.NONE
    missing_punch_minutes: int = 0
    daily_cap_pct: Decimal | None = None
    allowances: Mapping[str, int] = field(default_factory=dict)  # code → free days a month
    # TPP shares (govem.rules.tpp): discipline 40 % / productivity 60 % (Kepmendagri
    # 061-5449/2019), the productivity target 6,750 activity minutes (Kota Banjarmasin).
    tpp_attendance_pct: Decimal = Decimal("40")
    tpp_productivity_pct: Decimal = Decimal("60")
    productivity_target_minutes: int = 6750

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def limits(self) -> tuple[int, int, int]:
        return (self.band1_max, self.band2_max, self.band3_max)

    @property
    def needs_month(self) -> bool:
        """Whether a day's deduction depends on the rest of its month (the recompute then
        works on whole months)."""
        return self.tk_mode is TkMode.MONTH_SHARE or bool(self.allowances)


DEFAULT_RULES = Rules()


def band(minutes: int, rules: Rules = DEFAULT_RULES) -> int:
    """0 for on time, else 1–4: TL1 1–30, TL2 31–60, TL3 61–90, TL4 > 90 (by default)."""
    if minutes <= 0:
        return 0
    for number, limit in enumerate(rules.limits(), start=1):
        if minutes <= limit:
            return number
    return 4


def late_code(minutes: int | None, rules: Rules = DEFAULT_RULES) -> str | None:
    """The TL code for ``minutes`` late; ``None`` (no check-in) is TL4."""
    if minutes is None:
        return LATE_CODES[3]
    number = band(minutes, rules)
    return LATE_CODES[number - 1] if number else None


def early_code(minutes: int | None, rules: Rules = DEFAULT_RULES) -> str | None:
    """The PSW code for ``minutes`` early; ``None`` (no check-out) is PSW4."""
    if minutes is None:
        return EARLY_CODES[3]
    number = band(minutes, rules)
    return EARLY_CODES[number - 1] if number else None


def code_pct(code: str, rules: Rules = DEFAULT_RULES) -> Decimal:
    """The deduction one occurrence of ``code`` costs (0 for H, L, CB and unlisted codes)."""
    if code in LATE_CODES:
        return rules.late_pct[LATE_CODES.index(code)]
    if code in EARLY_CODES:
        return rules.early_pct[EARLY_CODES.index(code)]
    if code == TK:
        return rules.tk_pct
    return rules.absence_pct.get(code, Decimal("0"))


def day_deduction(codes: Iterable[str], rules: Rules = DEFAULT_RULES) -> Decimal:
    return sum((code_pct(code, rules) for code in codes), Decimal("0"))


CENT = Decimal("0.01")


def pct_words(value: Decimal) -> str:
    """1.250 → "1,25 %", 5 → "5 %" (Indonesian decimal comma)."""
    text = format(Decimal(value).normalize(), "f")
    return f"{text.replace('.', ',')} %"


def tk_day_pct(rules: Rules, month_workdays: int | None) -> Decimal:
    """What one TK day costs: the fixed % per day, or the share of the month."""
    if rules.tk_mode is TkMode.MONTH_SHARE and month_workdays:
        return (rules.tk_month_pct / Decimal(month_workdays)).quantize(CENT, ROUND_HALF_UP)
    return rules.tk_pct


def rounded_minutes(seconds: float, rounding: Rounding) -> int:
    """Minutes from seconds by the rule's rounding (never negative)."""
    if seconds <= 0:
        return 0
    minutes = seconds / 60
    return math.ceil(minutes) if rounding is Rounding.STARTED else math.floor(minutes)


def booked_minutes(rules: Rules, scheduled_minutes: int) -> int:
    """The minutes a missing check-in or check-out books for discipline."""
    if rules.missing_punch is MissingPunch.FIXED:
        return max(0, rules.missing_punch_minutes)
    if rules.missing_punch is MissingPunch.HALF_DAY:
        return max(0, scheduled_minutes) // 2
    return 0


@dataclass(frozen=True, slots=True)
class Deduction:
    """One day's deduction and the words that say which rule made it."""

    pct: Decimal
    notes: tuple[str, ...]


def deduction(
    codes: Iterable[str],
    rules: Rules = DEFAULT_RULES,
    *,
    month_workdays: int | None = None,
    allowance_used: Mapping[str, int] | None = None,
) -> Deduction:
    """The day's deduction under ``rules``: per code, TK by its mode, the counted
    allowances (``allowance_used``: days of each code already in this month before this
    one), then the daily cap."""
    used = allowance_used or {}
    total = Decimal("0")
    notes: list[str] = []
    for code in codes:
        free = rules.allowances.get(code, 0)
        if free:
            nth = used.get(code, 0) + 1
            if nth <= free:
                notes.append(f"{code} hari ke-{nth} bulan ini, bebas potongan s.d. {free} hari")
                continue
            notes.append(f"{code} hari ke-{nth} bulan ini, melebihi {free} hari bebas")
        if code == TK and rules.tk_mode is TkMode.MONTH_SHARE and month_workdays:
            pct = tk_day_pct(rules, month_workdays)
            notes.append(
                f"TK {pct_words(rules.tk_month_pct)} ÷ {month_workdays} hari kerja bulan ini "
                f"= {pct_words(pct)}"
            )
        else:
            pct = code_pct(code, rules)
            if pct:
                notes.append(f"{code} {pct_words(pct)}")
        total += pct
    if rules.daily_cap_pct is not None and total > rules.daily_cap_pct:
        notes.append(f"dibatasi {pct_words(rules.daily_cap_pct)} per hari")
        total = rules.daily_cap_pct
    return Deduction(total, tuple(notes))


def rule_note(rules: Rules, result: Deduction, extra: Iterable[str] = ()) -> str:
    """ "Aturan BAWAAN: TL2 1 %." — which row applied and what it did."""
    parts = [*extra, *result.notes]
    return f"Aturan {rules.code}: {'; '.join(parts)}." if parts else f"Aturan {rules.code}."


def capped(total: Decimal, cap: Decimal) -> Decimal:
    """A month's deduction never exceeds the cap (nor falls below zero)."""
    return max(Decimal("0"), min(total, cap))


def rules_on(day: date, table: Iterable[Rules], unit_path: str = "") -> Rules:
    """The row in force on ``day`` for a unit at ``unit_path``: the row of the nearest unit
    up the tree that has one, else the regency's; the latest ``valid_from`` wins among them.
    The defaults if none is in force."""
    valid = [rules for rules in table if rules.valid_on(day)]
    scoped = [
        rules
        for rules in valid
        if rules.unit_id is not None and rules.unit_path and unit_path.startswith(rules.unit_path)
    ]
    if scoped:
        return max(scoped, key=lambda r: (len(r.unit_path), r.valid_from, r.id or 0))
    regency = [rules for rules in valid if rules.unit_id is None]
    if not regency:
        return DEFAULT_RULES
    return max(regency, key=lambda rules: (rules.valid_from, rules.id or 0))
