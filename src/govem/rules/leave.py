"""Annual leave (cuti tahunan) per PP 11/2017 — pure arithmetic, the facts come in.

- Art. 310: a civil servant is entitled to annual leave after at least one year of
  continuous service, counted from the TMT (first appointment). Before that: no annual leave.
- Art. 311: the right is 12 working days a year.
- Art. 312(1)–(2): days not taken may be used in the next year, up to 18 working days
  including the current year's 12 (so at most 6 carried).
- Art. 312(3): leave not taken for two or more years running may be used in the next year,
  up to 24 working days including the current year's (so at most 12 carried) — computed here
  from the two previous years' use, not granted by hand.
- Art. 333(3): a civil servant who, because of the post, did not get the cuti bersama days
  (a hospital, a unit with its own calendar) gets them added to the annual leave.

The caller supplies the TMT, the working days of annual leave used (pending and approved)
in the year and the two before it, and the cuti bersama days the employee worked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from govem.rules.texts import Text, gettext_noop

YEARLY_DAYS = 12  # art. 311
MAX_CARRY_DAYS = 6  # art. 312(1): at most 18 including the current year
MAX_TWO_YEAR_CARRY_DAYS = 12  # art. 312(3): at most 24 including the current year


class _Steps:
    """The derivation: each line kept as its msgid and values, and as Indonesian text."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, dict[str, Any]]] = []

    def append(self, text: str, **values: Any) -> None:
        self.lines.append((text, values))

    def texts(self) -> tuple[str, ...]:
        return tuple(text % values if values else text for text, values in self.lines)


def _d(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def one_year_after(tmt: date) -> date:
    """The day the art. 310 year of service is complete (29 Feb → 28 Feb the next year)."""
    try:
        return tmt.replace(year=tmt.year + 1)
    except ValueError:
        return date(tmt.year + 1, 2, 28)


def entitled_in(year: int, tmt: date | None) -> bool:
    """Whether the employee has any annual leave right in ``year`` (art. 310)."""
    return tmt is None or one_year_after(tmt) <= date(year, 12, 31)


@dataclass(frozen=True, slots=True)
class LeaveBalance:
    year: int
    entitled: int
    carried: int
    compensation: int  # cuti bersama worked, art. 333(3)
    used: int
    available_from: date | None  # the first day leave may be taken in ``year`` (art. 310)
    steps: tuple[str, ...]  # the derivation, in Indonesian, one line per rule applied
    # The same lines as (catalogue msgid, values): a page shows them in its language.
    lines: tuple[tuple[str, dict[str, Any]], ...] = ()

    @property
    def total(self) -> int:
        return self.entitled + self.carried + self.compensation

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.used)


