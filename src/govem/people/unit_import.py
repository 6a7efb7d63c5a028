"""Units (OPD and sub-units) from a table: code, name, parent code, optional address.

A row with a new code creates the unit; a known code updates its name, parent and address
(and reactivates it). Units not in the file are left alone. The parent is a unit of the file
or one already in Govem; a parent chain that loops back is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govem.errors import DomainError
from govem.people.import_runs import (
    Change,
    Planned,
    TableOutcome,
    TablePlan,
    digest,
    run_import,
    squeeze,
)
from govem.people.models import ImportRun, Unit
from govem.people.tables import Column, TableSpec, cell, identifier_errors, read_table

UNITS = TableSpec(
    noun="unit",
    anchors=("code", "name"),
    columns=(
        Column("code", "Kode Unit", ("kode", "kode opd", "kode satker", "kode unit kerja",
               "unit code", "code"), required=True, identifier=True,
               explanation=gettext_noop(
                   "Wajib, unik. Huruf, angka, titik, garis bawah atau tanda hubung "
                   "(maks. 32). Kolom berformat Text."), example="DISKOMINFO-TIK"),
        Column("name", "Nama Unit", ("nama", "nama opd", "nama unit kerja", "unit name",
               "name"), required=True,
               explanation=gettext_noop(
                   "Wajib. Nama resmi unit (maks. 200 karakter)."),
               example="Bidang Teknologi Informasi dan Komunikasi"),
        Column("parent", "Kode Unit Induk", ("kode induk", "induk", "unit induk",
               "parent code", "parent"), identifier=True,
               explanation=gettext_noop(
                   "Opsional. Kode unit induk (di berkas ini atau sudah ada); kosong = "
                   "unit tingkat teratas (OPD)."), example="DISKOMINFO"),
        Column("address", "Alamat", ("alamat kantor", "address"),
               explanation=gettext_noop(
                   "Opsional (maks. 300 karakter)."),
               example="Jl. Jenderal Sudirman No. 1, Rantau"),
    ),
)  # fmt: skip
LABELS = {**UNITS.labels, "active": "Status"}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@dataclass
class _UnitPlan(TablePlan):
    """The plan plus what applying needs: the rows in parent-first order and the units."""

    ordered: list[dict[str, Any]] = field(default_factory=list)
    existing: dict[str, Unit] = field(default_factory=dict)
    known: dict[str, Unit] = field(default_factory=dict)


def _known_units() -> dict[str, Unit]:
    """Every unit by its code in capitals (codes are matched case-insensitively)."""
    return {unit.code.upper(): unit for unit in Unit.objects.order_by("-pk")}


def _validate(number: int, raw: dict[str, Any], plan: TablePlan) -> dict[str, Any] | None:
    code = cell(raw.get("code"))
    numbers = identifier_errors(number, raw, UNITS, code)
    if numbers:
        plan.errors.extend(numbers)
        return None
    before = len(plan.errors)
    name = squeeze(cell(raw.get("name")))
    parent = cell(raw.get("parent"))
    address = squeeze(cell(raw.get("address"))) if "address" in raw else None
    if not code:
        plan.fail(number, code, "code", "Kode unit kosong.")
    elif not _CODE.match(code):
        plan.fail(
            number,
            code,
            "code",
            f"Kode unit «{code}» tidak valid: huruf, angka, titik, garis bawah atau tanda "
            "hubung, maks. 32 karakter, tanpa spasi.",
        )
    if not name:
        plan.fail(number, code, "name", "Nama unit kosong.")
    elif len(name) > 200:
        plan.fail(number, code, "name", "Nama unit lebih dari 200 karakter.")
    if address and len(address) > 300:
        plan.fail(number, code, "address", "Alamat lebih dari 300 karakter.")
    if code and parent and parent.upper() == code.upper():
        plan.fail(number, code, "parent", "Unit tidak dapat menjadi induknya sendiri.")
    if len(plan.errors) > before:
        return None
    return {"row": number, "code": code, "name": name, "parent": parent, "address": address}


def _loops(code: str, parents: dict[str, str]) -> bool:
    seen = {code}
    current = parents.get(code, "")
    while current:
        if current in seen:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False


def plan_units(data: bytes, file_name: str) -> _UnitPlan:
    """What applying the file would do; reads only."""
    plan = _UnitPlan(ImportRun.Kind.UNITS, file_name, digest(data), LABELS)
    table, _columns = read_table(data, file_name, UNITS)
    plan.rows = len(table)
    if not table:
        raise DomainError("invalid_file", _("Berkas tidak berisi data unit."))
    known = plan.known = _known_units()
    code_of = {unit.pk: key for key, unit in known.items()}
    first_row: dict[str, int] = {}
    rows: dict[str, dict[str, Any]] = {}
    for number, raw in table:
        row = _validate(number, raw, plan)
        code = (row or {}).get("code") or cell(raw.get("code"))
        key = code.upper()
        if key and key in first_row:
            duplicate = f"Kode unit «{code}» ganda: sudah ada di baris {first_row[key]}."
            plan.fail(number, code, "code", duplicate)
            continue
        if key:
            first_row[key] = number
        if row is not None:
            existing = known.get(key)
            row["code"] = existing.code if existing else code
            rows[key] = row

    # The parent of every unit once the file is applied (file rows win over Govem's data).
    parents = {key: code_of.get(unit.parent_id or 0, "") for key, unit in known.items()}
    for key, row in list(rows.items()):
        parent = row["parent"].upper()
        if parent and parent not in rows and parent not in known:
            plan.fail(
                row["row"],
                row["code"],
                "parent",
                f"Kode unit induk «{row['parent']}» tidak ada di berkas maupun di data unit.",
            )
            del rows[key]
            continue
        parents[key] = parent
    for key, row in list(rows.items()):
        if _loops(key, parents):
            plan.fail(
                row["row"],
                row["code"],
                "parent",
                f"Unit induk «{row['parent']}» membentuk siklus (unit menjadi induk dari "
                "induknya sendiri).",
            )
            del rows[key]

    for key, row in rows.items():
        unit = known.get(key)
        if unit is None:
            plan.new.append(Planned(row["row"], row["code"], row["name"]))
            continue
        plan.existing[key] = unit
        current_parent = known[code_of[unit.parent_id]].code if unit.parent_id else ""
        changes = [
            Change(LABELS[column], str(old or ""), str(new))
            for column, old, new in (
                ("name", unit.name, row["name"]),
                ("parent", current_parent, _resolved(row["parent"], rows, known)),
                ("address", unit.address, row["address"]),
            )
            if new is not None and (old or "") != new
        ]
        if not unit.active:
            changes.append(Change(LABELS["active"], "nonaktif", "aktif"))
        if changes:
            plan.changed.append(Planned(row["row"], unit.code, row["name"], tuple(changes)))
        else:
            plan.unchanged += 1

    # Parent-first: a unit is written after the unit it hangs under.
    depth: dict[str, int] = {}

    def level(key: str) -> int:
        if key not in depth:
            parent = parents.get(key, "")
            depth[key] = level(parent) + 1 if parent in rows else 0
        return depth[key]

    plan.ordered = sorted(rows.values(), key=lambda row: (level(row["code"].upper()), row["row"]))
    plan.sort_errors()
    return plan


def _resolved(parent: str, rows: dict[str, dict[str, Any]], known: dict[str, Unit]) -> str:
    if not parent:
        return ""
    if parent.upper() in rows:
        return str(rows[parent.upper()]["code"])
    unit = known.get(parent.upper())
    return unit.code if unit else parent


def _apply(plan: TablePlan) -> None:
    assert isinstance(plan, _UnitPlan)
    changed = {planned.key.upper() for planned in plan.changed}
    written: dict[str, Unit] = {}
    for row in plan.ordered:
        key = row["code"].upper()
        unit = plan.existing.get(key)
        if unit is not None and key not in changed:
            written[key] = unit
            continue
        parent = None
        if row["parent"]:
            parent_key = row["parent"].upper()
            parent = written.get(parent_key) or plan.known[parent_key]
        if unit is None:
            unit = Unit(code=row["code"])
        unit.name = row["name"]
        unit.parent = parent
        if row["address"] is not None:
            unit.address = row["address"]
        unit.active = True
        unit.save()
        written[key] = unit


def import_units(
    *,
    data: bytes,
    file_name: str,
    by: Any = None,
    dry_run: bool,
    source: str = "cli",
    token: str = "",
) -> TableOutcome:
    """Plan the units import and, unless ``dry_run`` or a row is invalid, apply it."""
    return run_import(
        kind=ImportRun.Kind.UNITS,
        noun="unit",
        data=data,
        file_name=file_name,
        plan_with=plan_units,
        apply_with=_apply,
        by=by,
        dry_run=dry_run,
        source=source,
        token=token,
    )
