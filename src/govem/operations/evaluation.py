"""The day's evaluation ("Adakan rapat singkat untuk evaluasi kendala"): what went wrong.

Tickets by category and status, failed attempts by reason; late (TL), early (PSW) and absent
(TK) counts, clarification cases opened and closed, flagged punches reviewed and pending, and
employees no channel reaches — each against the previous workday; phases that failed.
Read-only; the ``close`` and ``settle`` phases store it in their result, the operations page
shows it, :mod:`govem.operations.pdf` prints it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govem.operations.models import PhaseRun
from govem.operations.reach import unreachable
from govem.rules import codes as day_codes
from govem.rules import labels


@dataclass(frozen=True)
class Row:
    label: str
    count: int


@dataclass(frozen=True)
class DayCounts:
    day: date
    workday_records: int
    late: int
    absent: int
    early: int = 0
    cases_opened: int = 0
    cases_closed: int = 0
    flagged_reviewed: int = 0
    flagged_pending: int = 0
    unreachable: int = 0


@dataclass(frozen=True)
class FailedPhase:
    phase: str
    label: str
    error: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    day: date
    tickets_available: bool
    tickets_by_category: tuple[Row, ...]
    tickets_by_status: tuple[Row, ...]
    tickets_total: int
    failed_attempts: tuple[Row, ...]
    failed_attempts_total: int
    days_available: bool
    today: DayCounts | None
    previous: DayCounts | None
    failed_phases: tuple[FailedPhase, ...]

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        for key in ("today", "previous"):
            if data[key] is not None:
                data[key]["day"] = data[key]["day"].isoformat()
        return data


def _local_day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(day, time(0), tzinfo=zone)
    return start, start + timedelta(days=1)


def _tickets(day: date) -> tuple[bool, tuple[Row, ...], tuple[Row, ...], int]:
    if not apps.is_installed("govem.helpdesk"):
        return False, (), (), 0
    # helpdesk is optional: only when it is installed
    from govem.helpdesk.models import Ticket

    start, end = _local_day_bounds(day)
    tickets = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    categories = dict(Ticket.Category.choices)
    statuses = dict(Ticket.Status.choices)
    by_category = Counter(dict(tickets.values_list("category").annotate(n=Count("id"))))
    by_status = Counter(dict(tickets.values_list("status").annotate(n=Count("id"))))
    return (
        True,
        tuple(Row(str(label), by_category[key]) for key, label in categories.items()),
        tuple(Row(str(label), by_status[key]) for key, label in statuses.items()),
        sum(by_category.values()),
    )


def _failed_attempts(day: date) -> tuple[tuple[Row, ...], int]:
    # attendance imports operations at module level: a top-level import would be circular
    from govem.attendance.models import Punch

    counts = (
        Punch.objects.filter(local_date=day, verdict=Punch.Verdict.REJECTED)
        .values_list("reason_code")
        .annotate(n=Count("id"))
        .order_by("-n", "reason_code")
    )
    rows = tuple(Row(gettext(labels.reason(code)), n) for code, n in counts)
    return rows, sum(row.count for row in rows)


def _day_counts(day: date) -> DayCounts:
    # absences imports operations too: local, so neither app loads the other at import
    # attendance imports operations at module level: a top-level import would be circular
    from govem.absences.models import Clarification
    from govem.attendance.models import DayRecord, Punch

    late = early = absent = records = 0
    rows = DayRecord.objects.filter(date=day, workday=True, counted=True)
    for codes in rows.values_list("codes", flat=True):
        records += 1
        codes = codes or []
        late += day_codes.is_late(codes)
        early += day_codes.is_early(codes)
        absent += day_codes.is_absent(codes)
    cases = Counter(
        dict(
            Clarification.objects.filter(date=day)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    flagged = Punch.objects.filter(local_date=day, verdict=Punch.Verdict.FLAGGED)
    reviewed = flagged.filter(review__isnull=False).count()
    return DayCounts(
        day=day,
        workday_records=records,
        late=late,
        absent=absent,
        early=early,
        cases_opened=sum(cases.values()),
        cases_closed=cases[Clarification.Status.CLOSED],
        flagged_reviewed=reviewed,
        flagged_pending=flagged.count() - reviewed,
        unreachable=_unreachable(day),
    )


def _unreachable(day: date) -> int:
    """As the prepare phase of ``day`` found it; computed now when it did not run."""
    run = PhaseRun.objects.filter(date=day, phase=PhaseRun.Phase.PREPARE).first()
    step = ((run.result or {}).get("steps", {}) if run else {}).get("unreachable", {})
    value = step.get("value") if step.get("ok") else None
    if isinstance(value, dict) and "total" in value:
        return int(value["total"])

    return unreachable(day).total


def _days(day: date) -> tuple[bool, DayCounts | None, DayCounts | None]:
    # attendance imports operations at module level: a top-level import would be circular
    from govem.attendance.models import DayRecord

    previous_day = DayRecord.objects.filter(date__lt=day, workday=True, counted=True).aggregate(
        d=Max("date")
    )["d"]
    return True, _day_counts(day), _day_counts(previous_day) if previous_day else None


def _failed_phases(day: date) -> tuple[FailedPhase, ...]:
    labels = dict(PhaseRun.Phase.choices)
    failed = []
    for run in PhaseRun.objects.filter(date=day, status=PhaseRun.Status.FAILED).order_by("id"):
        steps = tuple(
            name
            for name, outcome in (run.result or {}).get("steps", {}).items()
            if not outcome.get("ok")
        )
        failed.append(FailedPhase(run.phase, str(labels[run.phase]), run.error[:300], steps))
    return tuple(failed)


def evaluate_day(day: date) -> Evaluation:
    available, by_category, by_status, total = _tickets(day)
    attempts, attempts_total = _failed_attempts(day)
    days_available, today, previous = _days(day)
    return Evaluation(
        day=day,
        tickets_available=available,
        tickets_by_category=by_category,
        tickets_by_status=by_status,
        tickets_total=total,
        failed_attempts=attempts,
        failed_attempts_total=attempts_total,
        days_available=days_available,
        today=today,
        previous=previous,
        failed_phases=_failed_phases(day),
    )


def change_text(now: int, before: int | None) -> str:
    """``+3`` / ``-2`` / ``=`` against the previous workday, ``-`` without one."""
    if before is None:
        return "-"
    diff = now - before
    return "=" if diff == 0 else f"{diff:+d}"


COMPARED = (
    ("workday_records", _("Terjadwal")),
    ("late", _("Terlambat (TL)")),
    ("early", _("Pulang sebelum waktunya (PSW)")),
    ("absent", _("Tanpa keterangan (TK)")),
    ("cases_opened", _("Kasus klarifikasi dibuka")),
    ("cases_closed", _("Kasus klarifikasi selesai")),
    ("flagged_reviewed", _("Presensi ditandai, sudah ditinjau")),
    ("flagged_pending", _("Presensi ditandai, belum ditinjau")),
    ("unreachable", _("Pegawai tak terjangkau kanal notifikasi")),
)


@dataclass(frozen=True)
class Comparison:
    label: str
    now: int
    then: int | None
    change: str


def comparison(evaluation: Evaluation) -> list[Comparison]:
    """The counts of the day against the previous workday (page and PDF)."""
    today, previous = evaluation.today, evaluation.previous
    if today is None:
        return []
    rows = []
    for field, label in COMPARED:
        now = getattr(today, field)
        then = getattr(previous, field) if previous is not None else None
        rows.append(Comparison(str(label), now, then, change_text(now, then)))
    return rows
