"""Reading an import table (XLSX or CSV) against a column spec, and writing its template.

Every import (employees, units, locations) describes its columns once as a :class:`TableSpec`:
the accepted headers (Indonesian or English), which are required, and which hold identifiers
(NIP, unit codes) that must be stored as text. The same spec writes the template file that
the pages and the commands offer (header row, explanation row, one example row), and the
reader skips that explanation row and an example row left unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from govem.errors import DomainError

# A number as Excel writes it into a CSV when the column was not Text: 1.98503E+17.
_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")
# How Govem's own CSV reports keep NIPs text (govem.reports.csvfile): ="198503132015011009".
_TEXT_FORMULA = re.compile(r'^="(.*)"$')
TEMPLATE_ROWS = 1000  # rows of the template pre-formatted as Text in identifier columns


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header the template writes
    headers: tuple[str, ...] = ()  # further accepted headers (compared squeezed, lowercase)
    required: bool = False
    identifier: bool = False  # digits or codes that a spreadsheet number would change
    explanation: str = ""
    example: str = ""


@dataclass(frozen=True)
class TableSpec:
    noun: str  # what one row is, for messages: "pegawai", "unit", "lokasi"
    columns: tuple[Column, ...]
    anchors: tuple[str, ...]  # the keys whose headers identify the header row

    @property
    def labels(self) -> dict[str, str]:
        return {column.key: column.label for column in self.columns}

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def header_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for column in self.columns:
            for variant in (column.label, *column.headers):
                index.setdefault(header_key(variant), column.key)
        return index


@dataclass(frozen=True)
class RowError:
    row: int
    identifier: str
    column: str
    message: str
    code: str = "invalid_row"  # stable, for scripts and tests (the message is for people)


def header_key(value: Any) -> str:
    text = str(value or "").strip().lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def cell(value: Any) -> str:
    """A cell as text; numbers as Excel shows them (an 18-digit NIP typed as a number is lost)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    formula = _TEXT_FORMULA.match(text)
    return formula[1].replace('""', '"').strip() if formula else text


def stored_as_number(value: Any) -> bool:
    """True when a spreadsheet held the cell as a number (XLSX) or wrote one out (CSV)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_SCIENTIFIC.match(value.strip()))


def number_refusal(label: str) -> str:
    return (
        f"Kolom {label} tersimpan sebagai angka, sehingga Excel dapat mengubah digitnya "
        f"(NIP 18 digit dibulatkan, angka 0 di depan hilang). Di Excel: pilih kolom {label}, "
        "Format Cells → Text, ketik ulang atau tempel ulang nilainya (atau awali dengan '), "
        "lalu simpan dan unggah lagi."
    )


def identifier_errors(
    number: int, raw: dict[str, Any], spec: TableSpec, identifier: str
) -> list[RowError]:
    """One error per identifier column of the row that holds a number instead of text."""
    return [
        RowError(number, identifier, column.key, number_refusal(column.label))
        for column in spec.columns
        if column.identifier and column.key in raw and stored_as_number(raw[column.key])
    ]


def _records(data: bytes, file_name: str) -> Iterator[tuple[int, list[Any]]]:
    suffix = Path(file_name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"} or data[:4] == b"PK\x03\x04":
        # openpyxl (slow to import) only when a spreadsheet is read
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise DomainError(
                "invalid_file", _("Berkas XLSX tidak dapat dibaca."), details={"problem": str(exc)}
            ) from exc
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
        book.close()
        return
    if suffix not in {".csv", ".txt", ""}:
        raise DomainError(
            "invalid_file", _("Format berkas harus XLSX atau CSV."), details={"file": file_name}
        )
    text = ""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # Excel in Indonesian locales writes ";"; the sniffer trips over a title line, so count.
    sample = "\n".join(text.splitlines()[:20])
    delimiter = max(",;\t|", key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for number, values in enumerate(reader, start=1):
        yield number, values


def _is_template_row(row: dict[str, Any], spec: TableSpec, attribute: str) -> bool:
    filled = {key: cell(value) for key, value in row.items() if cell(value)}
    if not filled:
        return False
    expected = {column.key: getattr(column, attribute) for column in spec.columns}
    return all(expected.get(key) == value for key, value in filled.items())


def read_table(
    data: bytes, file_name: str, spec: TableSpec
) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """Rows (with their spreadsheet row number) keyed by column, and the columns seen.

    The header is the first of the first ten rows naming every anchor column, so a title line
    above the table does no harm. The template's explanation row and its example row, when
    left unchanged, are skipped.
    """
    records = _records(data, file_name)
    index = spec.header_index()
    labels = spec.labels
    mapping: dict[int, str] | None = None
    for number, values in records:
        candidate: dict[int, str] = {}
        for position, value in enumerate(values):
            key = index.get(header_key(value))
            if key and key not in candidate.values():
                candidate[position] = key
        if set(spec.anchors) <= set(candidate.values()):
            mapping = candidate
            break
        if number >= 10:
            break
    if mapping is None:
        anchors = (" " + _("dan") + " ").join(labels[key] for key in spec.anchors)
        raise DomainError(
            "invalid_file",
            _("Baris judul kolom tidak ditemukan (harus ada kolom %(columns)s).")
            % {"columns": anchors},
            details={"expected": [column.label for column in spec.columns]},
        )
    missing = [c.label for c in spec.columns if c.required and c.key not in mapping.values()]
    if missing:
        raise DomainError(
            "invalid_file",
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)},
            details={"missing": missing},
        )
    rows = []
    for number, values in records:
        row = {key: values[position] if position < len(values) else None
               for position, key in mapping.items()}  # fmt: skip
        if not any(cell(value) for value in row.values()):
            continue
        if _is_template_row(row, spec, "explanation") or _is_template_row(row, spec, "example"):
            continue
        rows.append((number, row))
    return rows, set(mapping.values())


def template_xlsx(spec: TableSpec, *, title: str) -> bytes:
    """The import template: header, explanation and example rows; identifier columns as Text."""
    # openpyxl (slow to import) only when a template is written
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([column.label for column in spec.columns])
    sheet.append([column.explanation for column in spec.columns])
    sheet.append([column.example for column in spec.columns])
    bold, grey = Font(bold=True), Font(italic=True, color="555555")
    header_fill = PatternFill("solid", fgColor="D9EAD3")
    for position, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(position)
        head = sheet.cell(row=1, column=position)
        head.font, head.fill = bold, header_fill
        note = sheet.cell(row=2, column=position)
        note.font = grey
        note.alignment = Alignment(wrap_text=True, vertical="top")
        width = max(len(column.label), len(column.example), 14)
        sheet.column_dimensions[letter].width = min(width + 4, 48)
        if column.identifier:
            sheet.cell(row=3, column=position).number_format = "@"
            for row in range(4, TEMPLATE_ROWS + 4):
                sheet.cell(row=row, column=position).number_format = "@"
    sheet.row_dimensions[2].height = 90
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
