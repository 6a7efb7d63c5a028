"""The innovation report as XLSX (one sheet per view: indicators × months, the submission
rows, the definitions) and as a PDF with the kop — the same figures in both.

Printed documents stay Indonesian whatever the reader's language (the submission is filed in
Indonesian): the catalogue texts are read under ``translation.override("id")``."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from openpyxl import Workbook

from govem.documents import Document, month_label, short_date
from govem.innovation.indicators import INDICATORS, InnovationReport
from govem.reports.pdftable import Column, draw_table
from govem.reports.sheets import open_sheet

TITLE = "Laporan Inovasi Daerah - Govem"


def file_name(report: InnovationReport, fmt: str) -> str:
    return f"laporan-inovasi-{report.first:%Y-%m}_{report.last:%Y-%m}.{fmt}"


def value_text(value: Decimal | int | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _cell(value: Decimal | int | None) -> Any:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def period_text(report: InnovationReport) -> str:
    return f"{month_label(report.first)} - {month_label(report.last)}"


def baseline_text(report: InnovationReport) -> str:
    return (
        f"Pembanding: {month_label(report.baseline_month)} (bulan pertama setelah mulai "
        f"penghitungan {short_date(report.go_live)})"
    )


@translation.override("id")
def innovation_xlsx(report: InnovationReport) -> bytes:
    workbook = Workbook(write_only=True)
    months = [figures.month for figures in report.months]
    headers = [
        "Indikator",
        "Satuan",
        *[month.strftime("%Y-%m") for month in months],
        "Pembanding",
        "Perubahan (bulan terakhir - pembanding)",
    ]
    grid = open_sheet(
        workbook,
        "Indikator per bulan",
        title=TITLE,
        period=f"Periode: {period_text(report)}",
        scope=baseline_text(report),
        widths=[46, 9, *[11] * len(months), 12, 18],
        headers=headers,
        frozen_columns="C",
    )
    for indicator in INDICATORS:
        values = [figures.values.get(indicator.code) for figures in report.months]
        base = report.baseline.values.get(indicator.code)
        last = values[-1] if values else None
        difference = None if last is None or base is None else Decimal(last) - Decimal(base)
        grid.append(
            [
                str(indicator.name),
                str(indicator.unit),
                *map(_cell, values),
                _cell(base),
                _cell(difference),
            ]
        )
    grid.append([])
    grid.append(["Presensi ditolak menurut alasan"])
    for figures in report.months:
        for reason, count in figures.rejected_by_reason.items():
            grid.append([f"{figures.month:%Y-%m} {reason or '(tanpa kode)'}", "kali", count])
    rows = open_sheet(
        workbook,
        "Baris pengajuan",
        title=TITLE,
        period=f"Periode: {period_text(report)}",
        scope=baseline_text(report),
        widths=[46, 10, 10, 12, 12, 12, 60, 44],
        headers=[
            "Indikator",
            "Periode",
            "Satuan",
            "Nilai",
            "Pembanding",
            "Perubahan",
            "Cara menghitung",
            "Berkas bukti",
        ],
    )
    for row in report.rows():
        rows.append(
            [
                row["indicator"],
                row["period"],
                row["unit"],
                _cell(row["value"]),
                _cell(row["baseline"]),
                _cell(row["change"]),
                row["definition"],
                f"{row['evidence']}; {file_name(report, 'xlsx')}",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@translation.override("id")
def innovation_pdf(report: InnovationReport) -> bytes:
    pdf = Document(landscape=True)
    pdf.set_title(f"{TITLE} {report.first:%Y-%m} {report.last:%Y-%m}")
    pdf.add_page()
    pdf.kop()
    pdf.report_title(TITLE, f"{period_text(report)} - {baseline_text(report)}")
    room = pdf.w - pdf.l_margin - pdf.r_margin
    months = report.months[-9:]  # the page holds nine months; the XLSX has all
    fixed = 70 + 14 + 20 + 20
    width = (room - fixed) / max(1, len(months))
    columns = [Column("Indikator", 70), Column("Satuan", 14)]
    columns += [Column(figures.month.strftime("%Y-%m"), width, "R") for figures in months]
    columns += [Column("Pembanding", 20, "R"), Column("Perubahan", 20, "R")]
    rows = []
    for indicator in INDICATORS:
        values = [figures.values.get(indicator.code) for figures in months]
        base = report.baseline.values.get(indicator.code)
        last = values[-1] if values else None
        difference = None if last is None or base is None else Decimal(last) - Decimal(base)
        rows.append(
            [
                str(indicator.name),
                str(indicator.unit),
                *map(value_text, values),
                value_text(base),
                value_text(difference),
            ]
        )
    draw_table(pdf, columns, rows, font_size=7, line_height=3.2, max_lines=2)
    pdf.ln(2)
    reasons = []
    for figures in months:
        for reason, count in figures.rejected_by_reason.items():
            reasons.append(f"{figures.month:%Y-%m} {reason or '(tanpa kode)'}: {count}")
    if reasons:
        pdf.line_of_text("Presensi ditolak menurut alasan: " + "; ".join(reasons) + ".", size=7)
    pdf.add_page()
    pdf.report_title("Cara menghitung setiap indikator", "Semua angka dihitung dari data Govem.")
    draw_table(
        pdf,
        (Column("Indikator", 70), Column("Cara menghitung", 130), Column("Bukti", room - 200)),
        ([str(i.name), str(i.definition), str(i.evidence)] for i in INDICATORS),
        font_size=7,
        line_height=3.2,
        max_lines=4,
    )
    printed = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    pdf.ln(2)
    pdf.line_of_text(f"Dicetak {printed} oleh Govem.", size=7, style="I")
    return bytes(pdf.output())
