"""TPP arithmetic in whole Rupiah: hand-computed months and properties that always hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govem.rules.tpp import (
    Cut,
    Occurrence,
    Productivity,
    Shares,
    TppInput,
    compute,
    rupiah,
    rupiah_text,
    terbilang,
)

D = Decimal


def tl2_tl2_tk() -> tuple[Occurrence, ...]:
    return (
        Occurrence("TL2", date(2026, 11, 3), D("1")),
        Occurrence("TK", date(2026, 11, 5), D("3")),
        Occurrence("TL2", date(2026, 11, 10), D("1")),
    )


def test_it_computes_a_month_by_hand() -> None:
    # Pagu 5,000,000: discipline share 40 % = 2,000,000, productivity 60 % = 3,000,000.
    # TL2 twice = 2 % → 40,000; TK once = 3 % → 60,000; productivity 80 % → 2,400,000.
    result = compute(
        TppInput(pagu=5_000_000, occurrences=tl2_tl2_tk(), productivity=Productivity(D("80")))
    )
    assert result.attendance_share == 2_000_000
    assert result.productivity_share == 3_000_000
    assert [(line.code, line.days, line.pct, line.rupiah) for line in result.lines] == [
        ("TL2", (date(2026, 11, 3), date(2026, 11, 10)), D("2"), 40_000),
        ("TK", (date(2026, 11, 5),), D("3"), 60_000),
    ]
    assert result.attendance_deduction == 100_000
    assert result.productivity_paid == 2_400_000
    assert result.productivity_deduction == 600_000
    assert result.net == 4_300_000
    assert result.gross == 5_000_000


def test_it_cuts_a_sentence_after_the_other_deductions() -> None:
    # The same month with "pemotongan TPP 25 %": 25 % of 4,300,000 = 1,075,000.
    result = compute(
        TppInput(
            pagu=5_000_000,
            occurrences=tl2_tl2_tk(),
            productivity=Productivity(D("80")),
            cuts=(Cut("Pemotongan TPP 25% selama 6 bulan", D("25")),),
        )
    )
    assert result.cut_lines[0].rupiah == 1_075_000
    assert result.net == 3_225_000
    assert result.total_deduction == 1_775_000


def test_it_caps_the_attendance_deductions() -> None:
    many = tuple(Occurrence("TK", date(2026, 11, day), D("3")) for day in range(1, 21))
    result = compute(TppInput(pagu=1_000_000, occurrences=many, cap_pct=D("50")))
    # 20 × 3 % = 60 % of 400,000 = 240,000; capped at 50 % = 200,000.
    assert result.deduction_uncapped == 240_000
    assert result.cap == 200_000
    assert result.attendance_deduction == 200_000
    assert result.capped


def test_it_pays_no_productivity_without_a_figure() -> None:
    result = compute(TppInput(pagu=5_000_000))
    assert result.productivity_missing
    assert result.productivity_paid == 0
    assert result.net == 2_000_000


def test_it_counts_activity_minutes_against_the_target() -> None:
    shares = Shares(D("40"), D("60"), 6750)
    half = compute(TppInput(pagu=5_000_000, shares=shares, productivity=Productivity(minutes=3375)))
    assert half.productivity_achieved == D("50")
    assert half.productivity_paid == 1_500_000
    over = compute(TppInput(pagu=5_000_000, shares=shares, productivity=Productivity(minutes=9000)))
    assert over.productivity_paid == 3_000_000


def test_it_rounds_each_line_half_up_once() -> None:
    # 1,234,567 × 40 % = 493,826.8 → 493,827; 0.5 % of it = 2,469.135 → 2,469.
    result = compute(
        TppInput(
            pagu=1_234_567,
            occurrences=(Occurrence("TL1", date(2026, 11, 2), D("0.5")),),
            productivity=Productivity(D("100")),
        )
    )
    assert result.attendance_share == 493_827
    assert result.productivity_share == 740_740
    assert result.lines[0].rupiah == 2_469
    assert result.net == 1_234_567 - 2_469
    assert rupiah(D("0.5")) == 1


def test_it_refuses_shares_that_do_not_add_up() -> None:
    with pytest.raises(ValueError, match="100"):
        Shares(D("40"), D("50"))


def test_it_writes_amounts_in_words_and_figures() -> None:
    assert rupiah_text(3_225_000) == "Rp 3.225.000"
    assert terbilang(3_225_000) == "tiga juta dua ratus dua puluh lima ribu"
    assert terbilang(1_011_115) == "satu juta sebelas ribu seratus lima belas"
    assert terbilang(1000) == "seribu"
    assert terbilang(0) == "nol"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pagu=st.integers(0, 50_000_000),
    pcts=st.lists(st.decimals("0", "5", places=3), max_size=40),
    achieved=st.none() | st.decimals("0", "150", places=2),
    cut=st.decimals("0", "100", places=2),
    cap=st.decimals("0", "100", places=2),
)
def test_it_always_adds_up(
    pagu: int, pcts: list[Decimal], achieved: Decimal | None, cut: Decimal, cap: Decimal
) -> None:
    occurrences = tuple(
        Occurrence(("TL1", "PSW2", "TK")[i % 3], date(2026, 11, 1 + i % 28), pct)
        for i, pct in enumerate(pcts)
    )
    result = compute(
        TppInput(
            pagu=pagu,
            occurrences=occurrences,
            cap_pct=cap,
            productivity=None if achieved is None else Productivity(achieved),
            cuts=(Cut("x", cut),),
        )
    )
    assert result.gross == pagu
    assert result.deduction_uncapped == sum(line.rupiah for line in result.lines)
    assert 0 <= result.attendance_deduction <= result.cap <= result.attendance_share
    assert 0 <= result.productivity_paid <= result.productivity_share
    assert 0 <= result.net <= pagu
    assert result.net == result.before_cuts - result.cut_total
    assert isinstance(result.net, int)
