"""The example month of docs/ledger.md through the ledger and the API (/api/v1/days,
/api/v1/recap): the same punches under BAWAAN, Contoh Banjarmasin and a capped row with a
counted allowance; a rule row for one unit only."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord, RuleSet
from govem.people.models import Unit
from tests.conftest import make_employee
from tests.helpers.days import lay_at as punch

WITA = ZoneInfo("Asia/Makassar")
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def example_month(employee: Any) -> None:
    """docs/ledger.md "Example months": the punches and the sakit of November 2026."""
    day = date(2026, 11, 2)
    while day <= date(2026, 11, 30):
        if day.weekday() < 5 and day not in {
            date(2026, 11, 2),
            date(2026, 11, 3),
            date(2026, 11, 5),
            date(2026, 11, 9),
            date(2026, 11, 10),
            date(2026, 11, 11),
        }:
            punch(employee, day, time(7, 20), "in")
            punch(employee, day, time(16, 40), "out")
        day = date.fromordinal(day.toordinal() + 1)
    punch(employee, date(2026, 11, 2), time(7, 30, 59), "in")
    punch(employee, date(2026, 11, 2), time(15, 59, 30), "out")
    punch(employee, date(2026, 11, 3), time(16, 5), "out")
    AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="S"),
        start_date=date(2026, 11, 9),
        end_date=date(2026, 11, 11),
        reason="Demam",
        status=AbsenceRequest.Status.APPROVED,
    )


def use(code: str, **changes: Any) -> RuleSet:
    """Make ``code`` the regency's row in force (the others inactive)."""
    RuleSet.objects.update(active=False)
    rule_set = RuleSet.objects.get(code=code)
    for name, value in changes.items():
        setattr(rule_set, name, value)
    rule_set.active = True
    rule_set.save()
    return rule_set


def by_date(phone: Any) -> dict[str, dict[str, Any]]:
    days = phone.get("/api/v1/days", **{"from": "2026-11-01", "to": "2026-11-30"}).json()
    return {day["date"]: day for day in days}


@pytest.mark.parametrize(
    ("setup", "expected", "month_pct"),
    [
        (
            ("BAWAAN", {}),
            {
                "2026-11-02": (["PSW1"], "0.5", 0, 1),
                "2026-11-03": (["TL4"], "1.5", 0, 0),
                "2026-11-05": (["TK"], "3", 0, 0),
                "2026-11-09": (["S"], "0", 0, 0),
                "2026-11-11": (["S"], "0", 0, 0),
            },
            "5",
        ),
        (
            ("CONTOH-BJM", {"valid_from": date(2000, 1, 1)}),
            {
                "2026-11-02": (["H"], "0", 0, 0),
                "2026-11-03": (["TL4"], "1.5", 255, 0),
                "2026-11-05": (["TK"], "4.76", 0, 0),
                "2026-11-11": (["S"], "0", 0, 0),
            },
            "6.26",
        ),
        (
            (
                "BAWAAN",
                {
                    "allowances": {"S": 2},
                    "absence_pcts": {"S": "1.5"},
                    "daily_cap_pct": Decimal("2"),
                },
            ),
            {
                "2026-11-05": (["TK"], "2", 0, 0),
                "2026-11-09": (["S"], "0", 0, 0),
                "2026-11-10": (["S"], "0", 0, 0),
                "2026-11-11": (["S"], "1.5", 0, 0),
            },
            "5.5",
        ),
        (
            (
                "BAWAAN",
                {
                    "late_rounding": "started",
                    "missing_punch": "fixed",
                    "missing_punch_minutes": 240,
                },
            ),
            {
                "2026-11-02": (["TL1", "PSW1"], "1", 1, 1),
                "2026-11-03": (["TL4"], "1.5", 240, 0),
                "2026-11-05": (["TK"], "3", 0, 0),
                "2026-11-09": (["S"], "0", 0, 0),
            },
            "5.5",
        ),
    ],
)
def test_the_example_month_of_the_ledger_doc(
    december: Any, phone: Any, employee: Any, setup: Any, expected: Any, month_pct: str
) -> None:
    code, changes = setup
    rule_set = use(code, **changes)
    example_month(employee)
    recompute_days([employee.pk], *NOVEMBER)
    days = by_date(phone)
    for day, (codes, pct, late, early) in expected.items():
        got = days[day]
        assert (got["codes"], got["deduction_pct"]) == (codes, pct), (day, got["explanation"])
        assert (got["late_minutes"], got["early_minutes"]) == (late, early), day
        assert f"Aturan {rule_set.code}" in got["explanation"]
    recap = phone.get("/api/v1/recap", month="2026-11").json()
    assert recap["days_scheduled"] == 21
    assert recap["deduction_pct"] == month_pct


def test_recomputing_one_day_keeps_the_allowance_count_of_the_month(
    december: Any, employee: Any
) -> None:
    use("BAWAAN", allowances={"S": 2}, absence_pcts={"S": "1.5"})
    example_month(employee)
    recompute_days([employee.pk], *NOVEMBER)
    # Recomputing the third sick day alone still sees the two before it in the ledger.
    recompute_days([employee.pk], date(2026, 11, 11), date(2026, 11, 11))
    third = DayRecord.objects.get(employee=employee, date=date(2026, 11, 11))
    assert third.deduction_pct == Decimal("1.5")
    # Cancelling the first sick day frees the allowance for the third (end of month recomputed).
    AbsenceRequest.objects.filter(employee=employee).update(start_date=date(2026, 11, 10))
    punch(employee, date(2026, 11, 9), time(7, 20), "in")
    punch(employee, date(2026, 11, 9), time(16, 40), "out")
    recompute_days([employee.pk], date(2026, 11, 9), date(2026, 11, 9))
    third.refresh_from_db()
    assert third.deduction_pct == Decimal("0")


def test_a_units_row_applies_to_that_unit_only(december: Any, unit: Unit, office: Any) -> None:
    hospital = Unit.objects.create(code="RSUD", name="RSUD Datu Sanggul")
    hospital.locations.add(office)
    nurse = make_employee(hospital, "199103032016042001", "Perawat")
    clerk = make_employee(unit, "199104042016041001", "Staf")
    RuleSet.objects.create(
        code="RSUD-TK5",
        name="RSUD: TK 5 %",
        valid_from=date(2026, 1, 1),
        unit=hospital,
        **{f: getattr(RuleSet.objects.get(code="BAWAAN"), f) for f in (
            "tl1_pct", "tl2_pct", "tl3_pct", "tl4_pct",
            "psw1_pct", "psw2_pct", "psw3_pct", "psw4_pct", "monthly_cap_pct",
        )},
        tk_pct=Decimal("5"),
    )  # fmt: skip
    recompute_days([nurse.pk, clerk.pk], date(2026, 11, 2), date(2026, 11, 2))
    assert DayRecord.objects.get(employee=nurse, date=date(2026, 11, 2)).deduction_pct == 5
    assert DayRecord.objects.get(employee=clerk, date=date(2026, 11, 2)).deduction_pct == 3
