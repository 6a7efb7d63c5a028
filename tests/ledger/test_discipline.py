"""PP 94/2021 art. 11 ladder for unexcused absence."""

from __future__ import annotations

import pytest

from govem.rules.discipline import (
    DayKind,
    level_for,
    longest_tk_run,
    trailing_tk_run,
    unexcused_days,
)


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (2, None),
        (3, "teguran_lisan"),
        (4, "teguran_tertulis"),
        (6, "teguran_tertulis"),
        (7, "pernyataan_tidak_puas"),
        (10, "pernyataan_tidak_puas"),
        (11, "tpp_25_6"),
        (14, "tpp_25_9"),
        (17, "tpp_25_12"),
        (21, "penurunan_jabatan"),
        (25, "pembebasan_jabatan"),
        (27, "pembebasan_jabatan"),
        (28, "pemberhentian"),
        (40, "pemberhentian"),
    ],
)
def test_it_maps_unexcused_days_to_the_ladder(days: int, level: str | None) -> None:
    found = level_for(days)
    assert (found.code if found else None) == level


def test_it_dismisses_after_ten_consecutive_tk_days() -> None:
    assert level_for(10, consecutive_tk=10).code == "pemberhentian"
    assert level_for(10, consecutive_tk=9).code == "pernyataan_tidak_puas"


def test_it_counts_450_late_or_early_minutes_as_one_day() -> None:
    assert unexcused_days(2, 449, 0) == 2
    assert unexcused_days(2, 300, 150) == 3
    assert unexcused_days(0, 900, 0) == 2


def test_it_keeps_a_tk_run_across_weekends_but_breaks_it_on_a_worked_day() -> None:
    week = [DayKind.TK] * 5 + [DayKind.OFF] * 2 + [DayKind.TK] * 5
    assert longest_tk_run(week) == 10
    broken = [DayKind.TK] * 5 + [DayKind.OTHER] + [DayKind.TK] * 5
    assert longest_tk_run(broken) == 5


def test_a_run_carried_in_from_the_previous_period_goes_on() -> None:
    # PP 94/2021 art. 11: "10 hari kerja berturut-turut", no "within one year".
    december = [DayKind.TK] * 3 + [DayKind.OFF] * 2 + [DayKind.TK] * 4
    january = [DayKind.OFF] + [DayKind.TK] * 4
    assert trailing_tk_run(december) == 7
    assert longest_tk_run(january) == 4
    assert longest_tk_run(january, carried=trailing_tk_run(december)) == 11
    assert level_for(4, consecutive_tk=11).code == "pemberhentian"


def test_a_worked_day_at_the_end_leaves_nothing_to_carry() -> None:
    assert trailing_tk_run([DayKind.TK] * 9 + [DayKind.OTHER]) == 0
    assert trailing_tk_run([DayKind.TK] * 9 + [DayKind.OFF]) == 9
    # The carried run counts alone when the new period breaks it at once.
    assert longest_tk_run([DayKind.OTHER, DayKind.TK], carried=6) == 6
