"""TPP arithmetic (Tambahan Penghasilan Pegawai): one employee-month in whole Rupiah.

The TPP ceiling (pagu) is split into a discipline (attendance) share and a productivity share,
the percentages set in the dated rule table. Defaults 40 % / 60 %: Kepmendagri
No. 061-5449 Tahun 2019 (TPP "berdasarkan beban kerja": disiplin kerja 40 %, produktivitas
kerja 60 %), as Kota Banjarmasin's ``asrani27/tpp`` pays it; the productivity share needs
6,750 activity minutes a month there.

- The attendance deductions (TL/PSW per occurrence, TK per day, absence codes the regency
  cuts, a missed mandatory event) are percentages **of the discipline share**; each code's
  line is its days' percentages added, in Rupiah; their total is capped at the month's cap
  (percent of the discipline share, default 100 %).
- The productivity share is paid in proportion to the month's achievement (a percentage, or
  activity minutes against the target), at most 100 %; without a figure nothing of it is paid
  and the result says so (``productivity_missing``).
- A discipline sentence (PP 94/2021 art. 8: "pemotongan tunjangan kinerja 25 %") cuts that
  percentage of what remains after the attendance deductions and the productivity share.
- Money is ``int`` Rupiah; percentages are ``Decimal``. Rounding: every line is rounded once,
  half up, to a whole Rupiah (``ROUND_HALF_UP``); totals are sums of rounded lines, so the
  printed lines always add up to the printed total; the net never falls below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
ZERO = Decimal("0")
DEFAULT_ATTENDANCE_PCT = Decimal("40")
DEFAULT_PRODUCTIVITY_PCT = Decimal("60")
DEFAULT_TARGET_MINUTES = 6750
ROUNDING = "setiap baris dibulatkan sekali ke rupiah terdekat (setengah ke atas)"


def add_months(month: date, count: int) -> date:
    """The first of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def rupiah(amount: Decimal | int) -> int:
    """Whole Rupiah, half up (Rp 0,50 → Rp 1)."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def share_of(amount: int, pct: Decimal) -> int:
    return rupiah(Decimal(amount) * pct / HUNDRED)


@dataclass(frozen=True, slots=True)
class Shares:
    """From the rule row in force: the two shares (adding up to 100 %) and the minutes target."""

    attendance_pct: Decimal = DEFAULT_ATTENDANCE_PCT
    productivity_pct: Decimal = DEFAULT_PRODUCTIVITY_PCT
    target_minutes: int = DEFAULT_TARGET_MINUTES

    def __post_init__(self) -> None:
        if self.attendance_pct < ZERO or self.productivity_pct < ZERO:
            raise ValueError("negative share")
        if self.attendance_pct + self.productivity_pct != HUNDRED:
            raise ValueError("shares must add up to 100 %")
        if self.target_minutes <= 0:
            raise ValueError("target minutes must be positive")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One deducted code on one date, with the percentage the rule row of that date sets."""

    code: str
    day: date
    pct: Decimal


@dataclass(frozen=True, slots=True)
class Productivity:
    """The month's productivity: a percentage (e-kinerja) or activity minutes."""

    percent: Decimal | None = None
    minutes: int | None = None

    def achieved(self, target_minutes: int) -> Decimal:
        if self.percent is not None:
            value = Decimal(self.percent)
        elif self.minutes is not None:
            value = Decimal(self.minutes) * HUNDRED / Decimal(target_minutes)
        else:
            raise ValueError("no productivity figure")
        return max(ZERO, min(HUNDRED, value))


@dataclass(frozen=True, slots=True)
class Cut:
    """An active discipline sentence that cuts TPP by ``pct`` this month."""

    label: str
    pct: Decimal


