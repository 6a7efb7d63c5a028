"""The monthly TPP report per unit for BPKAD: one list of rows, rendered to XLSX and PDF
(kop and signature), so both formats hold the same rows and the same totals.

The texts are catalogue msgids (Indonesian): the page shows them in the reader's language; the
files for BPKAD are printed documents and stay Indonesian (``translation.override("id")``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from govem.attendance.recap import month_end
from govem.documents import Document, month_label, short_date
from govem.payroll.tpp import MISSING_PAGU, TppRow, monthly_tpp, sentence_label
from govem.people.models import Employee, Unit
from govem.reports.daily import scope_label
from govem.reports.pdftable import Column, draw_table
from govem.reports.sheets import append_signature, open_sheet
from govem.rules import tpp

TITLE = "Daftar Perhitungan TPP Bulanan"
HEADERS = (
    "No",
    "NIP",
    gettext_noop("Nama"),
    gettext_noop("Jabatan"),
    gettext_noop("Unit"),
    gettext_noop("Pagu TPP (Rp)"),
    gettext_noop("Komponen disiplin (Rp)"),
    gettext_noop("Potongan kehadiran"),
    gettext_noop("Potongan kehadiran (Rp)"),
    gettext_noop("Komponen produktivitas (Rp)"),
    gettext_noop("Capaian produktivitas (%)"),
    gettext_noop("Produktivitas dibayar (Rp)"),
    gettext_noop("Hukuman disiplin (Rp)"),
    gettext_noop("Jumlah potongan (Rp)"),
    gettext_noop("TPP diterima (Rp)"),
    gettext_noop("Keterangan"),
)
# Texts from rules/ (no Django there) for the catalogue; each must equal its rules/ constant.
RULE_TEXTS = (
    gettext_noop("setiap baris dibulatkan sekali ke rupiah terdekat (setengah ke atas)"),
    gettext_noop("Teguran lisan"),
    gettext_noop("Teguran tertulis"),
    gettext_noop("Pernyataan tidak puas secara tertulis"),
    gettext_noop("Pemotongan TPP 25% selama 6 bulan"),
    gettext_noop("Pemotongan TPP 25% selama 9 bulan"),
    gettext_noop("Pemotongan TPP 25% selama 12 bulan"),
    gettext_noop("Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    gettext_noop("Pembebasan dari jabatan menjadi jabatan pelaksana"),
    gettext_noop("Pemberhentian dengan hormat tidak atas permintaan sendiri"),
)
MONEY = {5, 6, 8, 9, 11, 12, 13, 14}  # column indexes holding Rupiah


@dataclass(frozen=True)
class ReportRow:
    cells: tuple[Any, ...]


@dataclass
class TppReport:
    month: date
    unit: Unit | None
    scope_label: str
    rows: list[ReportRow]
    totals: tuple[Any, ...]
    missing_pagu: int
    missing_productivity: int
    sentenced: int

    @property
    def title(self) -> str:
        return TITLE


def _codes(row: TppRow) -> str:
    if row.result is None:
        return ""
    parts = [f"{line.code}x{len(line.days)}" for line in row.result.lines if line.rupiah]
    if row.result.capped:
        parts.append(_("(dibatasi)"))
    return " ".join(parts)


def _notes(row: TppRow) -> str:
    notes = []
    if row.pagu is None:
        notes.append(_(MISSING_PAGU))
    elif row.productivity is None:
        notes.append(_("Produktivitas belum diimpor (komponen produktivitas tidak dibayar)."))
    notes += [sentence_label(sentence) for sentence in row.sentences]
    return " ".join(notes)


def report_row(number: int, row: TppRow) -> ReportRow:
    person, result = row.employee, row.result
    if result is None:
        money: tuple[Any, ...] = ("",) * 2 + ("", "") + ("",) * 6
    else:
        achieved = result.productivity_achieved
        money = (
            result.pagu,
            result.attendance_share,
            _codes(row),
            result.attendance_deduction,
            result.productivity_share,
            "" if achieved is None else float(achieved.quantize(Decimal("0.01"))),
            result.productivity_paid,
            result.cut_total,
            result.total_deduction,
            result.net,
        )
    return ReportRow(
        (number, person.identifier, person.name, person.position, person.unit.name, *money,
         _notes(row))
    )  # fmt: skip


def tpp_report(employees: QuerySet[Employee], month: date, unit: Unit | None) -> TppReport:
    """The active employees of ``unit`` (subtree; None: all of ``employees``) for ``month``."""
    chosen = employees.filter(active=True)
    if unit is not None:
        chosen = chosen.filter(unit__path__startswith=unit.path)
    rows = monthly_tpp(chosen, month)
    report_rows = [report_row(number, row) for number, row in enumerate(rows, start=1)]
    totals: list[Any] = ["", "", pgettext("total row", "Jumlah"), "", ""]
    for index in range(5, len(HEADERS) - 1):
        if index in MONEY:
            totals.append(sum(r.cells[index] for r in report_rows if r.cells[index] != ""))
        else:
            totals.append("")
    totals.append("")
    return TppReport(
        month=month,
        unit=unit,
        scope_label=scope_label(unit),
        rows=report_rows,
        totals=tuple(totals),
        missing_pagu=sum(1 for row in rows if row.pagu is None),
        missing_productivity=sum(1 for row in rows if row.pagu and row.productivity is None),
        sentenced=sum(1 for row in rows if row.sentences),
    )


def whole_regency_label() -> str:
    """The page's heading for the whole regency, in the reader's language."""
    regency = settings.GOVEM["REGENCY_NAME"].title()
    return _("Seluruh unit kerja %(regency)s") % {"regency": regency}


def summary_lines(report: TppReport) -> list[str]:
    lines = [
        _(
            "Pembulatan: %(rounding)s. Potongan kehadiran dihitung dari komponen disiplin; "
            "hukuman disiplin dari TPP setelah potongan kehadiran dan produktivitas."
        )
        % {"rounding": _(tpp.ROUNDING)},
    ]
    if report.missing_pagu:
        lines.append(
            ngettext(
                "%(count)s pegawai belum memiliki pagu TPP (tidak dihitung).",
                "%(count)s pegawai belum memiliki pagu TPP (tidak dihitung).",
                report.missing_pagu,
            )
            % {"count": report.missing_pagu}
        )
    if report.missing_productivity:
        lines.append(
            ngettext(
                "%(count)s pegawai belum memiliki data produktivitas bulan ini: komponen "
                "produktivitasnya belum dibayar (Rp 0) sampai data diimpor.",
                "%(count)s pegawai belum memiliki data produktivitas bulan ini: komponen "
                "produktivitasnya belum dibayar (Rp 0) sampai data diimpor.",
                report.missing_productivity,
            )
            % {"count": report.missing_productivity}
        )
    if report.sentenced:
        lines.append(
            ngettext(
                "%(count)s pegawai menjalani hukuman pemotongan TPP bulan ini.",
                "%(count)s pegawai menjalani hukuman pemotongan TPP bulan ini.",
                report.sentenced,
            )
            % {"count": report.sentenced}
        )
    return lines


def signature_fields(report: TppReport) -> dict[str, str]:
    """The same signature block in the XLSX and the PDF: the unit head signs on paper."""
    return {
        "place_date": f"{settings.GOVEM['REPORT_CITY']}, {short_date(month_end(report.month))}",
        "role": "Kepala Perangkat Daerah,",
        "name": "",
        "nip": "",
    }


@translation.override("id")
def tpp_xlsx(report: TppReport) -> bytes:
    workbook = Workbook(write_only=True)
    widths = [5, 21, 28, 24, 24, 14, 14, 16, 14, 14, 12, 14, 14, 14, 14, 40]
    grid = open_sheet(
        workbook,
        "TPP",
        title=report.title,
        period=f"Bulan: {month_label(report.month)}",
        scope=report.scope_label,
        widths=widths,
        headers=[_header(header) for header in HEADERS],
        frozen_columns="D",
    )
    for row in report.rows:
        grid.append(_xlsx_cells(grid, row.cells))
    total = _xlsx_cells(grid, report.totals)
    for cell in total:
        cell.font = Font(bold=True)
    grid.append(total)
    grid.append([])
    for line in summary_lines(report):
        grid.append([line])
    append_signature(grid, column=len(HEADERS) - 2, **signature_fields(report))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cells(grid: Any, values: Sequence[Any]) -> list[Any]:
    cells = []
    for index, value in enumerate(values):
        cell = WriteOnlyCell(grid, value=value)
        if index == 1:
            cell.number_format = "@"  # NIP stays 18 digits
        elif index in MONEY:
            cell.number_format = "#,##0"
        cells.append(cell)
    return cells


PDF_COLUMNS = (
    Column("No", 7, "R"),
    Column(gettext_noop("NIP / Nama"), 42),
    Column(gettext_noop("Jabatan"), 24),
    Column(gettext_noop("Pagu TPP"), 18, "R"),
    Column(gettext_noop("Komp. disiplin"), 18, "R"),
    Column(gettext_noop("Potongan kehadiran"), 20),
    Column(gettext_noop("Potongan kehadiran (Rp)"), 17, "R"),
    Column(gettext_noop("Komp. produktivitas"), 18, "R"),
    Column(gettext_noop("Capaian (%)"), 12, "R"),
    Column(gettext_noop("Produktivitas dibayar"), 18, "R"),
    Column(gettext_noop("Hukuman (Rp)"), 15, "R"),
    Column(gettext_noop("Jumlah potongan"), 17, "R"),
    Column(gettext_noop("TPP diterima"), 19, "R"),
    Column(gettext_noop("Keterangan"), 28),
)


def _pdf_text(index: int, value: Any) -> str:
    if value == "" or value is None:
        return "-" if index in MONEY else ""
    if index in MONEY:
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def compact_row(cells: Sequence[Any]) -> list[str]:
    """The PDF's and the page's row: NIP and name in one cell, no unit column."""
    texts = [_pdf_text(index, value) for index, value in enumerate(cells)]
    name = f"{texts[1]} {texts[2]}".strip()
    return [texts[0], name, texts[3], *texts[5:]]


UNTRANSLATED = {"No", "NIP"}  # "No" is Django's own msgid for the word no ("Tidak")


def _header(text: str) -> str:
    return text if text in UNTRANSLATED else _(text)


def pdf_columns() -> list[Column]:
    """The PDF's (and the page's) columns, their headers in the active language."""
    return [Column(_header(c.header), c.width, c.align) for c in PDF_COLUMNS]


@translation.override("id")
def tpp_pdf(report: TppReport) -> bytes:
    pdf = Document(landscape=True)
    pdf.set_title(f"{report.title} {report.month:%Y-%m}")
    pdf.add_page()
    pdf.kop()
    pdf.report_title(report.title, f"{month_label(report.month)} - {report.scope_label}")
    rows = [compact_row(row.cells) for row in report.rows]
    rows.append(compact_row(report.totals))
    draw_table(pdf, pdf_columns(), rows, font_size=6, line_height=2.8, max_lines=4)
    pdf.ln(2)
    for line in summary_lines(report):
        pdf.line_of_text(line, size=7)
    printed = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    pdf.line_of_text(f"Dicetak {printed} oleh Govem.", size=7, style="I")
    pdf.signature(**signature_fields(report))
    return bytes(pdf.output())


@translation.override("id")
def tpp_file(
    employees: QuerySet[Employee], month: date, unit: Unit | None, fmt: str
) -> tuple[bytes, str]:
    report = tpp_report(employees, month, unit)
    content = tpp_xlsx(report) if fmt == "xlsx" else tpp_pdf(report)
    slug = "kabupaten" if unit is None else unit.code.lower()
    return content, f"tpp-{month:%Y-%m}-{slug}.{fmt}"