def annual_leave(
    *,
    year: int,
    tmt: date | None,
    used: int,
    used_previous: int,
    used_two_before: int,
    cuti_bersama_worked: int = 0,
    tmt_source: str = "",
) -> LeaveBalance:
    """The balance of ``year`` and how it was reached."""
    steps = _Steps()
    if tmt is None:
        steps.append(
            gettext_noop(
                "TMT tidak diketahui (isi TMT pada data pegawai): dianggap sudah bekerja lebih "
                "dari 1 tahun."
            )
        )
    elif tmt_source:
        steps.append(gettext_noop("TMT %(tmt)s (%(source)s)."), tmt=_d(tmt), source=tmt_source)
    else:
        steps.append(gettext_noop("TMT %(tmt)s."), tmt=_d(tmt))
    if not entitled_in(year, tmt):
        assert tmt is not None
        steps.append(
            gettext_noop(
                "Belum 1 tahun bekerja terus-menerus sampai akhir %(year)s: belum berhak cuti "
                "tahunan; berhak mulai %(since)s (PP 11/2017 ps. 310)."
            ),
            year=year,
            since=_d(one_year_after(tmt)),
        )
        steps.append(gettext_noop("Terpakai/diajukan: %(used)s hari kerja."), used=used)
        return LeaveBalance(
            year, 0, 0, 0, used, one_year_after(tmt), steps.texts(), tuple(steps.lines)
        )

    available_from = None
    if tmt is not None and one_year_after(tmt).year == year:
        available_from = one_year_after(tmt)
        steps.append(
            gettext_noop(
                "Hak %(year)s: %(days)s hari kerja, dapat diambil mulai %(since)s (1 tahun "
                "sejak TMT, PP 11/2017 ps. 310–311)."
            ),
            year=year,
            days=YEARLY_DAYS,
            since=_d(available_from),
        )
    else:
        steps.append(
            gettext_noop("Hak %(year)s: %(days)s hari kerja (PP 11/2017 ps. 311)."),
            year=year,
            days=YEARLY_DAYS,
        )

    carried = 0
    previous, two_before = year - 1, year - 2
    if (
        entitled_in(previous, tmt)
        and entitled_in(two_before, tmt)
        and used_previous == 0
        and used_two_before == 0
    ):
        carried = MAX_TWO_YEAR_CARRY_DAYS
        steps.append(
            gettext_noop(
                "Cuti tahunan %(two_before)s dan %(previous)s tidak diambil sama sekali: "
                "dibawa %(carried)s hari, paling banyak 24 hari termasuk hak tahun berjalan "
                "(PP 11/2017 ps. 312 ayat (3))."
            ),
            two_before=two_before,
            previous=previous,
            carried=carried,
        )
    elif entitled_in(previous, tmt):
        unused = max(0, YEARLY_DAYS - used_previous)
        carried = min(MAX_CARRY_DAYS, unused)
        steps.append(
            gettext_noop(
                "Sisa %(previous)s: %(unused)s hari, dibawa %(carried)s hari (paling banyak 6; "
                "18 hari termasuk hak tahun berjalan, PP 11/2017 ps. 312 ayat (1))."
            ),
            previous=previous,
            unused=unused,
            carried=carried,
        )
    else:
        steps.append(
            gettext_noop(
                "Tahun %(previous)s belum berhak cuti tahunan: tidak ada sisa yang dibawa."
            ),
            previous=previous,
        )

    if cuti_bersama_worked:
        steps.append(
            gettext_noop(
                "Tetap bekerja pada %(days)s hari cuti bersama %(year)s: ditambahkan ke hak "
                "cuti tahunan (PP 11/2017 ps. 333 ayat (3))."
            ),
            days=cuti_bersama_worked,
            year=year,
        )
    steps.append(
        gettext_noop("Terpakai/diajukan %(year)s: %(used)s hari kerja."), year=year, used=used
    )
    balance = LeaveBalance(
        year, YEARLY_DAYS, carried, cuti_bersama_worked, used, available_from, ()
    )
    steps.append(gettext_noop("Sisa: %(remaining)s hari kerja."), remaining=balance.remaining)
    return LeaveBalance(
        year,
        balance.entitled,
        balance.carried,
        balance.compensation,
        used,
        available_from,
        steps.texts(),
        tuple(steps.lines),
    )


def year_parts(start: date, end: date) -> list[tuple[int, date, date]]:
    """A request's span cut at year ends: ``(year, first, last)`` per calendar year it covers
    (each year's balance is its own)."""
    return [
        (year, max(start, date(year, 1, 1)), min(end, date(year, 12, 31)))
        for year in range(start.year, end.year + 1)
    ]


def days_used(spans: Iterable[tuple[date, date]], year: int) -> list[tuple[date, date]]:
    """The parts of stored request spans that fall in ``year`` (their working days count)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return [(max(start, first), min(end, last)) for start, end in spans]


def count_workdays(workdays: Iterable[bool]) -> int:
    """Working days among a span's day plans (``plan.is_workday`` for each day)."""
    return sum(1 for workday in workdays if workday)


@dataclass(frozen=True, slots=True)
class LeaveRefusal:
    """Why a CT request is refused: a stable code, the Indonesian message, its details."""

    code: str
    message: str
    details: dict[str, Any]


def request_refusal(
    balance: LeaveBalance, *, year: int, first: date, wanted: int
) -> LeaveRefusal | None:
    """Whether ``wanted`` working days of CT from ``first`` in ``year`` fit ``balance``."""
    if balance.entitled == 0 or (
        balance.available_from is not None and first < balance.available_from
    ):
        since = balance.available_from
        return LeaveRefusal(
            "leave_not_yet_entitled",
            Text(
                gettext_noop(
                    "Cuti tahunan baru dapat diambil setelah 1 tahun bekerja terus-menerus "
                    "sejak TMT (PP 11/2017 ps. 310): mulai %(date)s."
                ),
                date=f"{since:%d-%m-%Y}",
            )
            if since
            else Text(
                gettext_noop("Cuti tahunan baru dapat diambil setelah 1 tahun bekerja sejak TMT.")
            ),
            {"year": year, "available_from": since.isoformat() if since else None},
        )
    if wanted > balance.remaining:
        return LeaveRefusal(
            "insufficient_leave_balance",
            Text(
                gettext_noop(
                    "Sisa cuti tahunan %(year)s tinggal %(remaining)s hari kerja; "
                    "diajukan %(wanted)s hari kerja."
                ),
                year=year,
                remaining=balance.remaining,
                wanted=wanted,
            ),
            {"year": year, "remaining": balance.remaining, "requested": wanted},
        )
    return None
