"""``/kalender/<year>/``: every non-working day of the year with its source."""

from __future__ import annotations

from datetime import date

from django.test import Client

from govem.people.models import Employee, Unit
from govem.schedules.models import CalendarOverride, UnitCalendar


def test_it_requires_login(client: Client, db: None) -> None:
    response = client.get("/kalender/2026/")
    assert response.status_code == 302
    assert "/kalender/2026/" in response["Location"]


def test_it_lists_holidays_cuti_bersama_and_decrees(
    client: Client, employee: Employee, unit: Unit
) -> None:
    CalendarOverride.objects.create(
        date=date(2026, 12, 1), kind="holiday", name="Hari Jadi Kabupaten Tapin", decree="12/2026"
    )
    CalendarOverride.objects.create(
        date=date(2026, 12, 24), kind="workday", name="Cuti bersama Natal", decree="7/2026"
    )
    UnitCalendar.objects.create(unit=unit, note="Layanan 24 jam")
    client.force_login(employee.user)
    response = client.get("/kalender/2026/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hari Kemerdekaan Republik Indonesia" in html
    assert "Libur nasional" in html
    assert "Cuti bersama" in html
    assert "Lokal (SK 12/2026)" in html
    assert "Dihapus oleh SK 7/2026" in html
    assert "Layanan 24 jam" in html
    rows = response.context["rows"]
    christmas_eve = [row for row in rows if row.day == date(2026, 12, 24)]
    assert {row.code for row in christmas_eve} == {""}, "removed everywhere: a workday again"
    assert [row.day for row in rows] == sorted(row.day for row in rows)


def test_it_refuses_absurd_years(client: Client, employee: Employee) -> None:
    client.force_login(employee.user)
    assert client.get("/kalender/1500/").status_code == 404
