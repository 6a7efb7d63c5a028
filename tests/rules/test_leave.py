"""Annual leave per PP 11/2017, table-driven: each case names the article it follows."""

from __future__ import annotations

from datetime import date

import pytest

from govem.rules.leave import annual_leave, entitled_in, one_year_after
from govem.rules.nip import tmt_from_nip

LONG_AGO = date(2010, 1, 1)


@pytest.mark.parametrize(
    ("source", "tmt", "used_prev", "used_two_before", "cb", "total"),
    [
        # art. 311: 12 days; art. 312(1): at most 6 carried (18 in all)
        ("ps. 312(1): 2025 wholly unused but 2024 used → 6 carried", LONG_AGO, 0, 3, 0, 18),
        ("ps. 312(1): 2025 used 8 → 4 carried", LONG_AGO, 8, 0, 0, 16),
        ("ps. 312(1): 2025 used all 12 → nothing carried", LONG_AGO, 12, 0, 0, 12),
        ("ps. 312(3): 2024 and 2025 untaken → 24 in all", LONG_AGO, 0, 0, 0, 24),
        ("ps. 312(3) needs both years untaken: 1 day in 2024", LONG_AGO, 0, 1, 0, 18),
        ("ps. 333(3): worked 3 cuti bersama days", LONG_AGO, 12, 5, 3, 15),
        ("ps. 333(3) with ps. 312(3)", LONG_AGO, 0, 0, 2, 26),
        # art. 310: the year of service
        (
            "ps. 310: TMT Mar 2025 → entitled from Mar 2026, no 2025 right",
            date(2025, 3, 1),
            0,
            0,
            0,
            12,
        ),
        ("ps. 310: TMT Mar 2024 → 2025 was a right year, 2024 not", date(2024, 3, 1), 0, 0, 0, 18),
        ("ps. 310: TMT Jul 2026 → nothing in 2026", date(2026, 7, 1), 0, 0, 0, 0),
    ],
)
def test_it_computes_the_2026_balance(
    source: str, tmt: date, used_prev: int, used_two_before: int, cb: int, total: int
) -> None:
    balance = annual_leave(
        year=2026,
        tmt=tmt,
        used=0,
        used_previous=used_prev,
        used_two_before=used_two_before,
        cuti_bersama_worked=cb,
    )
    assert balance.total == total, source
    assert balance.remaining == total
    assert balance.steps[-1] == f"Sisa: {total} hari kerja." or balance.entitled == 0


def test_it_names_the_article_of_every_step() -> None:
    balance = annual_leave(
        year=2026, tmt=LONG_AGO, used=4, used_previous=0, used_two_before=0, cuti_bersama_worked=1
    )
    text = "\n".join(balance.steps)
    assert "ps. 311" in text and "ps. 312 ayat (3)" in text and "ps. 333 ayat (3)" in text
    assert balance.remaining == 12 + 12 + 1 - 4


def test_it_gives_no_leave_before_a_year_of_service_and_says_from_when() -> None:
    balance = annual_leave(
        year=2026, tmt=date(2026, 2, 1), used=0, used_previous=0, used_two_before=0
    )
    assert (balance.entitled, balance.remaining) == (0, 0)
    assert balance.available_from == date(2027, 2, 1)
    assert "ps. 310" in balance.steps[-2]
    # In 2027 the right exists from 1 Feb only, with nothing carried from 2026.
    next_year = annual_leave(
        year=2027, tmt=date(2026, 2, 1), used=0, used_previous=0, used_two_before=0
    )
    assert (next_year.entitled, next_year.carried) == (12, 0)
    assert next_year.available_from == date(2027, 2, 1)


def test_it_counts_the_year_of_service_to_the_day() -> None:
    assert one_year_after(date(2025, 3, 1)) == date(2026, 3, 1)
    assert one_year_after(date(2024, 2, 29)) == date(2025, 2, 28)
    assert entitled_in(2026, date(2025, 12, 31))
    assert not entitled_in(2026, date(2026, 1, 1))
    assert entitled_in(2026, None)  # unknown TMT: treated as long in service


@pytest.mark.parametrize(
    ("nip", "pppk", "tmt"),
    [
        ("198705122010011003", False, date(2010, 1, 1)),  # digits 9–14: 201001
        ("199002022015032001", False, date(2015, 3, 1)),
        ("199002022021211001", True, None),  # NI PPPK: 21 is a code, not a month
        ("12345", False, None),
    ],
)
def test_it_reads_the_tmt_from_a_pns_nip(nip: str, pppk: bool, tmt: date | None) -> None:
    assert tmt_from_nip(nip, pppk=pppk) == tmt
