"""Reading the personnel system's export: XLSX or CSV, headers in Indonesian or English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from govem.people import tables
from govem.people.models import Employee, Unit
from govem.people.tables import Column, RowError, TableSpec, cell, identifier_errors
from govem.people.validators import normalise_phone
from govem.rules.nip import NipError, parse_nip

__all__ = [
    "EMPLOYEES",
    "LABELS",
    "Row",
    "RowError",
    "cell",
    "identifier_of",
    "read_table",
    "validate_row",
]

_PHONE = re.compile(r"^\+62[1-9]\d{6,12}$")
_NON_ASN_ID = re.compile(r"^[A-Za-z0-9./-]{3,32}$")


EMPLOYEES = TableSpec(
    noun="pegawai",
    anchors=("nip", "name"),
    columns=(
        Column("nip", "NIP", ("nip ni", "nip nomor induk", "nomor induk", "no induk",
               "nomor induk pegawai", "nip nik", "id pegawai", "employee id", "employee number",
               "id"), required=True, identifier=True,
               explanation="Wajib. NIP 18 digit (PNS/PPPK) atau nomor induk non-ASN. Kolom "
               "berformat Text, jangan angka.", example="199001012015031001"),
        Column("name", "Nama", ("nama pegawai", "nama lengkap", "name", "full name",
               "employee name"), required=True,
               explanation="Wajib. Nama lengkap dengan gelar, seperti di sistem kepegawaian.",
               example="Contoh Pegawai, S.Kom."),
        Column("position", "Jabatan", ("nama jabatan", "position", "job title", "title"),
               explanation="Opsional.", example="Pranata Komputer Ahli Pertama"),
        Column("job_class", "Kelas Jabatan", ("kelas", "kelas jab", "job class", "grade",
               "job grade"),
               explanation="Opsional. Kelas jabatan 1–20 (pagu TPP per kelas). Kosong = tidak "
               "diubah.", example="9"),
        Column("unit_code", "Kode Unit", ("kode unit kerja", "kode opd", "kode satker",
               "unit code", "unit", "unit kerja", "opd"), required=True, identifier=True,
               explanation="Wajib. Kode unit kerja yang sudah ada (govem import-units).",
               example="DISKOMINFO"),
        Column("employee_type", "Jenis Pegawai", ("jenis", "status pegawai",
               "status kepegawaian", "employee type", "type", "kategori pegawai"), required=True,
               explanation="Wajib. PNS, PPPK, atau NON_ASN.", example="PNS"),
        Column("phone", "Telepon", ("telp", "no telepon", "nomor telepon", "no hp", "nomor hp",
               "hp", "no wa", "nomor wa", "whatsapp", "phone", "phone number", "mobile"),
               explanation="Opsional. Nomor WhatsApp, mis. 081234567890. Kosong = tidak diubah.",
               example="081234567890"),
        Column("email", "Email", ("e mail", "surel", "alamat email", "email address"),
               explanation="Opsional. Kosong = tidak diubah.", example="pegawai@tapinkab.go.id"),
        Column("supervisor", "NIP Atasan", ("atasan", "atasan langsung", "nip atasan langsung",
               "supervisor nip", "supervisor", "manager nip"), identifier=True,
               explanation="Opsional. NIP atasan langsung (di berkas ini atau sudah ada). "
               "Kolom berformat Text.", example=""),
    ),
)  # fmt: skip
# Canonical column → accepted headers.
COLUMNS: dict[str, tuple[str, ...]] = {
    column.key: (column.label, *column.headers) for column in EMPLOYEES.columns
}
TYPES = {
    "PNS": Employee.Type.PNS,
    "PPPK": Employee.Type.PPPK,
    "P3K": Employee.Type.PPPK,
    "NON_ASN": Employee.Type.NON_ASN,
    "NONASN": Employee.Type.NON_ASN,
    "HONORER": Employee.Type.NON_ASN,
}
REQUIRED = tuple(column.key for column in EMPLOYEES.columns if column.required)
LABELS = {**EMPLOYEES.labels, "active": "Status"}


def read_table(data: bytes, file_name: str) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """The employee rows of the file (see :func:`govem.people.tables.read_table`)."""
    return tables.read_table(data, file_name, EMPLOYEES)


@dataclass(frozen=True)
class Row:
    """One valid row, normalised: ``phone``/``email`` None when the cell was blank."""

    row: int
    identifier: str
    employee_type: str
    name: str
    position: str | None
    unit_code: str
    job_class: int | None
    phone: str | None
    email: str | None
    supervisor: str | None


JOB_CLASSES = range(1, 21)  # Employee.job_class's validators


def _job_class(text: str) -> int | None:
    """``9``, ``9.0`` (Excel's number) or ``Kelas 9`` → 9; anything else None."""
    match = re.fullmatch(r"(?:kelas\s*)?(\d{1,2})(?:[.,]0+)?", text.strip(), re.IGNORECASE)
    if match is None or int(match.group(1)) not in JOB_CLASSES:
        return None
    return int(match.group(1))


def identifier_of(raw: str) -> str:
    return re.sub(r"[\s']", "", raw)


def validate_row(number: int, raw: dict[str, Any], units: dict[str, Unit]) -> Row | list[RowError]:
    errors: list[RowError] = []
    identifier = identifier_of(cell(raw.get("nip")))

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, identifier, column, message))

    numbers = identifier_errors(number, raw, EMPLOYEES, identifier)
    if numbers:
        return numbers

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
            fail("nip", f"NIP «{identifier}» tidak valid: {exc}")
    name = " ".join(cell(raw.get("name")).split())
    if not name:
        fail("name", "Nama kosong.")
    elif len(name) > 200:
        fail("name", "Nama lebih dari 200 karakter.")
    position = " ".join(cell(raw.get("position")).split()) if "position" in raw else None
    if position and len(position) > 200:
        fail("position", "Jabatan lebih dari 200 karakter.")
    job_class: int | None = None
    if "job_class" in raw and cell(raw["job_class"]):
        job_class = _job_class(cell(raw["job_class"]))
        if job_class is None:
            errors.append(
                RowError(
                    number,
                    identifier,
                    "job_class",
                    f"Kelas jabatan «{cell(raw['job_class'])}» tidak valid "
                    f"(bilangan bulat {JOB_CLASSES.start}–{JOB_CLASSES.stop - 1}).",
                    code="invalid_job_class",
                )
            )
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
        job_class=job_class,
        phone=phone,
        email=email,
        supervisor=supervisor,
    )
