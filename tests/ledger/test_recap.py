"""Monthly recap and discipline: the API (own), the pages (own, subordinates, unit)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from govem.attendance.recap import MonthRecap, add_day
from govem.people.models import Employee
from tests.helpers.days import MONDAY, lay
from tests.helpers.regency import build_regency, logged_in

NOVEMBER = date(2026, 11, 1)


@pytest.fixture
def regency(unit, office, employee, colleague) -> Any:
    return build_regency(unit, office, employee, colleague)


def week(employee: Employee) -> None:
    """Mon on time, Tue TL2, Wed no check-out (PSW4), Thu TK, Fri early (PSW1)."""
    lay(employee, MONDAY, 7, 25, "in")
    lay(employee, MONDAY, 16, 2, "out")
    lay(employee, MONDAY + timedelta(days=1), 8, 12, "in")
    lay(employee, MONDAY + timedelta(days=1), 16, 5, "out")
    lay(employee, MONDAY + timedelta(days=2), 7, 29, "in")
    lay(employee, MONDAY + timedelta(days=4), 7, 29, "in")
    lay(employee, MONDAY + timedelta(days=4), 16, 10, "out")


def test_it_answers_the_own_recap_in_the_api(phone, employee, december) -> None:
    week(employee)
    recompute_days([employee.pk], NOVEMBER, date(2026, 11, 30))
    response = phone.get("/api/v1/recap", month="2026-11")
    assert response.status_code == 200
    body = response.json()
    assert body["days_scheduled"] == 21
    assert body["days_present"] == 4
    assert body["codes"]["TL2"] == 1
    assert body["codes"]["PSW4"] == 1
    assert body["codes"]["PSW1"] == 1
    assert body["tk_days"] == 21 - 4
    assert body["late_minutes"] == 42
    # TL2 1 + PSW4 1.5 + PSW1 0.5 + 17 TK × 3 = 54
    assert body["deduction_pct"] == "54"
    assert body["discipline"]["unexcused_days"] == 17
    assert body["discipline"]["level"] == "pemberhentian"  # 17 TK in a row from Nov 6
    assert len(body["days"]) == 30


def test_it_caps_the_month(phone, employee, december) -> None:
    recompute_days([employee.pk], NOVEMBER, date(2026, 11, 30))
    DayRecord.objects.filter(employee=employee, codes=["TK"]).update(deduction_pct=Decimal("9"))
    body = phone.get("/api/v1/recap", month="2026-11").json()
    assert body["deduction_uncapped_pct"] == "189"
    assert body["deduction_pct"] == "100"


def test_it_lists_own_days_in_the_api(phone, employee, december) -> None:
    week(employee)
    recompute_days([employee.pk], MONDAY, MONDAY + timedelta(days=4))
    response = phone.get("/api/v1/days", **{"from": "2026-11-02", "to": "2026-11-06"})
    days = response.json()
    assert [d["status"] for d in days] == ["H", "TL2", "PSW4", "TK", "PSW1"]
    assert days[1]["first_in"] == "2026-11-03T08:12:00+08:00"
    assert days[1]["explanation"].startswith("Masuk 08:12 (terlambat 42 menit → TL2)")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/recap", {"month": "2026-13"}, "month"),
        ("/api/v1/recap", {"month": "nov"}, "month"),
        ("/api/v1/days", {"from": "2026-11-06", "to": "2026-11-02"}, "to"),
        ("/api/v1/days", {"from": "2025-01-01", "to": "2026-11-02"}, "to"),
    ],
)
def test_it_refuses_bad_parameters_with_422(phone, path, params, field) -> None:
    response = phone.get(path, **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    # The schema's pattern names it in details.fields; the range rule in details.field.
    named = [item["field"] for item in error["details"].get("fields", [])]
    assert named == [field] or error["details"].get("field") == field


def test_it_names_a_missing_parameter(phone) -> None:
    response = phone.get("/api/v1/recap")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_it_shows_the_employee_only_their_own_recap(regency, december) -> None:
    week(regency.employee)
    recompute_days(None, NOVEMBER, date(2026, 11, 30))
    client = logged_in(regency.employee.user)
    page = client.get("/rekap/", {"bulan": "2026-11"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rekap saya" in text
    assert "Masuk 08:12 (terlambat 42 menit → TL2)" in text
    assert regency.colleague.name not in text
    assert client.get(f"/rekap/{regency.colleague.pk}/").status_code == 404
    assert client.get(f"/rekap/{regency.employee.pk}/", {"bulan": "2026-11"}).status_code == 200


def test_it_scopes_the_supervisor_to_direct_subordinates(regency, december) -> None:
    recompute_days(None, NOVEMBER, date(2026, 11, 30))
    client = logged_in(regency.supervisor.user)
    text = client.get("/rekap/", {"bulan": "2026-11"}).content.decode()
    assert regency.employee.name in text
    assert regency.colleague.name not in text
    assert client.get(f"/rekap/{regency.employee.pk}/").status_code == 200
    assert client.get(f"/rekap/{regency.colleague.pk}/").status_code == 404


def test_it_scopes_the_operator_to_the_unit(regency, december) -> None:
    recompute_days(None, NOVEMBER, date(2026, 11, 30))
    own = logged_in(regency.operator)
    text = own.get("/rekap/", {"bulan": "2026-11"}).content.decode()
    assert regency.employee.name in text
    assert regency.colleague.name in text
    assert regency.other_employee.name not in text
    assert own.get(f"/rekap/{regency.other_employee.pk}/").status_code == 404
    outsider = logged_in(regency.outsider)
    assert outsider.get(f"/rekap/{regency.employee.pk}/").status_code == 404
    assert outsider.get("/rekap/", {"unit": regency.unit.pk}).status_code == 404


def test_it_shows_the_operator_who_crossed_a_discipline_level(regency, december) -> None:
    for n in range(4):  # present Nov 2–5, then TK from Nov 6 on
        lay(regency.colleague, MONDAY + timedelta(days=n), 7, 20, "in")
        lay(regency.colleague, MONDAY + timedelta(days=n), 16, 10, "out")
    recompute_days(None, date(2026, 10, 1), date(2026, 11, 30))
    # October present for everyone, so nobody stood on a level before November.
    DayRecord.objects.filter(date__month=10).update(codes=["H"], status="H", deduction_pct=0)
    text = logged_in(regency.operator).get("/rekap/", {"bulan": "2026-11"}).content.decode()
    section = text.split("naik tingkat bulan ini", 1)[1].split("</table>", 1)[0]
    assert regency.colleague.name in section
    assert "Pemberhentian" in section  # 17 consecutive TK working days
    assert "Tidak ada pegawai yang naik tingkat" not in section
    assert regency.other_employee.name not in text


def test_it_refuses_a_bad_month_on_the_page(regency) -> None:
    response = logged_in(regency.employee.user).get("/rekap/", {"bulan": "2026-99"})
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


codes = st.sampled_from([["H"], ["TL1"], ["TL2", "PSW1"], ["TK"], ["CT"], ["L"], [], ["PSW4"]])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(st.lists(st.tuples(codes, st.integers(0, 200), st.integers(0, 200)), max_size=31))
def test_it_makes_the_recap_exactly_the_sum_of_its_days(days: list[Any]) -> None:
    from govem.rules.bands import capped, day_deduction

    recap = MonthRecap(employee=Employee(pk=1), month=NOVEMBER)
    expected = Decimal("0")
    for n, (day_codes, late, early) in enumerate(days):
        pct = day_deduction(day_codes)
        expected += pct
        add_day(
            recap,
            DayRecord(
                date=NOVEMBER + timedelta(days=n),
                workday=day_codes != ["L"],
                codes=day_codes,
                late_minutes=late,
                early_minutes=early,
                deduction_pct=pct,
            ),
        )
    assert recap.late_minutes == sum(d[1] for d in days)
    assert recap.early_minutes == sum(d[2] for d in days)
    assert recap.tk_days == sum(1 for d in days if d[0] == ["TK"])
    assert sum(recap.counts.values()) == sum(len(d[0]) for d in days)
    assert recap.deduction_uncapped == expected
    assert recap.deduction == capped(expected, recap.cap) <= recap.cap


def test_it_lets_tim_it_pick_a_unit_for_the_table(regency, december) -> None:
    recompute_days(None, NOVEMBER, date(2026, 11, 30))
    client = logged_in(regency.tim_it)
    whole = client.get("/rekap/", {"bulan": "2026-11"}).content.decode()
    assert "Pilih unit" in whole
    assert "naik tingkat bulan ini" in whole
    unit_page = client.get("/rekap/", {"bulan": "2026-11", "unit": regency.other_unit.pk})
    text = unit_page.content.decode()
    assert regency.other_employee.name in text
    assert regency.employee.name not in text.split("Pegawai dalam cakupan", 1)[1]
