"""Writes of the TPP data: the pagu table import, productivity (import or operator entry),
discipline sentences. All-or-nothing, audited (the models are tracked), scoped by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govem.accounts import audit
from govem.attendance.recap import parse_month
from govem.errors import DomainError
from govem.payroll.models import SENTENCE_CUTS, SENTENCE_KINDS, Pagu, Productivity, Sentence
from govem.people.models import Employee
from govem.people.tables import Column, RowError, TableSpec, cell, identifier_errors, read_table

PAGU = TableSpec(
    noun="pagu",
    anchors=("amount", "valid_from"),
    columns=(
        Column("nip", "NIP", ("nip pegawai", "nomor induk"), identifier=True,
               explanation="Isi salah satu dari NIP, Jabatan, atau Kelas Jabatan. NIP: pagu "
               "khusus satu pegawai (kolom Text).", example="199001012015031001"),
        Column("position", "Jabatan", ("nama jabatan", "position"),
               explanation="Nama jabatan persis seperti di data pegawai.", example=""),
        Column("job_class", "Kelas Jabatan", ("kelas", "kelas jabatan", "job class", "grade"),
               explanation="Angka 1–20.", example=""),
        Column("amount", "Pagu TPP", ("pagu", "pagu tpp rp", "besaran tpp", "tpp", "amount"),
               required=True, explanation="Wajib. Rupiah utuh per bulan, mis. 4500000.",
               example="4500000"),
        Column("valid_from", "Berlaku Mulai", ("mulai", "tmt", "valid from"), required=True,
               explanation="Wajib. Tanggal YYYY-MM-DD (mis. 2026-01-01).",
               example="2026-01-01"),
        Column("valid_to", "Berlaku Sampai", ("sampai", "valid to"),
               explanation="Opsional. YYYY-MM-DD; kosong = sampai ada baris baru.", example=""),
        Column("note", "Catatan", ("keterangan", "dasar", "note"),
               explanation="Opsional, mis. nomor Perbup.", example="Perbup TPP 2026"),
    ),
)  # fmt: skip

PRODUCTIVITY = TableSpec(
    noun="produktivitas",
    anchors=("nip",),
    columns=(
        Column("nip", "NIP", ("nip pegawai", "nomor induk"), required=True, identifier=True,
               explanation="Wajib. NIP pegawai (kolom Text).", example="199001012015031001"),
        Column("month", "Bulan", ("periode", "month"),
               explanation="YYYY-MM. Kosong = bulan yang dipilih saat mengunggah.",
               example="2026-11"),
        Column("percent", "Capaian (%)", ("capaian", "capaian kinerja", "nilai", "persen",
               "percent"), explanation="Isi capaian (0–100) atau menit aktivitas.",
               example="85"),
        Column("minutes", "Menit Aktivitas", ("menit", "menit kerja", "minutes"),
               explanation="Jumlah menit aktivitas e-kinerja sebulan.", example=""),
        Column("note", "Catatan", ("keterangan", "note"), explanation="Opsional.", example=""),
    ),
)  # fmt: skip


def _refuse_rows(errors: list[RowError], noun: str) -> DomainError:
    return DomainError(
        "invalid_rows",
        ngettext(
            "%(count)d kesalahan pada berkas %(noun)s; tidak ada data yang disimpan.",
            "%(count)d kesalahan pada berkas %(noun)s; tidak ada data yang disimpan.",
            len(errors),
        )
        % {"count": len(errors), "noun": noun},
        details={
            "errors": [
                {"row": e.row, "identifier": e.identifier, "column": e.column, "message": e.message}
                for e in errors
            ]
        },
    )


_THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def parse_rupiah(value: Any) -> int | None:
    """4500000, 4500000.0, "4.500.000", "Rp 4.500.000" → 4500000; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = cell(value).replace("Rp", "").replace("rp", "").replace(" ", "").strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[.,]", "", text)
    return int(text) if text.isdigit() else None


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(cell(value))
    except ValueError:
        return None


