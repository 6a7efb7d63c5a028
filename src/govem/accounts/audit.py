"""Audit trail: an entry for every change to master and attendance data.

Tracked models are audited through signals, so the admin, services, imports and the shell
all leave entries. The actor comes from :func:`acting_as` (set per request by the
middleware, and by services and commands that act for someone).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """Every kind of audit entry, one entry per action (``AuditEntry.action``)."""

    # Any tracked model, through the signals below.
    CREATE = "create", _("Dibuat")
    UPDATE = "update", _("Diubah")
    DELETE = "delete", _("Dihapus")
    M2M_ADD = "m2m_add", _("Relasi ditambahkan")
    M2M_REMOVE = "m2m_remove", _("Relasi dihapus")
    M2M_CLEAR = "m2m_clear", _("Relasi dikosongkan")
    # Accounts.
    CREATE_ACCOUNT = "create_account", _("Akun dibuat")
    ACTIVATION_CODES_ISSUED = "activation_codes_issued", _("Kode aktivasi diterbitkan")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Atur ulang kata sandi diminta")
    PASSWORD_RESET_UNREACHABLE = (
        "password_reset_unreachable",
        _("Atur ulang kata sandi: pegawai tidak terjangkau"),
    )
    PASSWORD_RESET_BY_OPERATOR = "password_reset_by_operator", _("Kata sandi diatur ulang operator")
    PASSWORD_SET = "password_set", _("Kata sandi ditetapkan")
    # Employees.
    IMPORT = "import", _("Impor data pegawai")
    # Attendance and its days.
    REVIEW_PUNCH = "review_punch", _("Presensi ditinjau")
    REVIEW_EVENT_CHECKIN = "review_event_checkin", _("Presensi acara ditinjau")
    MANUAL_PUNCH = "manual_punch", _("Presensi manual")
    GRANT_EXEMPTION = "grant_exemption", _("Alasan teknis diberikan")
    RELEASE_DEVICE = "release_device", _("Ikatan perangkat dilepas")
    RECOMPUTE_LOCKED_DAY = "recompute_locked_day", _("Hari terverifikasi dihitung ulang")
    VERIFY_REPORT = "verify_report", _("Laporan diverifikasi")
    # Clarification cases.
    CLARIFY = "clarify", _("Hasil klarifikasi dicatat")
    CLARIFICATION_CONTACT = "clarification_contact", _("Kontak klarifikasi dicatat")
    CLARIFICATION_RESOLVED = "clarification_resolved", _("Klarifikasi selesai otomatis")
    # Operations.
    PHASE_RERUN_REQUESTED = "phase_rerun_requested", _("Fase diminta dijalankan ulang")


@dataclass(frozen=True)
class Actor:
    user: Any
    ip: str | None
    reason: str = ""


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("govem_actor", default=None)


@contextlib.contextmanager
def acting_as(user: Any, *, ip: str | None = None, reason: str = "") -> Iterator[None]:
    token = _actor.set(Actor(user, ip, reason))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Actor | None:
    return _actor.get()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"password"}:
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def record(
    *,
    action: Action,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> Any:
    """Append one audit entry; the actor is the one set by :func:`acting_as`."""
    # circular at import: accounts.models -> accounts.audit
    from govem.accounts.models import AuditEntry

    actor = current_actor()
    user = actor.user if actor else None
    if instance is not None:
        object_type = object_type or instance._meta.label_lower
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:200]
    return AuditEntry.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_label=(getattr(user, "username", "") or "sistem")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=before,
        after=after,
        reason=reason or (actor.reason if actor else ""),
        ip=actor.ip if actor else None,
    )


def _changed(
    before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.pk is None:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old else None  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        record(action=Action.CREATE, instance=instance, after=after)
        return
    old, new = _changed(before, after)
    if old or new:
        record(action=Action.UPDATE, instance=instance, before=old, after=new)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    record(action=Action.DELETE, instance=instance, before=snapshot(instance))


def track(*model_classes: type[models.Model]) -> None:
    for model in model_classes:
        uid = f"govem-audit-{model._meta.label_lower}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")


def _m2m_changed(
    sender: Any, instance: models.Model, action: str, pk_set: Any, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    related = kwargs["model"]._meta.label_lower
    ids = sorted(pk_set) if pk_set else []
    record(
        action=Action(f"m2m_{action.removeprefix('post_')}"),
        instance=instance,
        after={"related": related, "ids": ids},
    )


def track_m2m(*through_models: Any) -> None:
    for through in through_models:
        m2m_changed.connect(
            _m2m_changed, sender=through, dispatch_uid=f"govem-audit-{through._meta.label_lower}"
        )
