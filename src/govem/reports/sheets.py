"""The opening every report sheet shares: column widths, the kop lines, frozen header row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DCE3F0")


def open_sheet(
    workbook: Workbook,
    name: str,
    *,
    title: str,
    period: str,
    scope: str,
    widths: Sequence[float],
    headers: Sequence[str],
    frozen_columns: str = "A",
) -> Any:
    """A write-only sheet with the regency, office, title, period and scope on top, then the
    bold header row (frozen, with ``frozen_columns`` to its left)."""
    sheet: Any = workbook.create_sheet(name)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    heading = [
        settings.GOVEM["REGENCY_NAME"],
        settings.GOVEM["OFFICE_NAME"],
        title,
        period,
        f"Unit kerja: {scope}",
    ]
    sheet.freeze_panes = f"{frozen_columns}{len(heading) + 3}"
    for index, text in enumerate(heading):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=index < 3, size=12 if index < 3 else 11)
        sheet.append([cell])
    sheet.append([])
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = BOLD, HEAD_FILL
        header.append(cell)
    sheet.append(header)
    return sheet


def append_signature(
    sheet: Any, *, column: int, place_date: str, role: str, name: str, nip: str
) -> None:
    """The PDF's signature block in the sheet, in ``column`` (1-based): place and date, role,
    room to sign, the name (dotted when unknown), the NIP."""
    lead: list[Any] = [None] * (column - 1)
    sheet.append([])
    sheet.append([*lead, place_date])
    sheet.append([*lead, role])
    sheet.append([])
    sheet.append([])
    signer = WriteOnlyCell(sheet, value=name or "....................................")
    signer.font = Font(bold=True, underline="single")
    sheet.append([*lead, signer])
    sheet.append([*lead, f"NIP. {nip}" if nip else "NIP. ..................."])