@dataclass(frozen=True, slots=True)
class TppInput:
    pagu: int
    shares: Shares = field(default_factory=Shares)
    occurrences: tuple[Occurrence, ...] = ()
    cap_pct: Decimal = HUNDRED
    productivity: Productivity | None = None
    cuts: tuple[Cut, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One deduction code: its days, their percentages added, the Rupiah."""

    code: str
    days: tuple[date, ...]
    pct: Decimal
    rupiah: int


@dataclass(frozen=True, slots=True)
class CutLine:
    label: str
    pct: Decimal
    rupiah: int


@dataclass(frozen=True, slots=True)
class TppResult:
    pagu: int
    attendance_share: int
    productivity_share: int
    lines: tuple[Line, ...]
    deduction_uncapped: int
    cap: int
    attendance_deduction: int  # capped
    productivity_achieved: Decimal | None  # None: no figure for the month
    productivity_paid: int
    cut_lines: tuple[CutLine, ...]
    net: int

    @property
    def gross(self) -> int:
        """The TPP before anything is deducted: the two shares (= the pagu)."""
        return self.attendance_share + self.productivity_share

    @property
    def capped(self) -> bool:
        return self.deduction_uncapped > self.cap

    @property
    def attendance_paid(self) -> int:
        return self.attendance_share - self.attendance_deduction

    @property
    def productivity_missing(self) -> bool:
        return self.productivity_achieved is None

    @property
    def productivity_deduction(self) -> int:
        return self.productivity_share - self.productivity_paid

    @property
    def before_cuts(self) -> int:
        return self.attendance_paid + self.productivity_paid

    @property
    def cut_total(self) -> int:
        return sum(line.rupiah for line in self.cut_lines)

    @property
    def total_deduction(self) -> int:
        return self.gross - self.net


def lines_of(occurrences: Iterable[Occurrence], share: int) -> tuple[Line, ...]:
    """One line per code (in first-seen order), its dates sorted, Rupiah rounded once."""
    days: dict[str, list[date]] = {}
    pcts: dict[str, Decimal] = {}
    for item in occurrences:
        days.setdefault(item.code, []).append(item.day)
        pcts[item.code] = pcts.get(item.code, ZERO) + item.pct
    return tuple(
        Line(code, tuple(sorted(dates)), pcts[code], share_of(share, pcts[code]))
        for code, dates in days.items()
    )


def compute(data: TppInput) -> TppResult:
    """The month's TPP: shares, deduction lines, cap, productivity, sentence cuts, net."""
    if data.pagu < 0:
        raise ValueError("negative pagu")
    attendance_share = share_of(data.pagu, data.shares.attendance_pct)
    productivity_share = data.pagu - attendance_share
    lines = lines_of(data.occurrences, attendance_share)
    uncapped = sum(line.rupiah for line in lines)
    cap = share_of(attendance_share, max(ZERO, min(HUNDRED, data.cap_pct)))
    deduction = max(0, min(uncapped, cap))
    if data.productivity is None:
        achieved: Decimal | None = None
        productivity_paid = 0
    else:
        achieved = data.productivity.achieved(data.shares.target_minutes)
        productivity_paid = share_of(productivity_share, achieved)
    remaining = attendance_share - deduction + productivity_paid
    cut_lines = []
    left = HUNDRED
    for cut in data.cuts:
        pct = max(ZERO, min(cut.pct, left))  # several sentences never cut more than all
        left -= pct
        cut_lines.append(CutLine(cut.label, pct, share_of(remaining, pct)))
    net = max(0, remaining - sum(line.rupiah for line in cut_lines))
    return TppResult(
        pagu=data.pagu,
        attendance_share=attendance_share,
        productivity_share=productivity_share,
        lines=lines,
        deduction_uncapped=uncapped,
        cap=cap,
        attendance_deduction=deduction,
        productivity_achieved=achieved,
        productivity_paid=productivity_paid,
        cut_lines=tuple(cut_lines),
        net=net,
    )


def rupiah_text(amount: int) -> str:
    """``Rp 1.234.567`` (Indonesian thousands separator); negative with a minus sign."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", ".")


_ONES = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def _below_thousand(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{_ONES[tens]} puluh {_ONES[ones]}".strip()
    hundreds, rest = divmod(n, 100)
    head = "seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus"
    return f"{head} {_below_thousand(rest)}".strip()


def terbilang(amount: int) -> str:
    """The amount in Indonesian words, as on a payment list: 1.500 → "seribu lima ratus"."""
    if amount == 0:
        return "nol"
    if amount < 0:
        return "minus " + terbilang(-amount)
    words = []
    for size, name in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")):
        count, amount = divmod(amount, size)
        if count:
            words.append("seribu" if size == 1000 and count == 1 else f"{terbilang(count)} {name}")
    if amount:
        words.append(_below_thousand(amount))
    return " ".join(words)


_EN_ONES = (
    "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _en_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    words = [f"{_EN_ONES[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(f"{_EN_TENS[tens]}-{_EN_ONES[ones]}" if ones else _EN_TENS[tens])
    elif rest:
        words.append(_EN_ONES[rest])
    return " ".join(words)


def in_english_words(amount: int) -> str:
    """The amount in English words (the English page's counterpart of :func:`terbilang`):
    1.500 → "one thousand five hundred"."""
    if amount == 0:
        return "zero"
    if amount < 0:
        return "minus " + in_english_words(-amount)
    words = []
    scales = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
    for size, name in scales:
        count, amount = divmod(amount, size)
        if count:
            words.append(f"{in_english_words(count)} {name}")
    if amount:
        words.append(_en_below_thousand(amount))
    return " ".join(words)
