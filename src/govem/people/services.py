"""Writes to people data that need more than the admin's form: device binding."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.errors import DomainError
from govem.people.models import Device, Employee


def active_device(employee: Employee) -> Device | None:
    return employee.devices.filter(released_at__isnull=True).first()


def bind_device(*, employee: Employee, device_id: str, label: str = "") -> Device:
    """Return the employee's device, binding ``device_id`` when none is bound yet.

    Another device is refused with ``device_not_allowed`` until the binding is released.
    """
    device_id = device_id.strip()
    if not device_id:
        raise DomainError(
            "invalid_input",
            _("ID perangkat wajib diisi."),
            details={"field": "device_id"},
        )
    current = active_device(employee)
    if current is None:
        try:
            with transaction.atomic():
                current = Device.objects.create(
                    employee=employee, device_id=device_id, label=label[:200]
                )
        except IntegrityError:
            current = active_device(employee)
    if current is None or current.device_id != device_id:
        raise DomainError(
            "device_not_allowed",
            _(
                "Akun Anda terikat pada perangkat lain. "
                "Hubungi Tim IT untuk melepas ikatan perangkat."
            ),
            status=403,
            details={"bound_since": current.bound_at.isoformat() if current else None},
        )
    return current


def release_device(*, device: Device, by: object, reason: str) -> Device:
    """Release a binding (Tim IT); the next device that logs in becomes bound. Audited."""
    if not reason.strip():
        raise DomainError("reason_required", _("Alasan pelepasan perangkat wajib diisi."))
    if device.released_at is not None:
        return device
    device.released_at = timezone.now()
    device.released_by = by if getattr(by, "pk", None) else None  # type: ignore[assignment]
    device.release_reason = reason.strip()[:300]
    device.save(update_fields=["released_at", "released_by", "release_reason"])
    device.tokens.filter(revoked_at__isnull=True).update(revoked_at=device.released_at)
    return device
