"""The day's evaluation as an A4 PDF (fpdf2) with the regency's letterhead."""

from __future__ import annotations

from django.utils import timezone
from fpdf import FPDF

from govem.documents import Document, long_date
from govem.documents import plain as _plain
from govem.operations.evaluation import Evaluation, Row, comparison


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, _plain(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def _table(pdf: FPDF, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = {2: (120, 40), 4: (75, 30, 30, 30)}[len(header)]
    pdf.set_font("Helvetica", "B", 10)
    for width, text in zip(widths, header, strict=False):
        pdf.cell(width, 6, _plain(text), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for row in rows:
        for width, text in zip(widths, row, strict=False):
            pdf.cell(width, 6, _plain(text), border=1)
        pdf.ln()


def _rows(rows: tuple[Row, ...]) -> list[tuple[str, ...]]:
    return [(row.label, str(row.count)) for row in rows]


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    pdf = Document()
    pdf.add_page()
    pdf.kop()
    pdf.set_font("Helvetica", "B", 12)
    title = f"Evaluasi Harian - {long_date(evaluation.day)}"
    pdf.cell(0, 8, _plain(title), align="C", new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, "1. Kehadiran dibanding hari kerja sebelumnya")
    if not evaluation.days_available or evaluation.today is None:
        pdf.cell(0, 6, "Rekap harian belum tersedia.", new_x="LMARGIN", new_y="NEXT")
    else:
        previous = evaluation.previous
        before = long_date(previous.day) if previous else "tidak ada"
        pdf.cell(0, 6, _plain(f"Hari kerja sebelumnya: {before}"), new_x="LMARGIN", new_y="NEXT")
        _table(
            pdf,
            ("Keterangan", "Hari ini", "Sebelumnya", "Perubahan"),
            [
                (row.label, str(row.now), "-" if row.then is None else str(row.then), row.change)
                for row in comparison(evaluation)
            ],
        )

    _heading(pdf, f"2. Percobaan presensi gagal ({evaluation.failed_attempts_total})")
    if evaluation.failed_attempts:
        _table(pdf, ("Alasan", "Jumlah"), _rows(evaluation.failed_attempts))
    else:
        pdf.cell(0, 6, "Tidak ada percobaan yang ditolak.", new_x="LMARGIN", new_y="NEXT")

    _heading(pdf, f"3. Kendala pegawai ({evaluation.tickets_total})")
    if not evaluation.tickets_available:
        pdf.cell(0, 6, "Modul kendala (tiket) tidak terpasang.", new_x="LMARGIN", new_y="NEXT")
    else:
        _table(pdf, ("Kategori", "Jumlah"), _rows(evaluation.tickets_by_category))
        pdf.ln(2)
        _table(pdf, ("Status", "Jumlah"), _rows(evaluation.tickets_by_status))

    _heading(pdf, "4. Fase harian yang gagal")
    if evaluation.failed_phases:
        for phase in evaluation.failed_phases:
            text = f"{phase.label}: {', '.join(phase.steps) or '-'} - {phase.error}"
            pdf.multi_cell(0, 6, _plain(text), new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(0, 6, "Tidak ada fase yang gagal.", new_x="LMARGIN", new_y="NEXT")

    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 8)
    printed = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    pdf.cell(0, 5, _plain(f"Dicetak {printed} oleh Govem."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
