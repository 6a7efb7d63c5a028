"""Day classification and bands from the regulation figures (DESIGN §2), table-driven."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govem.rules.bands import DEFAULT_RULES, Rules, band, capped, day_deduction, rules_on
from govem.rules.daystatus import Absence, DayInput, Part, classify
from govem.rules.schedule import DayTemplate, materialise

WITA = "Asia/Makassar"
MONDAY = date(2026, 11, 2)
NATIONAL_MON = DayTemplate(time(7, 30), time(16, 0), time(6, 0), time(18, 0))


def schedule(zone: str = WITA, day: date = MONDAY):
    return materialise(NATIONAL_MON, day, zone)


def at(hh: int, mm: int, ss: int = 0, zone: str = WITA, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=ZoneInfo(zone))


def day(first_in=None, last_out=None, *, now=None, absences=(), zone=WITA, rules=DEFAULT_RULES):
    return classify(
        DayInput(
            local_date=MONDAY,
            time_zone=zone,
            schedule=schedule(zone),
            first_in=first_in,
            last_out=last_out,
            absences=tuple(absences),
            now=now if now is not None else at(20, 0, zone=zone),
            rules=rules,
        )
    )


@pytest.mark.parametrize(
    ("arrival", "codes", "late"),
    [
        ((7, 30, 59), ("H",), 0),
        ((7, 31, 0), ("TL1",), 1),
        ((8, 0, 0), ("TL1",), 30),
        ((8, 1, 0), ("TL2",), 31),
        ((8, 12, 0), ("TL2",), 42),
        ((8, 30, 59), ("TL2",), 60),
        ((9, 0, 0), ("TL3",), 90),
        ((9, 1, 0), ("TL4",), 91),
    ],
)
def test_it_bands_the_arrival_by_the_regulation_figures(arrival, codes, late) -> None:
    result = day(at(*arrival), at(16, 5))
    assert result.codes == codes
    assert result.late_minutes == late


@pytest.mark.parametrize(
    ("departure", "code", "early"),
    [
        ((16, 0, 0), None, 0),
        ((15, 59, 30), "PSW1", 1),
        ((15, 30, 0), "PSW1", 30),
        ((15, 29, 0), "PSW2", 31),
        ((14, 30, 0), "PSW3", 90),
        ((14, 29, 0), "PSW4", 91),
    ],
)
def test_it_bands_leaving_early_the_same_way(departure, code, early) -> None:
    result = day(at(7, 25), at(*departure))
    assert result.codes == ((code,) if code else ("H",))
    assert result.early_minutes == early


def test_it_explains_the_day_in_one_indonesian_line() -> None:
    result = day(at(8, 12), at(16, 5))
    assert result.explanation == (
        "Masuk 08:12 (terlambat 42 menit → TL2), pulang 16:05 (tepat waktu). "
        "Aturan BAWAAN: TL2 1 %."
    )
    assert result.deduction_pct == Decimal("1")


@pytest.mark.parametrize(
    ("code_time", "pct"),
    [((7, 45), "0.5"), ((8, 15), "1"), ((8, 45), "1.25"), ((9, 45), "1.5")],
)
def test_it_deducts_per_band(code_time, pct) -> None:
    assert day(at(*code_time), at(16, 0)).deduction_pct == Decimal(pct)


def test_it_adds_late_and_early_deductions() -> None:
    result = day(at(8, 12), at(15, 45))
    assert result.codes == ("TL2", "PSW1")
    assert result.deduction_pct == Decimal("1.5")


def test_it_gives_tl4_for_no_check_in() -> None:
    result = day(None, at(16, 10))
    assert result.codes == ("TL4",)
    assert result.deduction_pct == Decimal("1.5")
    assert "tidak presensi masuk" in result.explanation.lower()


def test_it_gives_psw4_for_no_check_out_only_after_closing() -> None:
    open_day = day(at(7, 20), None, now=at(17, 59))
    assert open_day.codes == ("H",)
    assert not open_day.closed
    assert "belum presensi pulang" in open_day.explanation
    closed_day = day(at(7, 20), None, now=at(18, 0))
    assert closed_day.codes == ("PSW4",)
    assert closed_day.closed
    assert closed_day.deduction_pct == Decimal("1.5")


def test_it_gives_tk_only_once_the_day_closed() -> None:
    assert day(None, None, now=at(12, 0)).codes == ()
    result = day(None, None, now=at(18, 0))
    assert result.codes == ("TK",)
    assert result.deduction_pct == Decimal("3")


def test_it_excuses_the_day_with_an_approved_absence() -> None:
    result = day(None, None, absences=[Absence("CT", "Cuti tahunan")])
    assert result.codes == ("CT",)
    assert result.deduction_pct == 0
    assert "Cuti tahunan (CT) disetujui" in result.explanation


def test_it_moves_the_start_for_izin_datang_terlambat() -> None:
    izin = Absence("I", "Izin", Part.LATE_ARRIVAL, time(9, 0))
    assert day(at(8, 55), at(16, 0), absences=[izin]).codes == ("H",)
    late = day(at(9, 10), at(16, 0), absences=[izin])
    assert late.codes == ("TL1",)
    assert late.late_minutes == 10
    whole = Absence("I", "Izin", Part.LATE_ARRIVAL, None)
    assert day(at(11, 0), at(16, 0), absences=[whole]).codes == ("H",)


def test_it_moves_the_end_for_izin_pulang_cepat() -> None:
    izin = Absence("I", "Izin", Part.EARLY_LEAVE, time(14, 0))
    result = day(at(7, 20), at(14, 0), absences=[izin])
    assert result.codes == ("H",)
    assert "izin pulang cepat dari 14:00" in result.explanation


def test_it_records_work_on_a_day_off_without_penalty() -> None:
    result = classify(
        DayInput(
            local_date=MONDAY,
            time_zone=WITA,
            schedule=None,
            day_off_code="L",
            day_off_reason="Minggu",
            first_in=at(9, 0),
            last_out=at(11, 0),
            now=at(23, 0),
        )
    )
    assert result.codes == ("L",)
    assert result.deduction_pct == 0
    assert "masuk 09:00" in result.explanation


def test_it_keeps_cuti_bersama_as_cb() -> None:
    result = classify(
        DayInput(MONDAY, WITA, None, day_off_code="CB", day_off_reason="Cuti bersama Natal")
    )
    assert result.codes == ("CB",)


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"])
def test_it_measures_lateness_in_the_local_zone(zone: str) -> None:
    result = day(at(7, 31, zone=zone), at(16, 0, zone=zone), zone=zone)
    assert result.codes == ("TL1",)
    assert "Masuk 07:31" in result.explanation


def test_it_uses_the_rule_row_in_force_on_the_date() -> None:
    old = Rules(valid_from=date(2020, 1, 1), valid_to=date(2026, 11, 30), id=1)
    new = Rules(valid_from=date(2026, 12, 1), id=2, tk_pct=Decimal("5"))
    assert rules_on(date(2026, 11, 30), [old, new]).id == 1
    assert rules_on(date(2026, 12, 1), [old, new]).tk_pct == Decimal("5")
    assert rules_on(date(1999, 1, 1), [old, new]) is DEFAULT_RULES


def test_it_caps_the_monthly_deduction() -> None:
    assert capped(Decimal("130"), Decimal("100")) == Decimal("100")
    assert capped(Decimal("12.5"), Decimal("100")) == Decimal("12.5")


minutes = st.integers(min_value=-60, max_value=600)


@given(minutes, minutes)
def test_it_never_gives_a_lower_band_for_arriving_later(a: int, b: int) -> None:
    early, later = sorted((a, b))
    assert band(early) <= band(later)
    first = day(at(7, 30) + timedelta(minutes=early), at(16, 0))
    second = day(at(7, 30) + timedelta(minutes=later), at(16, 0))
    assert first.deduction_pct <= second.deduction_pct


@given(st.lists(st.sampled_from(["H", "TL1", "TL4", "PSW2", "TK", "CT"]), max_size=40))
def test_it_never_lets_a_month_exceed_the_cap(codes: list[str]) -> None:
    total = sum((day_deduction([code]) for code in codes), Decimal("0"))
    assert capped(total, DEFAULT_RULES.monthly_cap_pct) <= DEFAULT_RULES.monthly_cap_pct


@given(
    offset=st.integers(min_value=-30, max_value=30),
    punches=st.sampled_from([(None, None), ((7, 0), None), (None, (16, 5)), ((9, 45), (14, 0))]),
    absent=st.booleans(),
)
def test_nothing_is_booked_before_the_counting_start(offset, punches, absent) -> None:
    starts = MONDAY + timedelta(days=offset)
    first_in, last_out = (at(*value) if value else None for value in punches)
    absences = (Absence("CT", "Cuti tahunan"),) if absent else ()
    result = classify(
        DayInput(
            local_date=MONDAY,
            time_zone=WITA,
            schedule=schedule(),
            first_in=first_in,
            last_out=last_out,
            absences=absences,
            now=at(20, 0),
            counting_starts=starts,
        )
    )
    if starts > MONDAY:
        assert (result.codes, result.deduction_pct, result.counted) == ((), Decimal("0"), False)
        assert result.explanation.startswith("Belum dihitung")
        assert starts.strftime("%d-%m-%Y") in result.explanation
    else:
        plain = day(first_in, last_out, absences=absences)
        assert result == plain and result.counted


def test_the_later_of_the_regency_and_the_employee_start_counts() -> None:
    from govem.rules.daystatus import counting_start

    regency, own = date(2027, 1, 4), date(2027, 2, 1)
    assert counting_start(regency, own) == own
    assert counting_start(own, regency) == own
    assert counting_start(regency, None) == regency
    assert counting_start(None, None) is None
