"""Reading the personnel system's export: XLSX or CSV, headers in Indonesian or English."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from govem.errors import DomainError
from govem.people.models import Employee, Unit
from govem.people.validators import normalise_phone
from govem.rules.nip import NipError, parse_nip

_PHONE = re.compile(r"^\+62[1-9]\d{6,12}$")
_NON_ASN_ID = re.compile(r"^[A-Za-z0-9./-]{3,32}$")


# Canonical column → accepted headers (compared after lowercasing and squeezing punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip ni", "nip nomor induk", "nomor induk", "no induk", "nomor induk pegawai",
            "nip nik", "id pegawai", "employee id", "employee number", "id"),
    "name": ("nama", "nama pegawai", "nama lengkap", "name", "full name", "employee name"),
    "position": ("jabatan", "nama jabatan", "position", "job title", "title"),
    "unit_code": ("kode unit", "kode unit kerja", "kode opd", "kode satker", "unit code",
                  "unit", "unit kerja", "opd"),
    "employee_type": ("jenis pegawai", "jenis", "status pegawai", "status kepegawaian",
                      "employee type", "type", "kategori pegawai"),
    "phone": ("telepon", "telp", "no telepon", "nomor telepon", "no hp", "nomor hp", "hp",
              "no wa", "nomor wa", "whatsapp", "phone", "phone number", "mobile"),
    "email": ("email", "e mail", "surel", "alamat email", "email address"),
    "supervisor": ("nip atasan", "atasan", "atasan langsung", "nip atasan langsung",
                   "supervisor nip", "supervisor", "manager nip"),
}  # fmt: skip
TYPES = {
    "PNS": Employee.Type.PNS,
    "PPPK": Employee.Type.PPPK,
    "P3K": Employee.Type.PPPK,
    "NON_ASN": Employee.Type.NON_ASN,
    "NONASN": Employee.Type.NON_ASN,
    "HONORER": Employee.Type.NON_ASN,
}
REQUIRED = ("nip", "name", "unit_code", "employee_type")
LABELS = {
    "nip": "NIP",
    "name": "Nama",
    "position": "Jabatan",
    "unit_code": "Kode Unit",
    "employee_type": "Jenis Pegawai",
    "phone": "Telepon",
    "email": "Email",
    "supervisor": "NIP Atasan",
    "active": "Status",
}


def _header_key(value: Any) -> str:
    text = str(value or "").strip().lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


_HEADER_INDEX = {variant: column for column, variants in COLUMNS.items() for variant in variants}


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
    return str(value).strip()


def _records(data: bytes, file_name: str) -> Iterator[tuple[int, list[Any]]]:
    suffix = Path(file_name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"} or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise DomainError(
                "invalid_file", "Berkas XLSX tidak dapat dibaca.", details={"problem": str(exc)}
            ) from exc
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
        book.close()
        return
    if suffix not in {".csv", ".txt", ""}:
        raise DomainError(
            "invalid_file", "Format berkas harus XLSX atau CSV.", details={"file": file_name}
        )
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


def read_table(data: bytes, file_name: str) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """Rows (with their spreadsheet row number) keyed by canonical column, and the columns seen.

    The header is the first of the first ten rows naming a NIP column and a name column, so
    a title line above the table does no harm.
    """
    records = _records(data, file_name)
    mapping: dict[int, str] | None = None
    for number, values in records:
        candidate = {}
        for index, value in enumerate(values):
            column = _HEADER_INDEX.get(_header_key(value))
            if column and column not in candidate.values():
                candidate[index] = column
        if {"nip", "name"} <= set(candidate.values()):
            mapping = candidate
            break
        if number >= 10:
            break
    if mapping is None:
        raise DomainError(
            "invalid_file",
            "Baris judul kolom tidak ditemukan (harus ada kolom NIP dan Nama).",
            details={"expected": [LABELS[c] for c in COLUMNS]},
        )
    missing = [LABELS[column] for column in REQUIRED if column not in mapping.values()]
    if missing:
        raise DomainError(
            "invalid_file",
            "Kolom wajib tidak ada: " + ", ".join(missing) + ".",
            details={"missing": missing},
        )
    rows = []
    for number, values in records:
        row = {column: values[index] if index < len(values) else None
               for index, column in mapping.items()}  # fmt: skip
        if any(cell(value) for value in row.values()):
            rows.append((number, row))
    return rows, set(mapping.values())


@dataclass(frozen=True)
class RowError:
    row: int
    identifier: str
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    """One valid row, normalised: ``phone``/``email`` None when the cell was blank."""

    row: int
    identifier: str
    employee_type: str
    name: str
    position: str | None
    unit_code: str
    phone: str | None
    email: str | None
    supervisor: str | None


def identifier_of(raw: str) -> str:
    return re.sub(r"[\s']", "", raw)


def validate_row(number: int, raw: dict[str, Any], units: dict[str, Unit]) -> Row | list[RowError]:
    errors: list[RowError] = []
    identifier = identifier_of(cell(raw.get("nip")))

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, identifier, column, message))

    kind_raw = re.sub(r"[\s-]+", "_", cell(raw.get("employee_type")).upper())
    kind = TYPES.get(kind_raw) or TYPES.get(kind_raw.replace("_", ""))
    if kind is None:
        fail(
            "employee_type",
            f"Jenis pegawai «{cell(raw.get('employee_type'))}» tidak dikenal "
            "(gunakan PNS, PPPK, atau NON_ASN).",
        )
    if not identifier:
        fail("nip", "NIP / nomor induk kosong.")
    elif kind == Employee.Type.NON_ASN:
        if not _NON_ASN_ID.match(identifier):
            fail("nip", f"Nomor induk non-ASN «{identifier}» tidak valid (3–32 huruf/angka).")
    elif kind is not None:
        try:
            parse_nip(identifier, pppk=kind == Employee.Type.PPPK)
        except NipError as exc:
            hint = " Format kolom NIP sebagai teks." if isinstance(raw.get("nip"), float) else ""
            fail("nip", f"NIP «{identifier}» tidak valid: {exc}{hint}")
    name = " ".join(cell(raw.get("name")).split())
    if not name:
        fail("name", "Nama kosong.")
    elif len(name) > 200:
        fail("name", "Nama lebih dari 200 karakter.")
    position = " ".join(cell(raw.get("position")).split()) if "position" in raw else None
    if position and len(position) > 200:
        fail("position", "Jabatan lebih dari 200 karakter.")
    code = cell(raw.get("unit_code"))
    unit = units.get(code) or units.get(code.upper())
    if not code:
        fail("unit_code", "Kode unit kosong.")
    elif unit is None:
        fail("unit_code", f"Kode unit «{code}» tidak dikenal.")
    elif not unit.active:
        fail("unit_code", f"Unit «{code}» tidak aktif.")
    phone: str | None = None
    if "phone" in raw and cell(raw["phone"]):
        text = cell(raw["phone"])
        if isinstance(raw["phone"], int | float) and text.startswith("8"):
            text = "0" + text  # Excel drops the leading zero of 08…
        phone = normalise_phone(text)
        if not _PHONE.match(phone):
            fail("phone", f"Nomor telepon «{text}» tidak valid (contoh 081234567890).")
    email: str | None = None
    if "email" in raw and cell(raw["email"]):
        email = cell(raw["email"])
        try:
            validate_email(email)
            if len(email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            fail("email", f"Alamat email «{email}» tidak valid.")
    supervisor = identifier_of(cell(raw.get("supervisor"))) if "supervisor" in raw else None
    if supervisor and supervisor == identifier:
        fail("supervisor", "Pegawai tidak dapat menjadi atasannya sendiri.")
    if errors:
        return errors
    assert kind is not None and unit is not None
    return Row(
        row=number,
        identifier=identifier,
        employee_type=kind,
        name=name,
        position=position,
        unit_code=unit.code,
        phone=phone,
        email=email,
        supervisor=supervisor,
    )
