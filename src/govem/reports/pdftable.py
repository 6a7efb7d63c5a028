"""A fast bordered table for fpdf2: fixed widths, wrapped cells, header repeated per page.

fpdf2's ``cell()`` and ``table()`` shape every string and copy the graphics state per call;
a regency's daily report has 10,000 rows (120,000 cells), which took them half a minute.
Here text is measured from the core font's width table (memoised per string), placed with
``text()``, and the grid is drawn once per page block: one horizontal rule per row and the
column rules from the block's top to its bottom.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fpdf import FPDF

from govem.documents import plain

PADDING = 0.5  # mm, left and right inside a cell
BASELINE = 0.78  # of the line height, from the line's top to the text's baseline


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    align: str = "L"  # L, C or R


def measure(pdf: FPDF) -> Callable[[str], float]:
    """A width function (mm) for the current core font and size, memoised per string."""
    font = pdf.current_font
    widths = getattr(font, "cw", None)
    if not isinstance(widths, dict):  # not a core font: let fpdf2 measure
        return pdf.get_string_width
    scale = pdf.font_size_pt / 1000 / pdf.k
    default = widths.get("n", 556)
    cache: dict[str, float] = {}

    def width(text: str) -> float:
        found = cache.get(text)
        if found is None:
            found = sum(widths.get(char, default) for char in text) * scale  # type: ignore[misc]
            if len(cache) < 50_000:
                cache[text] = found
        return found

    return width


def wrap(
    pdf: FPDF,
    text: str,
    width: float,
    max_lines: int,
    measured: Callable[[str], float] | None = None,
) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines that fit ``width`` (last one cut)."""
    size = measured or measure(pdf)
    room = width - 2 * PADDING
    if size(text) <= room:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if size(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while size(current) > room and len(current) > 1:
            cut = len(current)
            while cut > 1 and size(current[:cut]) > room:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and size(last + "...") > room:
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
    right = left + sum(column.width for column in columns)
    bottom = pdf.h - pdf.b_margin
    block_top = pdf.get_y()

    def close_block(y: float) -> None:
        edge = left
        pdf.line(edge, block_top, edge, y)
        for column in columns:
            edge += column.width
            pdf.line(edge, block_top, edge, y)

    def header() -> None:
        nonlocal block_top
        block_top = pdf.get_y()
        pdf.set_font("Helvetica", "B", header_size)
        size = measure(pdf)
        wrapped = [wrap(pdf, plain(c.header), c.width, 3, size) for c in columns]
        height = max(len(lines) for lines in wrapped) * line_height + 1
        pdf.set_fill_color(225, 230, 240)
        pdf.rect(left, block_top, right - left, height, style="F")
        pdf.set_fill_color(0, 0, 0)  # same as the text colour: no colour switch per text
        pdf.line(left, block_top, right, block_top)
        _texts(pdf, columns, wrapped, left, block_top, line_height, size)
        pdf.line(left, block_top + height, right, block_top + height)
        pdf.set_y(block_top + height)
        pdf.set_font("Helvetica", "", font_size)

    header()
    size = measure(pdf)
    for row in rows:
        wrapped = [
            wrap(pdf, plain(str(text)), column.width, max_lines, size)
            for column, text in zip(columns, row, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * line_height + 1
        top = pdf.get_y()
        if top + height > bottom:
            close_block(top)
            pdf.add_page()
            header()
            size = measure(pdf)
            top = pdf.get_y()
        _texts(pdf, columns, wrapped, left, top, line_height, size)
        pdf.line(left, top + height, right, top + height)
        pdf.set_y(top + height)
    close_block(pdf.get_y())


def _texts(
    pdf: FPDF,
    columns: Sequence[Column],
    wrapped: list[list[str]],
    left: float,
    top: float,
    line_height: float,
    size: Callable[[str], float],
) -> None:
    x = left
    for column, lines in zip(columns, wrapped, strict=True):
        for index, line in enumerate(lines):
            if not line:
                continue
            if column.align == "L":
                start = x + PADDING
            elif column.align == "R":
                start = x + column.width - PADDING - size(line)
            else:
                start = x + (column.width - size(line)) / 2
            pdf.text(start, top + 0.5 + (index + BASELINE) * line_height, line)
        x += column.width
