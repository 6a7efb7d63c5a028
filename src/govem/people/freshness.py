"""Is employee data current? (SOP step 1, "Pastikan data pegawai terupdate")

The last applied import, and the active employees who cannot attend properly: without a
schedule, without an allowed location, without a phone number, without a bound device.
Schedules and locations are resolved per unit (employees inherit them), so the cost grows
with the number of units, not employees.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from govem.people.models import Device, Employee, ImportRun, Unit, WorkLocation
from govem.schedules.models import ScheduleAssignment
from govem.schedules.queries import schedule_template_for


@dataclass(frozen=True)
class Gap:
    count: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class FreshnessReport:
    day: date
    last_import_at: datetime | None
    last_import_file: str
    active_employees: int
    without_schedule: Gap
    without_location: Gap
    without_phone: Gap
    without_device: Gap

    @property
    def ok(self) -> bool:
        return self.last_import_at is not None and not (
            self.without_schedule.count or self.without_location.count
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["last_import_at"] = self.last_import_at.isoformat() if self.last_import_at else None
        for key in ("without_schedule", "without_location", "without_phone", "without_device"):
            data[key]["examples"] = list(data[key]["examples"])
        data["ok"] = self.ok
        return data


def _gap(employees: QuerySet[Employee], examples: int) -> Gap:
    names = [
        f"{name} ({code})"
        for name, code in employees.order_by("name").values_list("name", "unit__code")[:examples]
    ]
    return Gap(employees.count(), tuple(names))


def _units_without_schedule(active: QuerySet[Employee], day: date) -> set[int]:
    """Units whose employees (those without an own assignment) resolve to no schedule."""
    own = ScheduleAssignment.objects.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)),
        employee=OuterRef("pk"),
    )
    inheriting = active.annotate(has_own=Exists(own)).filter(has_own=False)
    lacking = set()
    representatives: dict[int, Employee] = {}
    for employee in inheriting.select_related("unit").order_by("unit_id", "pk"):
        representatives.setdefault(employee.unit_id, employee)
    for unit_id, employee in representatives.items():  # type: ignore[assignment]
        if schedule_template_for(employee, day) is None:
            lacking.add(unit_id)
    return lacking


def _units_without_location() -> set[int]:
    located = set(
        Unit.locations.through.objects.filter(worklocation__active=True).values_list(
            "unit_id", flat=True
        )
    )
    lacking = set()
    for unit in Unit.objects.only("pk", "path"):
        if not located.intersection(unit.ancestors_and_self_ids()):
            lacking.add(unit.pk)
    return lacking


def freshness_report(day: date | None = None, *, examples: int = 5) -> FreshnessReport:
    day = day or timezone.localdate()
    active = Employee.objects.filter(active=True)
    last = (
        ImportRun.objects.filter(status=ImportRun.Status.APPLIED, kind=ImportRun.Kind.EMPLOYEES)
        .order_by("-at")
        .first()
    )

    no_schedule_units = _units_without_schedule(active, day)
    own_now = ScheduleAssignment.objects.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)),
        employee=OuterRef("pk"),
    )
    without_schedule = (
        active.filter(unit_id__in=no_schedule_units)
        .annotate(has_own=Exists(own_now))
        .filter(has_own=False)
    )
    extra = WorkLocation.objects.filter(extra_employees=OuterRef("pk"), active=True)
    without_location = (
        active.filter(unit_id__in=_units_without_location())
        .annotate(has_extra=Exists(extra))
        .filter(has_extra=False)
    )
    bound = Device.objects.filter(employee=OuterRef("pk"), released_at__isnull=True)
    without_device = active.annotate(bound=Exists(bound)).filter(bound=False)
    return FreshnessReport(
        day=day,
        last_import_at=last.at if last else None,
        last_import_file=last.file_name if last else "",
        active_employees=active.count(),
        without_schedule=_gap(without_schedule, examples),
        without_location=_gap(without_location, examples),
        without_phone=_gap(active.filter(phone=""), examples),
        without_device=_gap(without_device, examples),
    )
