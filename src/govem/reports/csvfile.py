"""CSV for spreadsheet programs: UTF-8 with a BOM, and identifiers that stay text.

Excel, LibreOffice and Google Sheets read a bare 198503132015011009 as a number and keep
15 significant digits (…011000), and a formula typed into a name would run. An identifier
cell is therefore written as the text formula ``="198503132015011009"`` (shown and copied
as the 18 digits), and a text cell that starts like a formula is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "@")


def text_cell(value: Any) -> str:
    """An identifier as a spreadsheet text formula (empty stays empty)."""
    text = "" if value is None else str(value)
    return '="' + text.replace('"', '""') + '"' if text else ""


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_csv(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, text_columns: Collection[int]
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                text_cell(value) if index in text_columns else _plain(value)
                for index, value in enumerate(row)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode()
