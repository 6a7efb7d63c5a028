"""Changing the rule table from a date: a new row, then the days from that date recomputed.

Earlier days keep the row that was in force for them, so earlier months stay as they were
even if they are recomputed again later. Verified (locked) days are not changed by a rule
change: they are skipped and counted (``RecomputeResult.locked_skipped``, shown by
:func:`summary`); ``govem recompute --reason`` changes them deliberately, audited.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.accounts import audit
from govem.attendance.days import RecomputeResult, recompute_days
from govem.attendance.models import RuleSet
from govem.errors import DomainError

RULE_FIELDS = (
    "band1_max",
    "band2_max",
    "band3_max",
    "tl1_pct",
    "tl2_pct",
    "tl3_pct",
    "tl4_pct",
    "psw1_pct",
    "psw2_pct",
    "psw3_pct",
    "psw4_pct",
    "tk_pct",
    "monthly_cap_pct",
    "absence_pcts",
    "tk_mode",
    "tk_month_pct",
    "late_rounding",
    "early_rounding",
    "missing_punch",
    "missing_punch_minutes",
    "daily_cap_pct",
    "allowances",
    "tpp_attendance_pct",
    "tpp_productivity_pct",
    "productivity_target_minutes",
)


def refuse_invalid(rule_set: RuleSet) -> None:
    """The admin form's checks (``RuleSet.clean`` and the fields') as a DomainError: the
    first problem's code (``rule_…``, else invalid_input), message and field."""
    try:
        rule_set.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        field, problems = next(iter(error.error_dict.items()))
        problem = problems[0]
        code = problem.code if problem.code and problem.code.startswith("rule_") else None
        message = " ".join(problem.messages)
        raise DomainError(
            code or "invalid_input", message, details={"field": field.replace("__all__", "")}
        ) from error


def change_rules(
    *, valid_from: date, code: str, name: str, by: Any, reason: str, **changes: Any
) -> tuple[RuleSet, RecomputeResult]:
    """A new rule row from ``valid_from`` (the fields not in ``changes`` carry over from the
    row in force that day); the row before it ends the day before; days recomputed, except
    verified (locked) ones, counted in the result's ``locked_skipped``."""
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(
            "invalid_input", _("Kolom aturan tidak dikenal."), details={"fields": sorted(unknown)}
        )
    if not reason.strip():
        raise DomainError("invalid_input", _("Alasan wajib diisi."), details={"field": "reason"})
    with audit.acting_as(by, reason=reason), transaction.atomic():
        current = (
            RuleSet.objects.filter(valid_from__lte=valid_from, active=True, unit__isnull=True)
            .order_by("-valid_from", "-id")
            .first()
        )
        values = {field: getattr(current, field) for field in RULE_FIELDS} if current else {}
        for field, value in changes.items():
            is_pct = field.endswith("_pct") and value is not None
            values[field] = Decimal(str(value)) if is_pct else value
        if current is not None and (current.valid_to is None or current.valid_to >= valid_from):
            if current.valid_from == valid_from:
                raise DomainError(
                    "invalid_input",
                    _("Sudah ada aturan yang mulai berlaku pada tanggal itu."),
                    details={"field": "valid_from"},
                )
            later = RuleSet.objects.filter(
                valid_from__gt=valid_from, active=True, unit__isnull=True
            ).order_by("valid_from")
            next_start = later.values_list("valid_from", flat=True).first()
            current.valid_to = valid_from - timedelta(days=1)
            current.save(update_fields=["valid_to"])
        else:
            next_start = None
        rule_set = RuleSet(
            code=code,
            name=name,
            valid_from=valid_from,
            valid_to=next_start - timedelta(days=1) if next_start else None,
            note=reason,
            **values,
        )
        refuse_invalid(rule_set)
        rule_set.save()
    return rule_set, recompute_for(rule_set)


def recompute_for(rule_set: RuleSet, since: date | None = None) -> RecomputeResult:
    """Recompute the days a row governs (from ``since`` if earlier, e.g. a moved start).

    No reason is passed: verified (locked) days keep their values and are counted.
    """
    start = min(rule_set.valid_from, since) if since else rule_set.valid_from
    end = rule_set.valid_to or timezone.now().date() + timedelta(days=1)
    return recompute_days(None, start, end, unit=rule_set.unit)


def summary(result: RecomputeResult) -> str:
    """What a rule change did to the day records, for the admin message and the caller."""
    text = _(
        "%(days)s hari-pegawai dihitung ulang: %(created)s baru, %(updated)s berubah, "
        "%(unchanged)s tetap."
    ) % {
        "days": result.days,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    if result.locked_skipped:
        text += " " + _(
            "%(locked)s hari yang sudah diverifikasi (dikunci) tidak diubah; jalankan "
            "`govem recompute --reason ...` bila memang harus diubah."
        ) % {"locked": result.locked_skipped}
    return text
