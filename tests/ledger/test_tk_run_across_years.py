"""Ten consecutive TK working days across the year boundary (PP 94/2021 art. 11(2)(d):
"10 hari kerja berturut-turut" — the rule has no "within one year")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from tests.helpers.days import lay
from tests.helpers.regency import build_regency, logged_in

# 20 Jan 2027, 12:00 WITA: the whole run has closed.
MID_JANUARY = datetime(2027, 1, 20, 4, 0, tzinfo=UTC)
RUN_START, RUN_END = date(2026, 12, 21), date(2027, 1, 8)


@pytest.fixture
def january() -> Iterator[Any]:
    with time_machine.travel(MID_JANUARY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def regency(unit, office, employee, colleague) -> Any:
    return build_regency(unit, office, employee, colleague)


def absent_21_dec_to_8_jan(regency: Any) -> None:
    """Everyone present up to 18 Dec and from 11 Jan; the employee absent 21 Dec – 8 Jan."""
    day = date(2026, 12, 1)
    while day <= date(2027, 1, 19):
        if not RUN_START <= day <= RUN_END and day.weekday() < 5:
            lay(regency.employee, day, 7, 20, "in")
            lay(regency.employee, day, 16, 40, "out")
        day += timedelta(days=1)
    recompute_days([regency.employee.pk], date(2026, 12, 1), date(2027, 1, 19))


def test_the_run_counts_december_and_january_as_one(january, regency, phone) -> None:
    absent_21_dec_to_8_jan(regency)
    tk = list(
        DayRecord.objects.filter(employee=regency.employee, status="TK")
        .order_by("date")
        .values_list("date", flat=True)
    )
    # 21–23, 28–31 Dec (24 Dec cuti bersama, 25 Natal); 4, 6–8 Jan (1 Jan, 5 Jan Isra Mikraj)
    assert len(tk) == 11 and tk[0] == RUN_START and tk[-1] == RUN_END
    body = phone.get("/api/v1/recap", month="2027-01").json()
    assert body["tk_days"] == 4
    assert body["discipline"]["unexcused_days"] == 4  # the yearly count starts on 1 January
    assert body["discipline"]["longest_tk_run"] == 11  # the run does not
    assert body["discipline"]["level"] == "pemberhentian"
    december = phone.get("/api/v1/recap", month="2026-12").json()["discipline"]
    assert december["level"] == "pernyataan_tidak_puas"  # 7 TK days in 2026


def test_a_worked_day_between_the_years_breaks_the_run(january, regency, phone) -> None:
    absent_21_dec_to_8_jan(regency)
    lay(regency.employee, date(2027, 1, 4), 7, 20, "in")
    lay(regency.employee, date(2027, 1, 4), 16, 40, "out")
    recompute_days([regency.employee.pk], date(2027, 1, 4), date(2027, 1, 4))
    body = phone.get("/api/v1/recap", month="2027-01").json()["discipline"]
    assert body["longest_tk_run"] == 7  # 21–31 Dec, carried; 6–8 Jan is 3
    assert body["level"] == "teguran_lisan"  # 3 days in 2027, no run of ten


def test_the_operator_sees_the_january_crossing_to_dismissal(regency, january) -> None:
    absent_21_dec_to_8_jan(regency)
    text = logged_in(regency.operator).get("/rekap/", {"bulan": "2027-01"}).content.decode()
    section = text.split("naik tingkat bulan ini", 1)[1].split("</table>", 1)[0]
    assert regency.employee.name in section
    assert "<td>0 → 4</td>" in section and "<td>11</td>" in section
    assert "Pemberhentian" in section


def test_a_run_across_a_month_boundary_inside_the_year(regency, phone) -> None:
    # Absent Mon 23 Feb – Fri 6 Mar 2026: 5 + 5 TK working days, none in one month alone is
    # ten; the run is (PP 94/2021 art. 11(2)(d)). Neighbour: one day fewer is not dismissal.
    with time_machine.travel(datetime(2026, 4, 1, 4, 0, tzinfo=UTC), tick=False):
        day = date(2026, 2, 2)
        while day <= date(2026, 3, 31):
            if not date(2026, 2, 23) <= day <= date(2026, 3, 6) and day.weekday() < 5:
                lay(regency.employee, day, 7, 20, "in")
                lay(regency.employee, day, 16, 40, "out")
            day += timedelta(days=1)
        recompute_days([regency.employee.pk], date(2026, 2, 2), date(2026, 3, 31))
        march = phone.get("/api/v1/recap", month="2026-03").json()
        assert march["tk_days"] == 5
        assert march["discipline"]["unexcused_days"] == 10
        assert march["discipline"]["longest_tk_run"] == 10
        assert march["discipline"]["level"] == "pemberhentian"
        february = phone.get("/api/v1/recap", month="2026-02").json()["discipline"]
        assert (
            february["level"] == "teguran_tertulis"
        )  # 5 days; the run is only computed from 10 TK days
        lay(regency.employee, date(2026, 3, 6), 7, 20, "in")
        lay(regency.employee, date(2026, 3, 6), 16, 40, "out")
        recompute_days([regency.employee.pk], date(2026, 3, 6), date(2026, 3, 6))
        body = phone.get("/api/v1/recap", month="2026-03").json()["discipline"]
        assert body["level"] == "pernyataan_tidak_puas"  # 9 days, no run of ten
