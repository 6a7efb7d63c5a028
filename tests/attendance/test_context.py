"""The punch context's generation: bumped by the database on every change that matters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.attendance.context import (
    WATCHED,
    WATCHED_WHEN_APPROVED,
    current_generation,
    install_triggers,
    installed_triggers,
)
from govem.people.models import Device, WorkLocation


def test_it_watches_every_table_it_lists(db: Any) -> None:
    assert installed_triggers() >= set(WATCHED) | set(WATCHED_WHEN_APPROVED)
    assert install_triggers() == len(WATCHED) + len(WATCHED_WHEN_APPROVED)  # idempotent
    assert installed_triggers() >= set(WATCHED)


def test_it_bumps_on_a_bulk_update_without_signals(office: Any) -> None:
    before = current_generation()
    WorkLocation.objects.filter(pk=office.pk).update(radius_m=150)
    after = current_generation()
    assert before is not None and after is not None and after > before


def test_it_bumps_for_an_approved_absence_only(employee: Any) -> None:
    kind = AbsenceType.objects.get(code="S")
    before = current_generation()
    request = AbsenceRequest.objects.create(
        employee=employee, type=kind, start_date=date(2026, 11, 30), end_date=date(2026, 11, 30),
        reason="demam", status=AbsenceRequest.Status.PENDING,
    )  # fmt: skip
    assert current_generation() == before  # submitted: nothing a punch is judged by changed
    AbsenceRequest.objects.filter(pk=request.pk).update(status=AbsenceRequest.Status.APPROVED)
    approved = current_generation()
    assert approved is not None and before is not None and approved > before


def test_it_does_not_bump_for_a_device_binding(employee: Any) -> None:
    """Devices are read fresh by every punch: binding one invalidates nobody's context."""
    before = current_generation()
    Device.objects.create(employee=employee, device_id="hp-1")
    assert current_generation() == before


def test_it_trusts_nothing_when_the_generation_row_is_gone(employee: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM attendance_cachegeneration")
    assert current_generation() is None
    install_triggers()
    assert current_generation() is not None
