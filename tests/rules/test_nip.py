"""NIP validation: 18 digits with BKN's structure (birth date, TMT, gender, sequence)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govem.rules.nip import NipError, is_valid_nip, parse_nip


@pytest.mark.parametrize(
    ("nip", "birth", "tmt", "gender", "sequence"),
    [
        ("198705122010011003", date(1987, 5, 12), (2010, 1), 1, 3),
        ("199002022015032001", date(1990, 2, 2), (2015, 3), 2, 1),
        ("200002292023122999", date(2000, 2, 29), (2023, 12), 2, 999),  # leap day
        (" 198705122010011003 ", date(1987, 5, 12), (2010, 1), 1, 3),  # pasted with spaces
    ],
)
def test_it_reads_a_valid_nip(
    nip: str, birth: date, tmt: tuple[int, int], gender: int, sequence: int
) -> None:
    parts = parse_nip(nip)
    assert parts.birth_date == birth
    assert (parts.tmt_year, parts.tmt_month) == tmt
    assert (parts.gender, parts.sequence) == (gender, sequence)
    assert is_valid_nip(nip)


@pytest.mark.parametrize(
    ("nip", "why"),
    [
        ("198702302010011003", "tanggal lahir"),  # 30 February
        ("198713122010011003", "tanggal lahir"),  # month 13 of birth
        ("199902292020011003", "tanggal lahir"),  # 1999 is not a leap year
        ("198705122010131003", "Bulan TMT"),
        ("198705122010001003", "Bulan TMT"),
        ("198705122010013003", "jenis kelamin"),
        ("198705122010010003", "jenis kelamin"),
        ("198705122010011000", "000"),
        ("193005122010011003", "Tahun lahir"),
        ("198705121995011003", "15 tahun"),  # started work at eight
        ("19870512201001100", "18 digit"),
        ("1987051220100110033", "18 digit"),
        ("19870512201001100A", "18 digit"),
        ("1987-05-12-2010-01-1-003", "18 digit"),
        ("", "18 digit"),
        # Arabic-Indic and full-width digits look like a NIP to \d but are not one.
        ("١٩٨٧٠٥١٢٢٠١٠٠١١٠٠٣", "18 digit"),
        ("１９８７０５１２２０１００１１００３", "18 digit"),
        ("198705122010011003\n1", "18 digit"),
    ],
)
def test_it_refuses_an_invalid_nip_saying_why(nip: str, why: str) -> None:
    with pytest.raises(NipError, match=why):
        parse_nip(nip)
    assert not is_valid_nip(nip)


@pytest.mark.parametrize(
    ("nip", "birth", "year", "code", "gender"),
    [
        ("199002022022212001", date(1990, 2, 2), 2022, 21, 2),  # NI PPPK: 21, not a month
        ("199009132025242014", date(1990, 9, 13), 2025, 24, 2),  # part-time PPPK
        ("198705122023011003", date(1987, 5, 12), 2023, 1, 1),
    ],
)
def test_it_reads_a_pppk_number_whose_digits_13_14_are_a_code(
    nip: str, birth: date, year: int, code: int, gender: int
) -> None:
    parts = parse_nip(nip, pppk=True)
    assert (parts.birth_date, parts.tmt_year, parts.code, parts.gender) == (
        birth,
        year,
        code,
        gender,
    )
    assert parts.tmt_month == 0


def test_it_points_a_pppk_number_entered_as_pns_to_the_right_type() -> None:
    with pytest.raises(NipError, match="pilih jenis pegawai PPPK"):
        parse_nip("199002022022212001")


@pytest.mark.parametrize(
    ("nip", "why"),
    [
        ("199002302022212001", "tanggal lahir"),
        ("199002022022213001", "jenis kelamin"),
        ("199002022022212000", "000"),
        ("19900202202221200", "18 digit"),
    ],
)
def test_it_checks_the_rest_of_a_pppk_number(nip: str, why: str) -> None:
    with pytest.raises(NipError, match=why):
        parse_nip(nip, pppk=True)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2007, 12, 31)),
    st.integers(min_value=15, max_value=40),
    st.integers(min_value=1, max_value=12),
    st.sampled_from([1, 2]),
    st.integers(min_value=1, max_value=999),
)
def test_it_accepts_every_well_formed_nip(
    birth: date, years_later: int, month: int, gender: int, sequence: int
) -> None:
    nip = f"{birth:%Y%m%d}{birth.year + years_later:04d}{month:02d}{gender}{sequence:03d}"
    parts = parse_nip(nip)
    assert parts.birth_date == birth
    assert parts.gender == gender and parts.sequence == sequence


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_it_never_crashes_on_arbitrary_text(text: str) -> None:
    # is_valid_nip lets only NipError through as False; any other exception fails here.
    if is_valid_nip(text):
        nip = text.strip()
        assert len(nip) == 18 and nip.isascii() and nip.isdigit()
