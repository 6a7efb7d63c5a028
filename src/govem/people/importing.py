"""Employee import from the personnel system's export (XLSX or CSV): plan, preview, apply.

The file is authoritative for the employees it lists. Blank phone or email cells keep the
value Govem already has (the personnel system often lacks them); every other column
replaces Govem's value. Active employees the file does not list (within the scope unit's
subtree, or the whole regency) are listed as absent; only when that run is asked to
(``full_roster``: the file is the full roster) are they deactivated, never deleted.
Applying is all-or-nothing: one invalid row and nothing is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.accounts import audit
from govem.accounts.models import AuditEntry
from govem.accounts.roles import PEGAWAI
from govem.errors import DomainError
from govem.people.import_table import (
    LABELS,
    Row,
    RowError,
    cell,
    identifier_of,
    read_table,
    validate_row,
)
from govem.people.models import Employee, ImportRun, Unit

MAX_ERRORS_STORED = 200


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return LABELS[self.column]


@dataclass(frozen=True)
class Changed:
    row: int
    identifier: str
    name: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Person:
    identifier: str
    name: str
    unit_code: str
    row: int = 0


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    rows: int = 0
    new: list[Person] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    leaving: list[Person] = field(default_factory=list)  # deactivated when applied
    absent: list[Person] = field(default_factory=list)  # not in the file, all of them
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # For applying: valid rows by identifier and the existing employees they match.
    valid: dict[str, Row] = field(default_factory=dict, repr=False)
    existing: dict[str, Employee] = field(default_factory=dict, repr=False)
    leaving_ids: list[int] = field(default_factory=list, repr=False)
    units: dict[str, Unit] = field(default_factory=dict, repr=False)
    columns: frozenset[str] = frozenset()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def invalid_rows(self) -> int:
        return len({error.row for error in self.errors})

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": len(self.new),
            "changed": len(self.changed),
            "deactivated": len(self.leaving),
            "unchanged": self.unchanged,
            "invalid": self.invalid_rows,
        }


# --- validating and planning ----------------------------------------------------------------


def _yes_no(active: bool) -> str:
    return "aktif" if active else "nonaktif"


def _diff(
    row: Row, employee: Employee, codes: dict[int, str], idents: dict[int, str]
) -> list[FieldChange]:
    pairs = [
        ("name", employee.name, row.name),
        ("employee_type", employee.employee_type, row.employee_type),
        ("unit_code", codes.get(employee.unit_id, ""), row.unit_code),
    ]
    if row.position is not None:
        pairs.append(("position", employee.position, row.position))
    if row.job_class is not None:
        old_class = "" if employee.job_class is None else str(employee.job_class)
        pairs.append(("job_class", old_class, str(row.job_class)))
    if row.phone is not None:
        pairs.append(("phone", employee.phone, row.phone))
    if row.email is not None:
        pairs.append(("email", employee.email, row.email))
    if row.supervisor is not None:
        current = idents.get(employee.supervisor_id, "") if employee.supervisor_id else ""
        pairs.append(("supervisor", current, row.supervisor))
    changes = [FieldChange(column, old or "", new) for column, old, new in pairs if old != new]
    if not employee.active:
        changes.append(FieldChange("active", _yes_no(False), _yes_no(True)))
    return changes


def plan_import(
    data: bytes, file_name: str, *, scope: Unit | None = None, full_roster: bool = False
) -> ImportPlan:
    """What applying the file would do; reads only."""
    plan = ImportPlan(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    table, columns = read_table(data, file_name)
    plan.rows = len(table)
    plan.columns = frozenset(columns)
    if not table:
        raise DomainError("invalid_file", _("Berkas tidak berisi data pegawai."))
    units = {unit.code: unit for unit in Unit.objects.all()}
    units.update({code.upper(): unit for code, unit in list(units.items())})
    plan.units = units
    first_row: dict[str, int] = {}
    supervisors: list[tuple[int, str, str]] = []
    for number, raw in table:
        result = validate_row(number, raw, units)
        boss = identifier_of(cell(raw.get("supervisor")))
        if boss:
            supervisors.append((number, identifier_of(cell(raw.get("nip"))), boss))
        if isinstance(result, list):
            plan.errors.extend(result)
            identifier = result[0].identifier
        else:
            identifier = result.identifier
        if identifier and identifier in first_row:
            plan.errors.append(
                RowError(
                    number,
                    identifier,
                    "nip",
                    f"NIP «{identifier}» ganda: sudah ada di baris {first_row[identifier]}.",
                )
            )
            continue
        if identifier:
            first_row[identifier] = number
        if not isinstance(result, list):
            plan.valid[identifier] = result

    employees = list(Employee.objects.all())
    by_identifier = {e.identifier: e for e in employees}
    idents = {e.pk: e.identifier for e in employees}
    codes = {unit.pk: unit.code for unit in units.values()}
    for number, identifier, boss in supervisors:
        if boss not in first_row and boss not in by_identifier:
            plan.errors.append(
                RowError(
                    number,
                    identifier,
                    "supervisor",
                    f"NIP atasan «{boss}» tidak ada di berkas maupun di data pegawai.",
                )
            )
            row = plan.valid.get(identifier)
            if row is not None and row.row == number:
                del plan.valid[identifier]

    for identifier, row in plan.valid.items():
        employee = by_identifier.get(identifier)
        if employee is None:
            plan.new.append(Person(identifier, row.name, row.unit_code, row.row))
            continue
        plan.existing[identifier] = employee
        changes = _diff(row, employee, codes, idents)
        if changes:
            plan.changed.append(Changed(row.row, identifier, row.name, tuple(changes)))
        else:
            plan.unchanged += 1

    taken = set(
        get_user_model()
        .objects.filter(username__in=[p.identifier for p in plan.new], employee__isnull=False)
        .values_list("username", flat=True)
    )
    for person in [p for p in plan.new if p.identifier in taken]:
        plan.errors.append(
            RowError(
                person.row,
                person.identifier,
                "nip",
                f"Nama pengguna «{person.identifier}» sudah dipakai akun pegawai lain.",
            )
        )
        plan.new.remove(person)
        del plan.valid[person.identifier]

    listed = set(first_row)
    for employee in employees:
        if not employee.active or employee.identifier in listed:
            continue
        if scope is not None and codes.get(employee.unit_id, "") not in _subtree(scope):
            continue
        plan.absent.append(
            Person(employee.identifier, employee.name, codes.get(employee.unit_id, ""))
        )
        if full_roster:
            plan.leaving_ids.append(employee.pk)
    plan.absent.sort(key=lambda person: (person.unit_code, person.name))
    plan.leaving = list(plan.absent) if full_roster else []
    order = list(LABELS)
    plan.errors.sort(key=lambda error: (error.row, order.index(error.column)))
    return plan


def _subtree(scope: Unit) -> set[str]:
    cached: set[str] | None = getattr(scope, "_subtree_codes", None)
    if cached is None:
        cached = set(scope.subtree().values_list("code", flat=True))
        scope._subtree_codes = cached  # type: ignore[attr-defined]
    return cached


# --- applying -------------------------------------------------------------------------------


def _apply(plan: ImportPlan, *, reason: str) -> None:
    user_model = get_user_model()
    group = Group.objects.get_or_create(name=PEGAWAI)[0]
    now = timezone.now()
    actor = audit.current_actor()
    actor_user = actor.user if actor and getattr(actor.user, "pk", None) else None
    entries: list[Any] = []

    def entry(action: audit.Action, employee: Employee, before: Any, after: Any) -> None:
        entries.append(
            AuditEntry(
                at=now,
                actor=actor_user,
                actor_label=(getattr(actor_user, "username", "") or "sistem")[:150],
                action=action,
                object_type="people.employee",
                object_id=str(employee.pk),
                object_repr=str(employee)[:200],
                before=before,
                after=after,
                reason=reason,
                ip=actor.ip if actor else None,
            )
        )

    # New employees: their users (or a matching user without employee), then the employees.
    new_rows = [plan.valid[person.identifier] for person in plan.new]
    usernames = [row.identifier for row in new_rows]
    users = {
        user.username: user
        for user in user_model.objects.filter(username__in=usernames, employee__isnull=True)
    }
    fresh = [
        user_model(username=row.identifier, password=make_password(None), email=row.email or "")
        for row in new_rows
        if row.identifier not in users
    ]
    for user in user_model.objects.bulk_create(fresh, batch_size=1000):
        users[user.username] = user
    user_model.objects.filter(pk__in=[u.pk for u in users.values()]).update(is_active=True)
    membership = user_model.groups.through
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=group.pk) for user in users.values()],
        batch_size=1000,
        ignore_conflicts=True,
    )
    created = [
        Employee(
            user_id=users[row.identifier].pk,
            employee_type=row.employee_type,
            nip=None if row.employee_type == Employee.Type.NON_ASN else row.identifier,
            non_asn_id=row.identifier if row.employee_type == Employee.Type.NON_ASN else None,
            name=row.name,
            position=row.position or "",
            job_class=row.job_class,
            unit_id=plan.units[row.unit_code].pk,
            phone=row.phone or "",
            email=row.email or "",
            # A new employee is counted from the day they are imported (go-live: no backfill).
            counting_starts=timezone.localdate(),
        )
        for row in new_rows
    ]
    Employee.objects.bulk_create(created, batch_size=1000)

    ids = dict(Employee.objects.values_list("nip", "pk").filter(nip__isnull=False))
    ids.update(Employee.objects.values_list("non_asn_id", "pk").filter(non_asn_id__isnull=False))
    with_supervisor = []
    for employee, row in zip(created, new_rows, strict=True):
        if row.supervisor:
            employee.supervisor_id = ids[row.supervisor]
            with_supervisor.append(employee)
    Employee.objects.bulk_update(with_supervisor, ["supervisor"], batch_size=1000)
    for employee in created:
        entry(audit.Action.CREATE, employee, None, audit.snapshot(employee))

    # Changed employees: only the columns that changed, one bulk update.
    fields = {
        "name",
        "employee_type",
        "nip",
        "non_asn_id",
        "unit",
        "position",
        "job_class",
        "phone",
        "email",
        "supervisor",
        "active",
    }
    updated = []
    reactivated_users = []
    for change in plan.changed:
        employee = plan.existing[change.identifier]
        row = plan.valid[change.identifier]
        before = audit.snapshot(employee)
        employee.name = row.name
        employee.employee_type = row.employee_type
        asn = row.employee_type != Employee.Type.NON_ASN
        employee.nip = row.identifier if asn else None
        employee.non_asn_id = None if asn else row.identifier
        employee.unit_id = plan.units[row.unit_code].pk
        if row.position is not None:
            employee.position = row.position
        if row.job_class is not None:
            employee.job_class = row.job_class
        if row.phone is not None:
            employee.phone = row.phone
        if row.email is not None:
            employee.email = row.email
        if row.supervisor is not None:
            employee.supervisor_id = ids[row.supervisor] if row.supervisor else None
        if not employee.active and employee.user_id:
            reactivated_users.append(employee.user_id)
        employee.active = True
        after = audit.snapshot(employee)
        keys = [key for key in after if before.get(key) != after.get(key)]
        entry(
            audit.Action.UPDATE, employee, {k: before[k] for k in keys}, {k: after[k] for k in keys}
        )
        updated.append(employee)
    Employee.objects.bulk_update(updated, sorted(fields), batch_size=500)
    user_model.objects.filter(pk__in=reactivated_users).update(is_active=True)

    # Leavers: deactivated with their accounts, never deleted.
    leaving = list(Employee.objects.filter(pk__in=plan.leaving_ids, active=True))
    Employee.objects.filter(pk__in=plan.leaving_ids).update(active=False)
    user_model.objects.filter(employee__pk__in=plan.leaving_ids).update(is_active=False)
    for employee in leaving:
        entry(audit.Action.UPDATE, employee, {"active": True}, {"active": False})
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


@dataclass(frozen=True)
class ImportOutcome:
    plan: ImportPlan
    run: ImportRun


def _error_json(errors: Iterable[RowError]) -> list[dict[str, Any]]:
    return [
        {
            "row": e.row,
            "nip": e.identifier,
            "column": LABELS[e.column],
            "code": e.code,
            "message": e.message,
        }
        for e in list(errors)[:MAX_ERRORS_STORED]
    ]


def import_employees(
    *,
    data: bytes,
    file_name: str,
    by: Any = None,
    dry_run: bool,
    scope_code: str = "",
    full_roster: bool = False,
    source: str = "cli",
    token: str = "",
) -> ImportOutcome:
    """Plan the import and, unless ``dry_run`` or a row is invalid, apply it in one transaction.

    Always records an :class:`ImportRun`; an applied import also leaves one summary audit entry
    beside the entry per employee changed.
    """
    started = time.monotonic()
    scope = None
    if scope_code:
        scope = Unit.objects.filter(code=scope_code).first()
        if scope is None:
            raise DomainError(
                "invalid_input",
                _("Unit cakupan «%(unit)s» tidak dikenal.") % {"unit": scope_code},
                details={"field": "scope"},
            )
    name = Path(file_name).name[:255]
    # A preview only reads: no transaction, so it never holds SQLite's write lock (punches).
    with transaction.atomic() if not dry_run else contextlib.nullcontext():
        plan = plan_import(data, name, scope=scope, full_roster=full_roster)
        status = ImportRun.Status.PREVIEW
        if not dry_run and plan.is_valid:
            _apply(plan, reason=f"Impor pegawai dari {name}")
            status = ImportRun.Status.APPLIED
        elif not dry_run:
            status = ImportRun.Status.REFUSED
        counts = plan.counts()
        run = ImportRun.objects.create(
            by=by if getattr(by, "pk", None) else None,
            source=source,
            file_name=name,
            sha256=plan.sha256,
            dry_run=dry_run,
            status=status,
            scope_code=scope.code if scope else "",
            full_roster=full_roster,
            errors=_error_json(plan.errors),
            token=token,
            duration_ms=int((time.monotonic() - started) * 1000),
            **counts,
        )
        if status == ImportRun.Status.APPLIED:
            audit.record(
                action=audit.Action.IMPORT,
                instance=run,
                after={**counts, "file": name, "sha256": plan.sha256, "scope": run.scope_code},
                reason=f"Impor pegawai dari {name}",
            )
    return ImportOutcome(plan, run)
