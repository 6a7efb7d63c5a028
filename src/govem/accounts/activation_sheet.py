"""The unit operator's activation sheet: PDF slips to cut and hand out, or an XLSX list.

Each slip carries one employee's name, NIP and one-time code, where to use it and until
when. The codes exist in clear only in this file (the database keeps their hashes).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from govem.accounts.onetime import IssuedCode
from govem.documents import Document, long_date, plain
from govem.people.models import Employee, Unit

COLUMNS, ROWS = 2, 5
SLIP_W, SLIP_H = 90.0, 52.0


def activation_url() -> str:
    return f"{settings.SITE_URL}/aktivasi/"


class _Slips(Document):
    def __init__(self, unit: Unit, printed_by: str) -> None:
        super().__init__()
        self.unit = unit
        self.printed_by = printed_by
        self.set_margins(15, 16, 15)
        self.set_auto_page_break(False)

    def header(self) -> None:
        self.set_font("Helvetica", "B", 9)
        self.set_xy(15, 8)
        title = f"Lembar kode aktivasi Govem - {self.unit.code} {self.unit.name}"
        self.cell(0, 4, plain(title)[:110])
        self.set_font("Helvetica", "", 7)
        self.set_xy(15, 12)
        printed = timezone.localtime().strftime("%d-%m-%Y %H:%M")
        self.cell(
            0,
            3,
            plain(
                f"Dicetak {printed} oleh {self.printed_by}. Gunting per kotak dan serahkan "
                "langsung kepada pegawai yang bersangkutan; rahasiakan."
            ),
        )


def _slip(pdf: _Slips, x: float, y: float, issued: IssuedCode) -> None:
    employee = issued.employee
    pdf.set_draw_color(120, 120, 120)
    pdf.set_dash_pattern(dash=1.2, gap=1.2)
    pdf.rect(x, y, SLIP_W, SLIP_H)
    pdf.set_dash_pattern()
    pdf.set_draw_color(0, 0, 0)
    inner = x + 4
    width = SLIP_W - 8
    pdf.set_xy(inner, y + 3)
    pdf.set_font("Helvetica", "B", 7)
    pdf.cell(width, 3.5, plain(settings.GOVEM["REGENCY_NAME"] + " - aktivasi akun Govem")[:70])
    pdf.set_xy(inner, y + 8)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(width, 5, plain(employee.name)[:48])
    pdf.set_xy(inner, y + 13)
    pdf.set_font("Helvetica", "", 8)
    label = "No. induk" if employee.employee_type == Employee.Type.NON_ASN else "NIP"
    pdf.cell(width, 4, plain(f"{label} {employee.identifier}"))
    pdf.set_xy(inner, y + 17)
    pdf.cell(width, 4, plain(employee.unit.name)[:60])
    pdf.set_xy(inner, y + 22.5)
    pdf.set_font("Helvetica", "", 7)
    pdf.cell(18, 7, "Kode aktivasi:")
    pdf.set_font("Courier", "B", 17)
    pdf.cell(width - 18, 7, issued.display)
    pdf.set_xy(inner, y + 31)
    pdf.set_font("Helvetica", "", 7)
    steps = (
        f"1. Buka {activation_url()} atau aplikasi Govem, menu Aktivasi.\n"
        "2. Isi NIP dan kode di atas, lalu buat kata sandi baru (min. 8 karakter).\n"
        f"Sekali pakai, berlaku sampai {long_date(timezone.localdate(issued.expires_at))}. "
        "Jangan berikan kode ini kepada orang lain."
    )
    pdf.multi_cell(width, 3.4, plain(steps), align="L")


def sheet_pdf(unit: Unit, issued: list[IssuedCode], *, printed_by: str) -> bytes:
    pdf = _Slips(unit, printed_by)
    pdf.set_title(plain(f"Kode aktivasi {unit.code}"))
    per_page = COLUMNS * ROWS
    for index, item in enumerate(issued):
        if index % per_page == 0:
            pdf.add_page()
        place = index % per_page
        column, row = place % COLUMNS, place // COLUMNS
        _slip(pdf, 15 + column * (SLIP_W + 0), 18 + row * (SLIP_H + 1), item)
    return bytes(pdf.output())


def sheet_xlsx(unit: Unit, issued: list[IssuedCode], *, printed_by: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kode aktivasi"
    sheet.append([f"Kode aktivasi Govem - {unit.code} {unit.name}"])
    sheet.append(
        [
            f"Dicetak {timezone.localtime():%d-%m-%Y %H:%M} oleh {printed_by}. Aktivasi di "
            f"{activation_url()}: NIP, kode, kata sandi baru. Sekali pakai; rahasiakan."
        ]
    )
    sheet.append([])
    sheet.append(["No", "NIP", "Nama", "Jabatan", "Unit", "Kode aktivasi", "Berlaku sampai"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=12)
    for number, item in enumerate(issued, start=1):
        employee = item.employee
        sheet.append(
            [
                number,
                employee.identifier,
                employee.name,
                employee.position,
                employee.unit.name,
                item.display,
                long_date(timezone.localdate(item.expires_at)),
            ]
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = "@"
    for letter, width in zip("ABCDEFG", (5, 21, 32, 28, 30, 16, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