def parse_decimal(value: Any) -> Decimal | None:
    text = cell(value).replace("%", "").replace(",", ".").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def import_pagu(*, data: bytes, file_name: str, by: Any) -> ImportResult:
    """Rows by NIP, position or class, dated; all-or-nothing; a row for a key and start that
    exists is updated in place (the same file imported twice changes nothing). ``by`` is
    Tim IT (the page checked :func:`govem.accounts.scoping.can_manage_pagu`) or ``None`` (the
    console, a server admin)."""
    rows, _seen = read_table(data, file_name, PAGU)
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    known = set(Employee.objects.exclude(nip=None).values_list("nip", flat=True)) | set(
        Employee.objects.exclude(non_asn_id=None).values_list("non_asn_id", flat=True)
    )
    seen: set[tuple[str, str, date]] = set()
    for number, raw in rows:
        nip = re.sub(r"[\s']", "", cell(raw.get("nip")))
        position = cell(raw.get("position"))
        job_class = cell(raw.get("job_class"))
        ident = nip or position or job_class
        row_errors = identifier_errors(number, raw, PAGU, ident)
        filled = [value for value in (nip, position, job_class) if value]
        if len(filled) != 1:
            row_errors.append(
                RowError(
                    number, ident, "nip", _("Isi tepat satu dari NIP, Jabatan, Kelas Jabatan.")
                )
            )
        if nip and not row_errors and nip not in known:
            row_errors.append(
                RowError(number, ident, "nip", _("NIP %(nip)s tidak dikenal.") % {"nip": nip})
            )
        if job_class and not (job_class.isdigit() and 1 <= int(job_class) <= 20):
            row_errors.append(RowError(number, ident, "job_class", _("Kelas jabatan harus 1–20.")))
        amount = parse_rupiah(raw.get("amount"))
        if amount is None:
            row_errors.append(
                RowError(number, ident, "amount", _("Pagu harus rupiah utuh, mis. 4500000."))
            )
        valid_from = parse_date(raw.get("valid_from"))
        if valid_from is None:
            row_errors.append(RowError(number, ident, "valid_from", _("Tanggal harus YYYY-MM-DD.")))
        valid_to = None
        if cell(raw.get("valid_to")):
            valid_to = parse_date(raw.get("valid_to"))
            if valid_to is None or (valid_from and valid_to < valid_from):
                row_errors.append(
                    RowError(number, ident, "valid_to", _("Berlaku sampai harus YYYY-MM-DD, "
                             "tidak sebelum berlaku mulai."))
                )  # fmt: skip
        basis = Pagu.Basis.EMPLOYEE if nip else (
            Pagu.Basis.POSITION if position else Pagu.Basis.CLASS
        )  # fmt: skip
        if not row_errors and valid_from is not None:
            key = (str(basis), ident.casefold() if position else ident, valid_from)
            if key in seen:
                row_errors.append(RowError(number, ident, "nip", _("Baris ganda dalam berkas.")))
            seen.add(key)
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            {
                "basis": basis,
                "key": ident,
                "amount": amount,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "note": cell(raw.get("note"))[:300],
            }
        )
    if errors:
        raise _refuse_rows(errors, _("pagu"))
    if not parsed:
        raise DomainError("invalid_file", _("Berkas tidak berisi baris pagu."))
    created = updated = unchanged = 0
    with audit.acting_as(by, reason="impor pagu TPP"), transaction.atomic():
        for values in parsed:
            existing = Pagu.objects.filter(
                basis=values["basis"], key=values["key"], valid_from=values["valid_from"]
            ).first()
            if existing is None:
                Pagu.objects.create(**values)
                created += 1
                continue
            fields = ("amount", "valid_to", "note")
            if all(getattr(existing, name) == values[name] for name in fields):
                unchanged += 1
                continue
            for name in fields:
                setattr(existing, name, values[name])
            existing.save()
            updated += 1
    return ImportResult(created, updated, unchanged)


def _figure(percent: Any, minutes: Any) -> tuple[Decimal | None, int | None, str]:
    """(percent, minutes, problem): exactly one figure, in range."""
    percent_text, minutes_text = cell(percent), cell(minutes)
    if bool(percent_text) == bool(minutes_text):
        return None, None, _("Isi capaian (%) atau menit aktivitas (salah satu).")
    if percent_text:
        value = parse_decimal(percent_text)
        if value is None or not Decimal(0) <= value <= Decimal(100):
            return None, None, _("Capaian harus angka 0–100.")
        return value.quantize(Decimal("0.01")), None, ""
    if not minutes_text.isdigit() or int(minutes_text) > 100_000:
        return None, None, _("Menit aktivitas harus bilangan bulat 0–100000.")
    return None, int(minutes_text), ""


def import_productivity(
    *, data: bytes, file_name: str, month: date, employees: QuerySet[Employee], by: Any
) -> ImportResult:
    """Per employee-month figures from the e-kinerja export; rows for NIPs outside
    ``employees`` (the caller's scope) are refused like unknown ones."""
    rows, _seen = read_table(data, file_name, PRODUCTIVITY)
    people = {person.identifier: person for person in employees.filter(active=True)}
    errors: list[RowError] = []
    parsed: list[tuple[Employee, date, Decimal | None, int | None, str]] = []
    seen: set[tuple[int, date]] = set()
    for number, raw in rows:
        nip = re.sub(r"[\s']", "", cell(raw.get("nip")))
        row_errors = identifier_errors(number, raw, PRODUCTIVITY, nip)
        person = people.get(nip)
        if person is None and not row_errors:
            row_errors.append(
                RowError(
                    number,
                    nip,
                    "nip",
                    _("NIP %(nip)s tidak dikenal atau di luar cakupan Anda.") % {"nip": nip},
                )
            )
        row_month = month
        if cell(raw.get("month")):
            try:
                row_month = parse_month(cell(raw.get("month"))[:7], default=month)
            except DomainError:
                row_errors.append(RowError(number, nip, "month", _("Bulan harus YYYY-MM.")))
        percent, minutes, problem = _figure(raw.get("percent"), raw.get("minutes"))
        if problem:
            row_errors.append(RowError(number, nip, "percent", problem))
        if person is not None and (person.pk, row_month) in seen:
            row_errors.append(RowError(number, nip, "nip", _("Baris ganda dalam berkas.")))
        if row_errors or person is None:
            errors.extend(row_errors)
            continue
        seen.add((person.pk, row_month))
        parsed.append((person, row_month, percent, minutes, cell(raw.get("note"))[:300]))
    if errors:
        raise _refuse_rows(errors, _("produktivitas"))
    if not parsed:
        raise DomainError("invalid_file", _("Berkas tidak berisi baris produktivitas."))
    created = updated = unchanged = 0
    with audit.acting_as(by, reason="impor produktivitas"), transaction.atomic():
        for person, row_month, percent, minutes, note in parsed:
            outcome = _store(
                person, row_month, percent, minutes, note, Productivity.Source.IMPORT, by
            )
            created += outcome == "created"
            updated += outcome == "updated"
            unchanged += outcome == "unchanged"
    return ImportResult(created, updated, unchanged)


