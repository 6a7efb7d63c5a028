"""The annual leave balance per PP 11/2017 in the API and on the Pengajuan page."""

from __future__ import annotations

from datetime import date
from typing import Any

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.schedules.models import UnitCalendar
from tests.conftest import ApiClient, make_employee


def _leave(employee: Any, start: date, end: date) -> None:
    AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="CT"),
        start_date=start,
        end_date=end,
        reason="Keluarga",
        status=AbsenceRequest.Status.APPROVED,
    )


def test_two_untaken_years_give_24_days_computed(clock, phone: ApiClient) -> None:
    # NIP 198705122010011003: TMT January 2010; no leave in 2024 or 2025 (PP 11/2017 312(3)).
    body = phone.get("/api/v1/requests/balance").json()
    assert body["year"] == 2026
    assert (body["entitled"], body["carried"], body["total"], body["remaining"]) == (
        12,
        12,
        24,
        24,
    )
    steps = "\n".join(body["derivation"])
    assert "TMT 01-01-2010 (dari NIP digit 9–14)" in steps
    assert "ps. 312 ayat (3)" in steps


def test_one_year_with_leave_gives_18(clock, phone: ApiClient, employee: Any) -> None:
    _leave(employee, date(2025, 6, 2), date(2025, 6, 4))  # 3 working days in 2025
    _leave(employee, date(2026, 3, 2), date(2026, 3, 3))  # 2 in 2026
    body = phone.get("/api/v1/requests/balance", year=2026).json()
    assert (body["carried"], body["used"], body["remaining"]) == (6, 2, 16)
    assert "ps. 312 ayat (1)" in "\n".join(body["derivation"])


def test_a_unit_with_its_own_calendar_gets_cuti_bersama_back(
    clock, phone: ApiClient, employee: Any
) -> None:
    # 2026 has 8 cuti bersama, all on weekdays; a hospital works them (PP 11/2017 333(3)).
    UnitCalendar.objects.create(unit=employee.unit)
    body = phone.get("/api/v1/requests/balance").json()
    assert body["cuti_bersama_compensation"] == 8
    assert body["total"] == 24 + 8
    assert "ps. 333 ayat (3)" in "\n".join(body["derivation"])


def test_no_annual_leave_in_the_first_year_of_service(clock, client: Any, unit: Any) -> None:
    # NIP TMT March 2026 (digits 9–14: 202603): leave from 1 March 2027 (PP 11/2017 ps. 310).
    new = make_employee(unit, "199801012026031001", "Pegawai Baru")
    phone = ApiClient(client)
    assert phone.login(new.nip).status_code == 200
    body = phone.get("/api/v1/requests/balance").json()
    assert (body["entitled"], body["remaining"]) == (0, 0)
    assert body["available_from"] == "2027-03-01"
    before = AbsenceRequest.objects.count()
    response = phone.client.post(
        "/api/v1/requests",
        {"type": "CT", "start_date": "2026-12-07", "end_date": "2026-12-08", "reason": "Pulang"},
        headers=phone._headers(),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "leave_not_yet_entitled"
    assert "PP 11/2017 ps. 310" in error["message"] and "01-03-2027" in error["message"]
    assert AbsenceRequest.objects.count() == before  # nothing written


def test_the_tmt_field_wins_over_the_nip(clock, phone: ApiClient, employee: Any) -> None:
    employee.tmt = date(2026, 1, 15)
    employee.save()
    body = phone.get("/api/v1/requests/balance").json()
    assert body["entitled"] == 0 and body["available_from"] == "2027-01-15"
    assert "TMT 15-01-2026 (data pegawai)" in body["derivation"][0]
    nxt = phone.get("/api/v1/requests/balance", year=2027).json()
    assert (nxt["entitled"], nxt["carried"], nxt["available_from"]) == (12, 0, "2027-01-15")


def test_it_refuses_a_year_out_of_range(clock, phone: ApiClient) -> None:
    response = phone.get("/api/v1/requests/balance", year=1900)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_pengajuan_page_shows_the_balance_and_how_it_was_reached(
    clock, client: Any, employee: Any
) -> None:
    client.force_login(employee.user)
    text = client.get("/pengajuan/").content.decode()
    assert "Sisa cuti tahunan 2026" in text
    assert 'data-remaining="24"' in text
    assert "PP 11/2017 ps. 312 ayat (3)" in text
