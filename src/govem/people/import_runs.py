"""What the unit and location imports share: the plan's shape and the recorded run.

Both follow the employee import: read the whole file, validate every row (row-numbered
Indonesian errors), plan what would change, and only when every row is valid and it is not a
dry run apply it in one transaction. Each run (preview, applied, refused) is an
:class:`~govem.people.models.ImportRun`; an applied one also leaves a summary audit entry
beside the entries of each unit or location written (the models are audited by signals).
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from govem.accounts import audit
from govem.people.models import ImportRun
from govem.people.tables import RowError

MAX_ERRORS_STORED = 200


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Planned:
    """One row that creates or changes something: its row number, key and display name."""

    row: int
    key: str
    name: str
    changes: tuple[Change, ...] = ()


@dataclass
class TablePlan:
    kind: str
    file_name: str
    sha256: str
    labels: dict[str, str]
    rows: int = 0
    new: list[Planned] = field(default_factory=list)
    changed: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

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
            "deactivated": 0,
            "unchanged": self.unchanged,
            "invalid": self.invalid_rows,
        }

    def fail(self, row: int, key: str, column: str, message: str) -> None:
        self.errors.append(RowError(row, key, column, message))

    def sort_errors(self) -> None:
        order = list(self.labels)
        self.errors.sort(
            key=lambda e: (e.row, order.index(e.column) if e.column in order else len(order))
        )

    def error_json(self) -> list[dict[str, Any]]:
        return [
            {
                "row": e.row,
                "key": e.identifier,
                "column": self.labels.get(e.column, e.column),
                "message": e.message,
            }
            for e in self.errors[:MAX_ERRORS_STORED]
        ]


@dataclass(frozen=True)
class TableOutcome:
    plan: TablePlan
    run: ImportRun


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_import(
    *,
    kind: str,
    noun: str,
    data: bytes,
    file_name: str,
    plan_with: Callable[[bytes, str], TablePlan],
    apply_with: Callable[[TablePlan], None],
    by: Any,
    dry_run: bool,
    source: str,
    token: str,
) -> TableOutcome:
    """Plan, and apply when valid and not a dry run: one transaction, one recorded run."""
    started = time.monotonic()
    name = Path(file_name).name[:255]
    reason = f"Impor {noun} dari {name}"
    actor = audit.current_actor()
    # A preview only reads: no transaction, so it never holds SQLite's write lock (punches).
    with transaction.atomic() if not dry_run else contextlib.nullcontext():
        plan = plan_with(data, name)
        status = ImportRun.Status.PREVIEW
        if not dry_run and plan.is_valid:
            with audit.acting_as(
                actor.user if actor else by, ip=actor.ip if actor else None, reason=reason
            ):
                apply_with(plan)
            status = ImportRun.Status.APPLIED
        elif not dry_run:
            status = ImportRun.Status.REFUSED
        counts = plan.counts()
        run = ImportRun.objects.create(
            kind=kind,
            by=by if getattr(by, "pk", None) else None,
            source=source,
            file_name=name,
            sha256=plan.sha256,
            dry_run=dry_run,
            status=status,
            full_roster=False,
            errors=plan.error_json(),
            token=token,
            duration_ms=int((time.monotonic() - started) * 1000),
            **counts,
        )
        if status == ImportRun.Status.APPLIED:
            audit.record(
                action=audit.Action.IMPORT,
                instance=run,
                after={**counts, "kind": kind, "file": name, "sha256": plan.sha256},
                reason=reason,
            )
    return TableOutcome(plan, run)


def squeeze(text: str) -> str:
    return " ".join(text.split())
