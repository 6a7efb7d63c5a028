"""The monthly sheet: employees × days with codes, totals per code, minutes, deduction —
the same numbers as the recap — in XLSX (with a chart), CSV and PDF."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from govem.attendance.days import recompute_days
from govem.attendance.recap import recaps
from govem.people.models import Employee
from govem.reports.monthly import monthly_sheet
from govem.reports.monthly_formats import headers, monthly_csv, monthly_pdf, monthly_xlsx
from tests.helpers.days import MONDAY, lay

NOVEMBER = date(2026, 11, 1)


def _week(regency) -> None:
    """Rahmat: Tue TL2; Wed no check-out; Fri on time. Recomputed for all of November."""
    employee = regency.employee
    lay(employee, MONDAY + timedelta(days=1), 8, 12, "in")
    lay(employee, MONDAY + timedelta(days=1), 16, 5, "out")
    lay(employee, MONDAY + timedelta(days=2), 7, 29, "in")
    lay(employee, MONDAY + timedelta(days=4), 7, 20, "in")
    lay(employee, MONDAY + timedelta(days=4), 16, 10, "out")
    recompute_days(None, NOVEMBER, date(2026, 11, 30))


def test_the_sheet_matches_the_recap(regency) -> None:
    _week(regency)
    sheet = monthly_sheet(Employee.objects.all(), NOVEMBER)
    assert len(sheet.dates) == 30
    expected = {recap.employee.pk: recap for recap in recaps(Employee.objects.all(), NOVEMBER)}
    for row in sheet.rows:
        recap = expected[row.employee_id]
        assert row.recap.counts == recap.counts
        assert row.recap.deduction == recap.deduction
        assert row.recap.late_minutes == recap.late_minutes
    rahmat = next(row for row in sheet.rows if row.employee_id == regency.employee.pk)
    assert rahmat.days[1] == "H"  # Mon 2 Nov (fixture: on time)
    assert rahmat.days[2] == "TL2"
    assert rahmat.days[3] == "PSW4"
    assert rahmat.days[0] == "L"  # Sunday 1 Nov
    assert "TK" in sheet.codes and sheet.codes.index("H") < sheet.codes.index("TK")


def test_the_xlsx_has_the_grid_the_totals_and_a_chart(regency) -> None:
    _week(regency)
    sheet = monthly_sheet(Employee.objects.all(), NOVEMBER, regency.unit)
    book = load_workbook(io.BytesIO(monthly_xlsx(sheet)))
    grid = book["Rekap bulanan"]
    values = [list(row) for row in grid.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if row and row[0] == "No")
    assert values[start][: len(headers(sheet))] == headers(sheet)
    by_nip = {row[1]: row for row in values[start + 1 : start + 1 + len(sheet.rows)]}
    rahmat = by_nip[regency.employee.nip]
    title = headers(sheet)
    assert rahmat[title.index("3")] == "TL2"
    assert rahmat[title.index("TL2")] == 1
    recap = next(r for r in sheet.rows if r.employee_id == regency.employee.pk).recap
    assert rahmat[title.index("Menit terlambat")] == recap.late_minutes == 42
    assert rahmat[title.index("Potongan (%)")] == float(recap.deduction)
    rates = book["Tingkat kehadiran"]
    assert rates["A2"].value == regency.unit.name
    assert rates._charts, "the rate sheet carries a line chart"


def test_the_csv_and_pdf_show_the_same_numbers(regency) -> None:
    _week(regency)
    sheet = monthly_sheet(Employee.objects.all(), NOVEMBER, regency.unit)
    lines = list(csv.reader(io.StringIO(monthly_csv(sheet).decode("utf-8-sig"))))
    assert lines[0] == headers(sheet)
    assert len(lines) == len(sheet.rows) + 1
    assert [line[1] for line in lines[1:]] == [f'="{row.nip}"' for row in sheet.rows]
    reader = PdfReader(io.BytesIO(monthly_pdf(sheet)))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "REKAPITULASI PRESENSI BULANAN PEGAWAI" in text
    assert "November 2026" in text
    assert "Grafik tingkat kehadiran harian per unit" in text
    for row in sheet.rows:
        assert row.nip in text
    assert "PSW4 = Pulang sebelum waktunya band 4" in text


def _bars(html: str, unit_name: str) -> dict[str, float]:
    """The bars of one unit's row in the rendered SVG: day → value, geometry checked."""
    row = html.split(f"<td>{unit_name}</td>", 1)[1].split("</tr>", 1)[0]
    bars = {}
    for rect in re.findall(r"<rect [^>]*data-day=[^>]*>", row):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', rect))
        value, y, height = float(attrs["data-value"]), float(attrs["y"]), float(attrs["height"])
        assert abs(height - 40 * value / 100) < 0.01 and abs(y + height - 42) < 0.01, rect
        bars[attrs["data-day"]] = value
    return bars


def test_the_page_chart_draws_the_day_records_in_both_languages(regency) -> None:
    from govem.attendance.models import DayRecord
    from govem.reports.monthly import PRESENCE
    from tests.helpers.regency import logged_in

    _week(regency)
    expected = {}
    for day in sorted({r.date for r in DayRecord.objects.filter(workday=True)}):
        records = DayRecord.objects.filter(employee__unit=regency.unit, date=day, workday=True)
        came = sum(1 for record in records if PRESENCE & set(record.codes or []))
        if records:
            expected[day.isoformat()] = round(100 * came / len(records), 1)
    assert expected and any(0 < value < 100 for value in expected.values())
    page = logged_in(regency.tim_it)
    for language in ("id", "en"):
        html = page.get(
            "/laporan/bulanan/?bulan=2026-11", headers={"accept-language": language}
        ).content.decode()
        assert 'y="2,0"' not in html and not re.search(r'(?:x|y|height)="\d+,\d', html)
        assert _bars(html, regency.unit.name) == expected, language
