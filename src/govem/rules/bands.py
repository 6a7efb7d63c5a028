"""Late / early bands and TPP deductions (DESIGN §2): a dated rule table, kept as data.

Each regency (and each new Perbup) sets its own limits and percentages, so a
:class:`Rules` value carries them, with the dates it is valid for; :func:`rules_on` picks
the one in force on a date. The defaults are the typical Perbup figures:
TL1 1–30 min, TL2 31–60, TL3 61–90, TL4 > 90 (or no check-in), the same for PSW (PSW4 also
for no check-out); 0.5 / 1 / 1.25 / 1.5 % per occurrence; TK 3 % per day; monthly cap 100 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

LATE_CODES = ("TL1", "TL2", "TL3", "TL4")
EARLY_CODES = ("PSW1", "PSW2", "PSW3", "PSW4")
TK = "TK"
PRESENT = "H"


def _pcts(*values: str) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    a, b, c, d = (Decimal(v) for v in values)
    return (a, b, c, d)


@dataclass(frozen=True, slots=True)
class Rules:
    """One row of the rule table: band limits, deduction per code, monthly cap, validity."""

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
    # Deduction for an approved absence code (e.g. a regency that cuts TPP on cuti sakit).
    absence_pct: Mapping[str, Decimal] = field(default_factory=dict)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def limits(self) -> tuple[int, int, int]:
        return (self.band1_max, self.band2_max, self.band3_max)


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


def capped(total: Decimal, cap: Decimal) -> Decimal:
    """A month's deduction never exceeds the cap (nor falls below zero)."""
    return max(Decimal("0"), min(total, cap))


def rules_on(day: date, table: Iterable[Rules]) -> Rules:
    """The row in force on ``day`` (latest ``valid_from`` wins); the defaults if none is."""
    valid = [rules for rules in table if rules.valid_on(day)]
    if not valid:
        return DEFAULT_RULES
    return max(valid, key=lambda rules: (rules.valid_from, rules.id or 0))
