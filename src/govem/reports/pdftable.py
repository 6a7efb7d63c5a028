"""A fast bordered table for fpdf2: fixed widths, wrapped cells, header repeated per page.

fpdf2's own ``table()`` lays out each cell with full text shaping; a regency's report has
10,000 rows, so this draws plain Latin-1 text with ``cell`` and the grid with ``line``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fpdf import FPDF

from govem.documents import plain


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    align: str = "L"  # L, C or R


def wrap(pdf: FPDF, text: str, width: float, max_lines: int) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines that fit ``width`` (last one cut)."""
    room = width - 1.0
    if pdf.get_string_width(text) <= room:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while pdf.get_string_width(current) > room and len(current) > 1:
            cut = len(current)
            while cut > 1 and pdf.get_string_width(current[:cut]) > room:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdf.get_string_width(last + "...") > room:
            last = last[:-1]
        lines[-1] = last + "..."
    return lines


def draw_table(
    pdf: FPDF,
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    font_size: float = 6.5,
    line_height: float = 3.0,
    max_lines: int = 3,
    header_size: float | None = None,
) -> None:
    """Draw the rows below the current position; a new page repeats the header."""
    header_size = header_size or font_size
    left = pdf.l_margin
    bottom = pdf.h - pdf.b_margin

    def header() -> None:
        pdf.set_font("Helvetica", "B", header_size)
        wrapped = [wrap(pdf, plain(c.header), c.width, 3) for c in columns]
        height = max(len(lines) for lines in wrapped) * line_height + 1
        top = pdf.get_y()
        _row(pdf, columns, wrapped, left, top, height, line_height, fill=True)
        pdf.set_y(top + height)
        pdf.set_font("Helvetica", "", font_size)

    header()
    for row in rows:
        wrapped = [
            wrap(pdf, plain(str(text)), column.width, max_lines)
            for column, text in zip(columns, row, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * line_height + 1
        if pdf.get_y() + height > bottom:
            pdf.add_page()
            header()
        top = pdf.get_y()
        _row(pdf, columns, wrapped, left, top, height, line_height)
        pdf.set_y(top + height)


def _row(
    pdf: FPDF,
    columns: Sequence[Column],
    wrapped: list[list[str]],
    left: float,
    top: float,
    height: float,
    line_height: float,
    *,
    fill: bool = False,
) -> None:
    x = left
    if fill:
        pdf.set_fill_color(225, 230, 240)
        pdf.rect(left, top, sum(c.width for c in columns), height, style="F")
    for column, lines in zip(columns, wrapped, strict=True):
        for index, line in enumerate(lines):
            pdf.set_xy(x, top + 0.5 + index * line_height)
            pdf.cell(column.width, line_height, line, align=column.align)
        x += column.width
    pdf.line(left, top, x, top)
    pdf.line(left, top + height, x, top + height)
    edge = left
    pdf.line(edge, top, edge, top + height)
    for column in columns:
        edge += column.width
        pdf.line(edge, top, edge, top + height)
