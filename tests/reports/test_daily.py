"""The daily report: one row builder; XLSX, CSV and PDF show the same cells."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from pypdf import PdfReader

from govem.attendance.models import DayRecord
from govem.people.models import Employee
from govem.reports.daily import COLUMNS, daily_report
from govem.reports.daily_formats import daily_csv, daily_pdf, daily_xlsx
from tests.helpers.days import MONDAY


def _table(xlsx: bytes) -> tuple[list[str], list[list[object]], list[list[object]]]:
    """(header, data rows, everything below the data) of the first sheet."""
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(values) if row and row[0] == "No")
    header = [str(cell) for cell in values[start] if cell is not None]
    data = []
    for row in values[start + 1 :]:
        if not row or row[0] is None:
            break
        data.append(row)
    return header, data, values[start + 1 + len(data) :]


def test_it_builds_one_row_per_employee_from_the_day_records(regency) -> None:
    report = daily_report(Employee.objects.all(), MONDAY)
    by_nip = {row.nip: row for row in report.rows}
    assert len(report.rows) == Employee.objects.filter(active=True).count()
    rahmat = by_nip[regency.employee.nip]
    assert (rahmat.in_time, rahmat.in_location, rahmat.in_distance) == (
        "07:25",
        "Kantor Diskominfo",
        12,
    )
    assert (rahmat.out_time, rahmat.out_distance, rahmat.status) == ("16:03", 31, "H")
    assert rahmat.schedule == "07:30-16:00"
    siti = by_nip[regency.colleague.nip]
    assert siti.status == "TL2 PSW4"
    assert siti.out_time == ""
    record = DayRecord.objects.get(employee=regency.colleague, date=MONDAY)
    assert siti.explanation == record.explanation
    totals = {code: count for code, _, count in report.totals}
    assert totals["H"] == 1
    assert totals["TL2"] == 1 and totals["PSW4"] == 1
    assert totals["TK"] == len(report.rows) - 2


def test_the_xlsx_holds_the_same_cells_and_totals(regency) -> None:
    report = daily_report(Employee.objects.all(), MONDAY)
    header, data, below = _table(daily_xlsx(report))
    assert header == [title for _, title in COLUMNS]
    assert len(data) == len(report.rows)
    for row, cells in zip(report.rows, data, strict=True):
        assert [cell if cell is not None else "" for cell in cells[: len(COLUMNS)]] == [
            value if value is not None else "" for value in row.cells()
        ]
    sums = {row[0]: row[2] for row in below if row and len(row) > 2 and row[0]}
    assert sums["TK"] == sum(1 for row in report.rows if row.status == "TK")
    assert any("belum diverifikasi" in str(row[0]) for row in below if row and row[0])


def test_the_csv_has_the_header_and_the_same_rows(regency) -> None:
    report = daily_report(Employee.objects.all(), MONDAY)
    text = daily_csv(report).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == [title for _, title in COLUMNS]
    assert len(lines) == len(report.rows) + 1
    # NIPs as text formulas: a spreadsheet shows all 18 digits instead of rounding a number.
    assert {line[1] for line in lines[1:]} == {f'="{row.nip}"' for row in report.rows}
    rahmat = next(line for line in lines if line[1] == f'="{regency.employee.nip}"')
    assert rahmat[6:13] == [
        "07:25",
        "Kantor Diskominfo",
        "12",
        "16:03",
        "Kantor Diskominfo",
        "31",
        "H",
    ]


def test_the_pdf_has_the_kop_the_rows_and_the_signature_block(regency, settings) -> None:
    settings.GOVEM = {
        **settings.GOVEM,
        "OFFICE_NAME": "Dinas Komunikasi dan Informatika",
        "OFFICE_ADDRESS": "Jl. Jenderal Sudirman No. 1, Rantau",
    }
    report = daily_report(Employee.objects.all(), MONDAY)
    reader = PdfReader(io.BytesIO(daily_pdf(report)))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "PEMERINTAH KABUPATEN TAPIN" in text
    assert "DINAS KOMUNIKASI DAN INFORMATIKA" in text
    assert "Jl. Jenderal Sudirman No. 1, Rantau" in text
    assert "LAPORAN PRESENSI HARIAN PEGAWAI" in text
    assert "Senin, 2 November 2026" in text
    for row in report.rows:
        assert row.nip in text
    assert "Kantor Diskominfo (12 m)" in text
    assert "TL2 PSW4" in text
    assert "Verifikator" in text and "DRAF" in text


def test_a_unit_report_lists_only_that_subtree(regency) -> None:
    report = daily_report(Employee.objects.all(), MONDAY, regency.other_unit)
    assert {row.unit for row in report.rows} == {"Dinas Kesehatan"}
    assert report.scope_label == "Dinas Kesehatan"


def test_the_csv_keeps_nips_text_and_neutralises_formulas(regency) -> None:
    from govem.reports.csvfile import spreadsheet_csv

    data = spreadsheet_csv(
        ["No", "NIP", "Nama"],
        [[1, "198503132015011009", '=HYPERLINK("http://x")'], [2, None, "Siti"]],
        text_columns={1},
    )

    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert lines[1] == ["1", '="198503132015011009"', '\'=HYPERLINK("http://x")']
    assert lines[2] == ["2", "", "Siti"]
    assert data.startswith("\ufeff".encode())