def _store(
    person: Employee,
    month: date,
    percent: Decimal | None,
    minutes: int | None,
    note: str,
    source: str,
    by: Any,
) -> str:
    existing = Productivity.objects.filter(employee=person, month=month).first()
    if existing is None:
        Productivity.objects.create(
            employee=person,
            month=month,
            percent=percent,
            minutes=minutes,
            note=note,
            source=source,
            entered_by=by,
        )
        return "created"
    if existing.percent == percent and existing.minutes == minutes and existing.note == note:
        return "unchanged"
    existing.percent, existing.minutes, existing.note = percent, minutes, note
    existing.source, existing.entered_by = source, by
    existing.save()
    return "updated"


def set_productivity(
    *,
    employee: Employee,
    month: date,
    percent: str = "",
    minutes: str = "",
    note: str = "",
    by: Any,
) -> Productivity:
    """The operator enters one employee's figure for a month (the caller checked the scope)."""
    value, count, problem = _figure(percent, minutes)
    if problem:
        raise DomainError("invalid_input", problem, details={"field": "percent"})
    with audit.acting_as(by, reason="produktivitas diisi operator"), transaction.atomic():
        _store(employee, month, value, count, note[:300], Productivity.Source.OPERATOR, by)
    return Productivity.objects.get(employee=employee, month=month)


KIND_CODES = {code for code, _ in SENTENCE_KINDS}


def record_sentence(
    *,
    employee: Employee,
    kind: str,
    decree_number: str,
    decree_date: date | None,
    starts: date | None,
    months: int | None = None,
    cut_pct: Decimal | None = None,
    note: str = "",
    by: Any,
) -> Sentence:
    """BKPSDM records a sentence; a TPP-cutting kind defaults to its months and 25 %.

    ``by`` may record (the page checked :func:`govem.accounts.scoping.can_record_sentences`);
    ``employee`` is in their scope."""
    if kind not in KIND_CODES:
        raise DomainError(
            "invalid_input", _("Jenis hukuman tidak dikenal."), details={"field": "kind"}
        )
    decree_number = decree_number.strip()
    if not decree_number:
        raise DomainError(
            "invalid_input", _("Nomor keputusan wajib diisi."), details={"field": "decree_number"}
        )
    if decree_date is None:
        raise DomainError(
            "invalid_input", _("Tanggal keputusan wajib diisi (YYYY-MM-DD)."),
            details={"field": "decree_date"},
        )  # fmt: skip
    if starts is None:
        raise DomainError(
            "invalid_input", _("Bulan mulai wajib diisi (YYYY-MM)."), details={"field": "starts"}
        )
    default_months, default_cut = SENTENCE_CUTS.get(kind, (0, 0))
    months = default_months if months is None else months
    cut = Decimal(default_cut) if cut_pct is None else cut_pct
    if not 0 <= months <= 36:
        raise DomainError(
            "invalid_input", _("Lama hukuman 0–36 bulan."), details={"field": "months"}
        )
    if not Decimal(0) <= cut <= Decimal(100):
        raise DomainError(
            "invalid_input", _("Pemotongan TPP 0–100 %."), details={"field": "cut_pct"}
        )
    if cut > 0 and months == 0:
        raise DomainError(
            "invalid_input",
            _("Pemotongan TPP memerlukan lama hukuman (bulan)."),
            details={"field": "months"},
        )
    if Sentence.objects.filter(employee=employee, decree_number=decree_number).exists():
        raise DomainError(
            "duplicate",
            _("Keputusan dengan nomor itu sudah dicatat untuk pegawai ini."),
            status=409,
            details={"field": "decree_number"},
        )
    with audit.acting_as(by, reason=f"hukuman disiplin {decree_number}"), transaction.atomic():
        return Sentence.objects.create(
            employee=employee,
            kind=kind,
            decree_number=decree_number[:120],
            decree_date=decree_date,
            starts=starts.replace(day=1),
            months=months,
            cut_pct=cut,
            note=note,
            recorded_by=by,
        )
