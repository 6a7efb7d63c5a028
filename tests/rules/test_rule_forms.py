"""The rule forms regencies use, through the pure classification (table-driven; each case
names its source: the issue's worked numbers, the peer system's file, or the default)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govem.rules.bands import (
    DEFAULT_RULES,
    MissingPunch,
    Rounding,
    Rules,
    TkMode,
    rounded_minutes,
    rules_on,
    tk_day_pct,
)
from govem.rules.daystatus import Absence, DayInput, classify
from govem.rules.discipline import unexcused_days
from govem.rules.schedule import DaySchedule

WITA = ZoneInfo("Asia/Makassar")
MONDAY = date(2026, 11, 2)
FRIDAY = date(2026, 11, 6)

BANJARMASIN = replace(
    DEFAULT_RULES,
    code="CONTOH-BJM",
    tk_mode=TkMode.MONTH_SHARE,
    tk_month_pct=Decimal("100"),
    late_rounding=Rounding.FLOOR,
    early_rounding=Rounding.FLOOR,
    missing_punch=MissingPunch.HALF_DAY,
)


def schedule(day: date, start: time, end: time) -> DaySchedule:
    at = lambda t: datetime.combine(day, t, tzinfo=WITA)  # noqa: E731
    return DaySchedule(day, "Asia/Makassar", at(start), at(end), at(time(6)), at(time(18)))


def on(day: date, hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), tzinfo=WITA)


MON = schedule(MONDAY, time(7, 30), time(16, 0))


@pytest.mark.parametrize(
    ("source", "rules", "workdays", "pct"),
    [
        ("default: TK 3 % per day", DEFAULT_RULES, 20, Decimal("3")),
        ("Banjarmasin: 100 % ÷ 20 working days", BANJARMASIN, 20, Decimal("5.00")),
        ("Banjarmasin: 100 % ÷ 23 working days", BANJARMASIN, 23, Decimal("4.35")),
        ("Banjarmasin: 100 % ÷ 21 working days", BANJARMASIN, 21, Decimal("4.76")),
    ],
)
def test_tk_per_day_or_share_of_the_month(
    source: str, rules: Rules, workdays: int, pct: Decimal
) -> None:
    assert tk_day_pct(rules, workdays) == pct, source
    result = classify(DayInput(MONDAY, "Asia/Makassar", MON, rules=rules, month_workdays=workdays))
    assert result.codes == ("TK",) and result.deduction_pct == pct
    assert f"Aturan {rules.code}" in result.explanation
    if rules.tk_mode is TkMode.MONTH_SHARE:
        assert f"÷ {workdays} hari kerja bulan ini" in result.explanation


@pytest.mark.parametrize(
    ("source", "rules", "first_in", "last_out", "codes", "late", "early"),
    [
        (
            "default late floor: 07:30:59 on time",
            DEFAULT_RULES,
            (7, 30, 59),
            (16, 0, 0),
            ("H",),
            0,
            0,
        ),
        (
            "default late floor: 07:31:00 is 1",
            DEFAULT_RULES,
            (7, 31, 0),
            (16, 0, 0),
            ("TL1",),
            1,
            0,
        ),
        (
            "default early started: 15:59:30 is 1",
            DEFAULT_RULES,
            (7, 30, 0),
            (15, 59, 30),
            ("PSW1",),
            0,
            1,
        ),
        (
            "Banjarmasin early floor: 15:59:30 is 0",
            BANJARMASIN,
            (7, 30, 0),
            (15, 59, 30),
            ("H",),
            0,
            0,
        ),
        (
            "Banjarmasin early floor: 15:55:01 is 4",
            BANJARMASIN,
            (7, 30, 0),
            (15, 55, 1),
            ("PSW1",),
            0,
            4,
        ),
        (
            "started late: 07:30:01 is 1",
            replace(DEFAULT_RULES, late_rounding=Rounding.STARTED),
            (7, 30, 1),
            (16, 0, 0),
            ("TL1",),
            1,
            0,
        ),
    ],
)
def test_rounding_of_late_and_early_minutes(
    source: str,
    rules: Rules,
    first_in: tuple[int, int, int],
    last_out: tuple[int, int, int],
    codes: tuple[str, ...],
    late: int,
    early: int,
) -> None:
    result = classify(
        DayInput(
            MONDAY,
            "Asia/Makassar",
            MON,
            first_in=on(MONDAY, *first_in),
            last_out=on(MONDAY, *last_out),
            rules=rules,
        )
    )
    assert (result.codes, result.late_minutes, result.early_minutes) == (codes, late, early), source


@pytest.mark.parametrize(
    ("source", "rules", "day", "start", "end", "minutes"),
    [
        (
            "default: a missing punch books 0 minutes",
            DEFAULT_RULES,
            MONDAY,
            time(7, 30),
            time(16, 0),
            0,
        ),
        (
            "HitungTerlambat.php: Senin–Kamis 255",
            BANJARMASIN,
            MONDAY,
            time(7, 30),
            time(16, 0),
            255,
        ),
        (
            "HitungTerlambat.php: Jumat 105 (07.30–11.00)",
            BANJARMASIN,
            FRIDAY,
            time(7, 30),
            time(11, 0),
            105,
        ),
        (
            "HitungTerlambat.php: 6-day weekday 210 (07.30–14.30)",
            BANJARMASIN,
            MONDAY,
            time(7, 30),
            time(14, 30),
            210,
        ),
        (
            "fixed 240 minutes",
            replace(DEFAULT_RULES, missing_punch=MissingPunch.FIXED, missing_punch_minutes=240),
            MONDAY,
            time(7, 30),
            time(16, 0),
            240,
        ),
    ],
)
def test_minutes_booked_for_a_missing_check_in_and_check_out(
    source: str, rules: Rules, day: date, start: time, end: time, minutes: int
) -> None:
    plan = schedule(day, start, end)
    only_out = classify(
        DayInput(day, "Asia/Makassar", plan, last_out=on(day, end.hour, end.minute), rules=rules)
    )
    assert only_out.codes == ("TL4",) and only_out.late_minutes == minutes, source
    only_in = classify(DayInput(day, "Asia/Makassar", plan, first_in=on(day, 7, 0), rules=rules))
    assert only_in.codes == ("PSW4",) and only_in.early_minutes == minutes, source
    if minutes:
        assert f"dicatat {minutes} menit" in only_out.explanation


def test_someone_who_only_checks_out_accrues_discipline_days() -> None:
    # PP 94/2021: 7.5 hours (450 minutes) late/early = 1 day. Under the default a missing
    # check-in books nothing; under Banjarmasin's half day, two such days are one day.
    day = classify(
        DayInput(MONDAY, "Asia/Makassar", MON, last_out=on(MONDAY, 16, 5), rules=BANJARMASIN)
    )
    assert unexcused_days(0, 2 * day.late_minutes, 0) == 1
    default = classify(DayInput(MONDAY, "Asia/Makassar", MON, last_out=on(MONDAY, 16, 5)))
    assert unexcused_days(0, 2 * default.late_minutes, 0) == 0


def test_a_daily_cap_limits_one_days_deduction() -> None:
    capped = replace(DEFAULT_RULES, code="CAP2", daily_cap_pct=Decimal("2"))
    # In at 09:05 (TL4, 1.5 %) and out at 14:00 (PSW4, 1.5 %): 3 % without a cap.
    args = dict(first_in=on(MONDAY, 9, 5), last_out=on(MONDAY, 14, 0))
    free = classify(DayInput(MONDAY, "Asia/Makassar", MON, **args))
    assert free.deduction_pct == Decimal("3")
    result = classify(DayInput(MONDAY, "Asia/Makassar", MON, rules=capped, **args))
    assert result.codes == ("TL4", "PSW4") and result.deduction_pct == Decimal("2")
    assert "dibatasi 2 % per hari" in result.explanation


@pytest.mark.parametrize(
    ("nth", "pct"),
    [(1, Decimal("0")), (2, Decimal("0")), (3, Decimal("1.5")), (4, Decimal("1.5"))],
)
def test_counted_allowance_sakit_free_up_to_two_days_a_month(nth: int, pct: Decimal) -> None:
    rules = replace(
        DEFAULT_RULES, code="S2", absence_pct={"S": Decimal("1.5")}, allowances={"S": 2}
    )
    result = classify(
        DayInput(
            MONDAY,
            "Asia/Makassar",
            MON,
            absences=(Absence("S", "Sakit"),),
            rules=rules,
            allowance_used={"S": nth - 1},
        )
    )
    assert result.codes == ("S",) and result.deduction_pct == pct
    assert f"S hari ke-{nth} bulan ini" in result.explanation


def test_the_nearest_units_row_wins_and_others_keep_the_regencys() -> None:
    regency = replace(DEFAULT_RULES, id=1, code="KAB")
    dinkes = replace(DEFAULT_RULES, id=2, code="DINKES", unit_id=4, unit_path="/1/4/")
    rsud = replace(DEFAULT_RULES, id=3, code="RSUD", unit_id=9, unit_path="/1/4/9/")
    table = [regency, dinkes, rsud]
    assert rules_on(MONDAY, table, "/1/4/9/12/").code == "RSUD"
    assert rules_on(MONDAY, table, "/1/4/7/").code == "DINKES"
    assert rules_on(MONDAY, table, "/1/5/").code == "KAB"
    assert rules_on(MONDAY, table).code == "KAB"


def test_every_counted_workday_names_its_rule() -> None:
    result = classify(
        DayInput(
            MONDAY, "Asia/Makassar", MON, first_in=on(MONDAY, 8, 12), last_out=on(MONDAY, 16, 5)
        )
    )
    assert result.explanation == (
        "Masuk 08:12 (terlambat 42 menit → TL2), pulang 16:05 (tepat waktu). "
        "Aturan BAWAAN: TL2 1 %."
    )
    on_time = classify(
        DayInput(
            MONDAY, "Asia/Makassar", MON, first_in=on(MONDAY, 7, 20), last_out=on(MONDAY, 16, 5)
        )
    )
    assert on_time.explanation.endswith("Aturan BAWAAN.")


@given(
    seconds=st.floats(min_value=-3600, max_value=36000, allow_nan=False),
)
def test_a_started_minute_is_never_less_than_the_floor_nor_more_than_one_above(
    seconds: float,
) -> None:
    floor = rounded_minutes(seconds, Rounding.FLOOR)
    started = rounded_minutes(seconds, Rounding.STARTED)
    assert 0 <= floor <= started <= floor + 1


@given(
    first_in=st.one_of(st.none(), st.integers(6 * 60, 17 * 60)),
    last_out=st.one_of(st.none(), st.integers(6 * 60, 17 * 60 + 59)),
    cap=st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=2)),
    missing=st.sampled_from(list(MissingPunch)),
)
def test_the_daily_cap_bounds_every_day_and_booked_minutes_only_come_with_a_missing_punch(
    first_in: int | None, last_out: int | None, cap: Decimal | None, missing: MissingPunch
) -> None:
    rules = replace(
        DEFAULT_RULES, daily_cap_pct=cap, missing_punch=missing, missing_punch_minutes=120
    )

    def moment(minutes: int | None) -> datetime | None:
        return None if minutes is None else on(MONDAY, minutes // 60, minutes % 60)

    result = classify(
        DayInput(
            MONDAY,
            "Asia/Makassar",
            MON,
            first_in=moment(first_in),
            last_out=moment(last_out),
            rules=rules,
        )
    )
    uncapped = classify(
        DayInput(MONDAY, "Asia/Makassar", MON, first_in=moment(first_in), last_out=moment(last_out))
    )
    assert result.codes == uncapped.codes  # the forms change costs and minutes, not codes
    if cap is not None:
        assert result.deduction_pct <= cap
    assert result.deduction_pct == min(uncapped.deduction_pct, cap if cap is not None else 999)
    if first_in is not None and last_out is not None and last_out >= first_in:
        # Both punches counted: no minutes are booked, the rounding is the default's.
        assert (result.late_minutes, result.early_minutes) == (
            uncapped.late_minutes,
            uncapped.early_minutes,
        )
