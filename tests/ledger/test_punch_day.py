"""The punch response carries the day it lands on."""

from __future__ import annotations

from govem.attendance.models import DayRecord


def test_it_answers_a_check_in_with_the_day(phone, employee, clock) -> None:
    response = phone.punch("in")
    assert response.status_code == 201
    day = response.json()["day"]
    assert day["status"] == "H"
    assert day["late_minutes"] == 0
    assert day["explanation"] == "Masuk 07:10 (tepat waktu), belum presensi pulang. Aturan BAWAAN."
    assert DayRecord.objects.get(employee=employee).codes == ["H"]


def test_it_answers_a_late_check_in_with_its_band(phone, clock) -> None:
    clock.move_to("2026-11-30T00:12:00+00:00")  # 08:12 WITA
    day = phone.punch("in").json()["day"]
    assert (day["status"], day["late_minutes"]) == ("TL2", 42)
    assert day["deduction_pct"] == "1"


def test_it_answers_an_early_check_out(phone, clock) -> None:
    phone.punch("in")
    clock.move_to("2026-11-30T07:45:00+00:00")  # 15:45 WITA
    day = phone.punch("out").json()["day"]
    assert day["status"] == "PSW1"
    assert day["early_minutes"] == 15
    assert day["explanation"].endswith(
        "pulang 15:45 (lebih awal 15 menit → PSW1). Aturan BAWAAN: PSW1 0,5 %."
    )


def test_it_gives_no_day_to_a_refused_punch(phone, clock) -> None:
    response = phone.punch("in", latitude=-3.5, longitude=115.0)
    assert response.status_code == 422
    assert "day" not in response.json()
    assert not DayRecord.objects.exists()


def test_the_receipt_rounds_late_and_early_minutes_as_the_rule_row_says(phone, clock) -> None:
    from govem.attendance.models import RuleSet

    RuleSet.objects.filter(active=True).update(late_rounding="started", early_rounding="floor")
    clock.move_to("2026-11-29T23:30:30+00:00")  # 07:30:30 WITA: a started minute is late
    check_in = phone.punch("in").json()
    assert (check_in["late_minutes"], check_in["day"]["late_minutes"]) == (1, 1)
    clock.move_to("2026-11-30T07:59:30+00:00")  # 15:59:30 WITA: floor, not early
    check_out = phone.punch("out").json()
    assert (check_out["early_minutes"], check_out["day"]["early_minutes"]) == (0, 0)
