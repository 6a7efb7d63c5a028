"""The daily report in XLSX (openpyxl, write-only), CSV and PDF (fpdf2): the same rows."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from govem.documents import Document, long_date, short_date
from govem.reports.csvfile import spreadsheet_csv
from govem.reports.daily import COLUMNS, DailyReport
from govem.reports.pdftable import Column, draw_table
from govem.reports.sheets import open_sheet

XLSX_WIDTHS = (5, 21, 28, 24, 28, 12, 8, 24, 10, 8, 24, 10, 11, 60)
CHANGED_FILL = PatternFill("solid", fgColor="FDE9C8")


def verification_lines(report: DailyReport) -> list[str]:
    """The verification statement every format prints under the table."""
    check = report.verification
    if check is None:
        return ["Status: DRAF - laporan ini belum diverifikasi."]
    at = timezone.localtime(check.verified_at).strftime("%d-%m-%Y %H:%M")
    nip = f" (NIP {check.verifier_nip})" if check.verifier_nip else ""
    lines = [
        f"Diverifikasi oleh {check.verifier_name}{nip} pada {at}.",
        f"SHA-256 baris terverifikasi: {check.sha256}",
    ]
    if check.intact:
        lines.append("Isi laporan sama dengan saat verifikasi.")
    else:
        lines.append(
            f"{check.changed_rows} baris diubah setelah verifikasi (ditandai pada kolom "
            f"Keterangan). SHA-256 baris saat ini: {check.current_sha256}"
        )
    return lines


def daily_xlsx(report: DailyReport) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = open_sheet(
        workbook,
        "Laporan harian",
        title=report.title,
        period=f"Tanggal: {long_date(report.day)}",
        scope=report.scope_label,
        widths=XLSX_WIDTHS,
        headers=[title for _, title in COLUMNS],
    )
    for row in report.rows:
        cells = row.cells()
        if row.changes:
            marked = []
            for value in cells:
                cell = WriteOnlyCell(sheet, value=value)
                cell.fill = CHANGED_FILL
                marked.append(cell)
            sheet.append(marked)
        else:
            sheet.append(cells)
    sheet.append([])
    sheet.append([WriteOnlyCell(sheet, value="Rekap status"), None, None])
    sheet.append(["Kode", "Keterangan", "Jumlah"])
    sheet.append(["", "Jumlah pegawai", len(report.rows)])
    for code, label, count in report.totals:
        sheet.append([code, label, count])
    if report.events:
        sheet.append([])
        sheet.append([WriteOnlyCell(sheet, value="Apel dan upacara"), None, None])
        sheet.append(["Acara", "Jam", "Hadir", "Berhalangan", "Tidak hadir (TAP)", "Belum"])
        for event in report.events:
            sheet.append(list(event))
    sheet.append([])
    for line in verification_lines(report):
        sheet.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def daily_csv(report: DailyReport) -> bytes:
    """The rows only (one header line), for spreadsheet programs: NIPs stay 18 digits."""
    nip = [key for key, _ in COLUMNS].index("nip")
    return spreadsheet_csv(
        [title for _, title in COLUMNS],
        (row.cells() for row in report.rows),
        text_columns={nip},
    )


PDF_COLUMNS = (
    Column("No", 7, "R"),
    Column("NIP", 29),
    Column("Nama", 38),
    Column("Jabatan", 28),
    Column("Unit", 28),
    Column("Jadwal", 17, "C"),
    Column("Masuk", 10, "C"),
    Column("Lokasi (jarak) masuk", 27),
    Column("Pulang", 10, "C"),
    Column("Lokasi (jarak) pulang", 27),
    Column("Status", 14, "C"),
    Column("Keterangan", 38),
)


def _place(name: str, distance: int | None) -> str:
    if distance is None:
        return name
    return f"{name} ({distance} m)" if name else f"({distance} m)"


def daily_pdf(report: DailyReport) -> bytes:
    pdf = Document(landscape=True)
    pdf.set_title(f"{report.title} {report.day.isoformat()}")
    pdf.add_page()
    pdf.kop()
    pdf.report_title(report.title, f"{long_date(report.day)} - {report.scope_label}")
    rows = (
        (
            f"{row.no}*" if row.changes else str(row.no),
            row.nip,
            row.name,
            row.position,
            row.unit,
            row.schedule,
            row.in_time,
            _place(row.in_location, row.in_distance),
            row.out_time,
            _place(row.out_location, row.out_distance),
            row.status,
            row.remarks,
        )
        for row in report.rows
    )
    draw_table(pdf, PDF_COLUMNS, rows)
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(0, 5, "Rekap status", new_x="LMARGIN", new_y="NEXT")
    totals = [("", "Jumlah pegawai", str(len(report.rows)))]
    totals += [(code, label, str(count)) for code, label, count in report.totals]
    draw_table(
        pdf,
        (Column("Kode", 18), Column("Keterangan", 90), Column("Jumlah", 18, "R")),
        totals,
        font_size=8,
        line_height=4,
    )
    if report.events:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(0, 5, "Apel dan upacara", new_x="LMARGIN", new_y="NEXT")
        draw_table(
            pdf,
            (
                Column("Acara", 70),
                Column("Jam", 24),
                Column("Hadir", 18, "R"),
                Column("Berhalangan", 22, "R"),
                Column("Tidak hadir (TAP)", 28, "R"),
                Column("Belum", 16, "R"),
            ),
            ([name, hours, *map(str, counts)] for name, hours, *counts in report.events),
            font_size=8,
            line_height=4,
        )
    pdf.ln(2)
    for line in verification_lines(report):
        pdf.line_of_text(line, size=8)
    if report.verification and not report.verification.intact:
        pdf.line_of_text("* baris yang diubah setelah verifikasi.", size=8, style="I")
    check = report.verification
    pdf.signature(
        place_date=f"{settings.GOVEM['REPORT_CITY']}, {short_date(report.day)}",
        role="Verifikator,",
        name=check.verifier_name if check else "",
        nip=check.verifier_nip if check else "",
    )
    return bytes(pdf.output())
