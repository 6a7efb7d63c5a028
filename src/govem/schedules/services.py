"""Writes of the schedule tables by hand (the admin): a special period (Ramadan hours) saved,
its dates confirmed. Audited: the models are tracked (one entry per change, with the actor and
the reason set here), and the days a period touches are recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from govem.accounts import audit
from govem.schedules.models import SpecialPeriod

if TYPE_CHECKING:
    from govem.attendance.days import RecomputeResult


def save_special_period(
    *, period: SpecialPeriod, by: Any, store_related: Callable[[], None] | None = None
) -> RecomputeResult:
    """Store ``period`` — and, through ``store_related``, what the admin's form holds besides
    (its units, base schedules and replacement rows) — then recompute the days of the old and
    the new range at once: moving the dates changes both. Verified (locked) days keep their
    values; the result counts them. All in one transaction."""
    # attendance imports schedules at module level: a top-level import would be circular
    from govem.attendance.days import recompute_days

    reason = f"periode khusus {period.name} disimpan"
    with audit.acting_as(by, reason=reason), transaction.atomic():
        before = (
            SpecialPeriod.objects.filter(pk=period.pk).values_list("start_date", "end_date").first()
            if period.pk
            else None
        )
        period.save()
        if store_related is not None:
            store_related()
        starts, ends = [period.start_date], [period.end_date]
        if before is not None:
            starts.append(before[0])
            ends.append(before[1])
        return recompute_days(None, min(starts), max(ends))


def confirm_period_dates(*, periods: Iterable[SpecialPeriod], by: Any) -> int:
    """Mark approximate periods as confirmed (the government fixed the dates); one audit
    entry per period. The dates themselves do not move, so no day changes."""
    confirmed = 0
    with audit.acting_as(by, reason="tanggal periode khusus dikonfirmasi"), transaction.atomic():
        for period in periods:
            if not period.approximate:
                continue
            period.approximate = False
            period.save(update_fields=["approximate"])
            confirmed += 1
    return confirmed
