"""The monthly sheet in XLSX (with a native line chart), CSV and PDF (with a bar chart)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import LineChart, Reference

from govem.documents import Document, month_label, plain
from govem.reports.codes import absence_names, code_label
from govem.reports.csvfile import spreadsheet_csv
from govem.reports.monthly import MonthlySheet, summary_cells
from govem.reports.pdftable import Column, draw_table, wrap
from govem.reports.sheets import open_sheet


def summary_headers(sheet: MonthlySheet) -> list[str]:
    return [
        "Hari kerja",
        "Hadir",
        *sheet.codes,
        "Menit terlambat",
        "Menit pulang cepat",
        "Potongan (%)",
    ]


def headers(sheet: MonthlySheet) -> list[str]:
    return [
        "No",
        "NIP",
        "Nama",
        "Jabatan",
        "Unit",
        *[str(day.day) for day in sheet.dates],
        *summary_headers(sheet),
    ]


def row_cells(sheet: MonthlySheet, row: Any) -> list[Any]:
    return [
        row.no,
        row.nip,
        row.name,
        row.position,
        row.unit,
        *row.days,
        *summary_cells(row, sheet.codes),
    ]


def monthly_xlsx(sheet: MonthlySheet) -> bytes:
    workbook = Workbook(write_only=True)
    widths = [5, 21, 28, 20, 24, *[5] * len(sheet.dates)]
    widths += [9] * (len(summary_headers(sheet)))
    grid = open_sheet(
        workbook,
        "Rekap bulanan",
        title=sheet.title,
        period=f"Bulan: {month_label(sheet.month)}",
        scope=sheet.scope_label,
        widths=widths,
        headers=headers(sheet),
        frozen_columns="F",
    )
    for row in sheet.rows:
        grid.append(row_cells(sheet, row))
    grid.append([])
    names = absence_names()
    grid.append([WriteOnlyCell(grid, value="Keterangan kode")])
    for code in sheet.codes:
        grid.append([code, code_label(code, names)])
    _rates_sheet(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rates_sheet(workbook: Workbook, sheet: MonthlySheet) -> None:
    rates: Any = workbook.create_sheet("Tingkat kehadiran")
    rates.column_dimensions["A"].width = 32
    rates.append(["Unit", *[day.day for day in sheet.dates], "Rata-rata (%)"])
    for rate in sheet.rates:
        rates.append([rate.unit, *rate.per_day, rate.average])
    if not sheet.rates:
        rates.append(["Belum ada rekap harian bulan ini."])
        return
    chart = LineChart()
    chart.title = f"Tingkat kehadiran harian per unit - {month_label(sheet.month)}"
    chart.y_axis.title = "Hadir (%)"
    chart.x_axis.title = "Tanggal"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.height, chart.width = 12, 28
    last_column = len(sheet.dates) + 1
    data = Reference(rates, min_col=1, max_col=last_column, min_row=2, max_row=len(sheet.rates) + 1)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(rates, min_col=2, max_col=last_column, min_row=1, max_row=1))
    rates.add_chart(chart, f"A{len(sheet.rates) + 4}")


def monthly_csv(sheet: MonthlySheet) -> bytes:
    """The grid and its totals for spreadsheet programs: NIPs stay 18 digits."""
    rows = (row_cells(sheet, row) for row in sheet.rows)
    return spreadsheet_csv(headers(sheet), rows, text_columns={headers(sheet).index("NIP")})


def _grid_columns(sheet: MonthlySheet) -> list[Column]:
    day_width = min(7.0, 210 / len(sheet.dates))
    columns = [Column("No", 6, "R"), Column("NIP", 21), Column("Nama", 36)]
    columns += [Column(str(day.day), day_width, "C") for day in sheet.dates]
    return columns


def _summary_columns(sheet: MonthlySheet, room: float) -> list[Column]:
    titles = summary_headers(sheet)
    width = min(16.0, (room - 7 - 27 - 50) / len(titles))
    columns = [Column("No", 7, "R"), Column("NIP", 27), Column("Nama", 50)]
    columns += [Column(title, width, "R") for title in titles]
    return columns


def _number(value: Any) -> str:
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def monthly_pdf(sheet: MonthlySheet) -> bytes:
    pdf = Document(landscape=True)
    pdf.set_title(f"{sheet.title} {sheet.month:%Y-%m}")
    pdf.add_page()
    pdf.kop()
    subtitle = f"{month_label(sheet.month)} - {sheet.scope_label}"
    pdf.report_title(sheet.title, subtitle)
    draw_table(
        pdf,
        _grid_columns(sheet),
        # "TL1/PSW4" may take two lines in a narrow day column: break after the slash.
        (
            [str(row.no), row.nip, row.name, *(d.replace("/", "/ ") for d in row.days)]
            for row in sheet.rows
        ),
        font_size=5,
        line_height=2.6,
        max_lines=2,
    )
    pdf.add_page()
    pdf.report_title("Jumlah per kode, menit dan potongan", subtitle)
    room = pdf.w - pdf.l_margin - pdf.r_margin
    draw_table(
        pdf,
        _summary_columns(sheet, room),
        (
            [str(row.no), row.nip, row.name, *map(_number, summary_cells(row, sheet.codes))]
            for row in sheet.rows
        ),
        font_size=6,
        line_height=2.8,
        max_lines=2,
    )
    pdf.ln(2)
    names = absence_names()
    legend = ", ".join(f"{code} = {code_label(code, names)}" for code in sheet.codes)
    if legend:
        pdf.line_of_text(f"Keterangan kode: {legend}.", size=7)
    _chart(pdf, sheet)
    printed = timezone.localtime().strftime("%d-%m-%Y %H:%M")
    pdf.line_of_text(f"Dicetak {printed} oleh Govem.", size=7, style="I")
    return bytes(pdf.output())


def _chart(pdf: Document, sheet: MonthlySheet) -> None:
    """Small multiples: per unit a row of daily bars (height = attendance rate)."""
    pdf.add_page()
    pdf.report_title("Grafik tingkat kehadiran harian per unit (%)", f"{month_label(sheet.month)}")
    if not sheet.rates:
        pdf.line_of_text("Belum ada rekap harian bulan ini.")
        return
    label_width, average_width, row_height, bar_room = 62.0, 18.0, 12.0, 10.0
    left = pdf.l_margin
    plot = pdf.w - pdf.r_margin - left - label_width - average_width
    step = plot / len(sheet.dates)
    pdf.set_font("Helvetica", "", 5.5)
    top = pdf.get_y()
    for index, day in enumerate(sheet.dates):
        pdf.set_xy(left + label_width + index * step, top)
        pdf.cell(step, 3, str(day.day), align="C")
    pdf.set_xy(left + label_width + plot, top)
    pdf.cell(average_width, 3, "Rata-rata", align="C")
    pdf.set_y(top + 4)
    for rate in sheet.rates:
        if pdf.get_y() + row_height > pdf.h - pdf.b_margin:
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_font("Helvetica", "", 7)
        for index, line in enumerate(wrap(pdf, plain(rate.unit), label_width - 2, 2)):
            pdf.set_xy(left, y + 2 + index * 3.5)
            pdf.cell(label_width - 2, 3.5, line)
        base = y + bar_room + 0.5
        pdf.set_draw_color(200, 200, 200)
        pdf.line(left + label_width, base, left + label_width + plot, base)
        pdf.line(left + label_width, base - bar_room, left + label_width + plot, base - bar_room)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_fill_color(46, 94, 170)
        for index, value in enumerate(rate.per_day):
            if value is None:
                continue
            height = bar_room * value / 100
            x = left + label_width + index * step + step * 0.15
            if height > 0:
                pdf.rect(x, base - height, step * 0.7, height, style="F")
        pdf.set_xy(left + label_width + plot, y + 3)
        average = "-" if rate.average is None else f"{rate.average:g}%"
        pdf.cell(average_width, 4, average, align="C")
        pdf.set_y(y + row_height)
    pdf.ln(2)
