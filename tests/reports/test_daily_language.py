"""The daily report page explains each day in the page's language; the files stay Indonesian."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from openpyxl import load_workbook

from govem.attendance.days import recompute_days
from govem.people.models import Employee
from govem.reports.daily import daily_report
from govem.reports.daily_formats import daily_xlsx
from govem.reports.verification import verify_daily
from tests.english import indonesian_words
from tests.helpers.days import MONDAY, punch


def page(regency: Any, language: str, **query: Any) -> str:
    browser = Client()
    browser.force_login(regency.tim_it, backend="django.contrib.auth.backends.ModelBackend")
    response = browser.get(
        "/laporan/", {"tanggal": MONDAY.isoformat(), **query}, headers={"accept-language": language}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_it_explains_each_day_in_english_on_the_english_page(regency: Any) -> None:
    html = page(regency, "en")
    # Siti: in 08:12, 42 minutes late (TL2), no check-out (PSW4); Rahmat on time.
    assert "Checked in at 08:12 (42 minutes late → TL2), no check-out → PSW4." in html
    assert "Checked in at 07:25 (on time), checked out at 16:03 (on time)." in html
    assert "Absent without leave (TK): no check-in and no check-out." in html
    names = list(Employee.objects.values_list("name", flat=True))
    places = [
        "Pemerintah Kabupaten Tapin",
        "PEMERINTAH KABUPATEN TAPIN",
        "Kantor Diskominfo",
        "Dinas Kesehatan",
        "Diskominfo",
        "Pranata Komputer",
    ]
    units = list(Employee.objects.values_list("unit__name", flat=True).distinct())
    positions = [p for p in Employee.objects.values_list("position", flat=True) if p]
    found = indonesian_words(html, allowed=[*names, *places, *units, *positions])
    assert not found, found


def test_it_keeps_the_stored_indonesian_explanation_on_the_indonesian_page(regency: Any) -> None:
    html = page(regency, "id")
    report = daily_report(Employee.objects.all(), MONDAY)
    siti = next(row for row in report.rows if row.nip == regency.colleague.nip)
    assert siti.page_remarks == siti.remarks == siti.explanation
    assert siti.explanation.startswith("Masuk 08:12 (terlambat 42 menit → TL2)")
    assert siti.explanation in html


def test_it_says_a_change_after_verification_in_english_and_in_indonesian_in_the_file(
    regency: Any,
) -> None:
    verify_daily(user=regency.operator, day=MONDAY, unit=regency.unit)
    punch(regency.colleague, MONDAY, 16, 10, "out", regency.office, 20.0)
    recompute_days([regency.colleague.pk], MONDAY, MONDAY, reason="lupa presensi pulang, memo")
    html = page(regency, "en", unit=regency.unit.pk)
    assert (
        "[CHANGED AFTER VERIFICATION: Check out - → 16:10; Check-out location - → Kantor "
        "Diskominfo; Check-out distance - → 20; Status TL2 PSW4 → TL2 (reason: lupa presensi "
        "pulang, memo)]"
    ) in html
    # The list above the table names the same cells.
    assert (
        "(199002022015032001): Check out - → 16:10; Check-out location - → Kantor Diskominfo; "
        "Check-out distance - → 20; Status TL2 PSW4 → TL2 — reason: lupa presensi pulang, memo"
    ) in " ".join(html.replace("<strong>", "").replace("</strong>", "").split())
    report = daily_report(Employee.objects.all(), MONDAY, regency.unit)
    siti = next(row for row in report.rows if row.nip == regency.colleague.nip)
    assert "DIUBAH SETELAH VERIFIKASI: Pulang - → 16:10" in siti.remarks
    sheet = load_workbook(io.BytesIO(daily_xlsx(report)), read_only=True).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("DIUBAH SETELAH VERIFIKASI: Pulang - → 16:10" in cell for cell in cells)
    assert not any("CHANGED AFTER VERIFICATION" in cell for cell in cells)
