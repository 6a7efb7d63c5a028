"""Who may read and verify reports, and which unit a request means (scoped, 404 outside)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.accounts.scoping import (
    can_monitor,
    can_operate,
    is_it,
    scope_units,
    sees_everything,
    visible_units,
)
from govem.dates import FIRST_YEAR, LAST_YEAR, supported
from govem.errors import DomainError
from govem.people.models import Unit


def can_read_reports(user: Any) -> bool:
    """Supervisors (their people), operators (their units), Tim IT and the Inovator."""
    return can_monitor(user)


def require_reader(user: Any) -> None:
    if not can_read_reports(user):
        raise DomainError(
            "forbidden", _("Laporan hanya untuk atasan, operator, Tim IT dan Inovator."), status=403
        )


def can_verify(user: Any) -> bool:
    """Tim IT (any scope) and operators (their unit subtree) verify reports."""
    return can_operate(user)


def require_verifier(user: Any, *, unit: Unit | None) -> None:
    """Before :func:`govem.reports.verification.verify_daily`: operators and Tim IT only
    (403), and only Tim IT verifies the whole regency at once (``unit`` ``None``: 422 on
    the field ``unit``; :func:`resolve_unit` gives an operator their first unit, so this
    guards callers that pass ``None`` themselves)."""
    if not can_verify(user):
        raise DomainError(
            "forbidden",
            _("Hanya operator dan Tim IT yang dapat memverifikasi laporan."),
            status=403,
        )
    if unit is None and not is_it(user):
        raise DomainError(
            "invalid_input",
            _("Pilih unit kerja yang akan diverifikasi."),
            details={"field": "unit"},
        )


def resolve_unit(user: Any, value: str | None) -> Unit | None:
    """The unit a request names (its id or its code), within the user's scope.

    Nothing named: the whole regency for those who see everything, else the first unit of
    the user's scope. A unit outside the scope "does not exist" (404).
    """
    value = (value or "").strip()
    if not value:
        if sees_everything(user):
            return None
        roots = scope_units(user)
        if not roots:
            raise Http404("unit")
        return roots[0]
    units = visible_units(user)
    found = units.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or units.filter(code=value).first()
    if found is None:
        raise Http404("unit")
    return found


def parse_day(text: str | None, *, field: str = "date") -> date:
    """``YYYY-MM-DD`` (default: today) → a date; 422 ``invalid_input`` otherwise."""
    if not text:
        return timezone.localdate()
    try:
        day = date.fromisoformat(text)
        if len(text) != 10 or not supported(day):
            raise ValueError(text)
    except ValueError as exc:
        raise DomainError(
            "invalid_input",
            _(
                "Tanggal harus berformat YYYY-MM-DD antara tahun %(first)s dan %(last)s, "
                "misalnya 2026-11-02."
            )
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            details={"field": field},
        ) from exc
    return day


FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def parse_format(text: str | None, *, allowed: tuple[str, ...] = ("xlsx", "pdf", "csv")) -> str:
    fmt = (text or "").lower()
    if fmt not in allowed:
        raise DomainError(
            "invalid_input",
            _("Format harus salah satu dari: %(formats)s.") % {"formats": ", ".join(allowed)},
            details={"field": "format"},
        )
    return fmt
