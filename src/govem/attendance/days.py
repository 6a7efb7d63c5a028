"""The day ledger: (re)compute :class:`DayRecord` rows from plans, punches, reviews, absences.

:func:`recompute_days` works in batches of employees with a constant number of queries per
batch (plans through ``day_plans_for``, then punches, reviews, absences and the existing
records, one query each) and writes only the rows that changed, with one upsert per batch.
Locked (verified) days are left as they are unless a ``reason`` is given; then every change
to a locked day is audited with its before and after.

Called when a punch lands (``record_punch``), when a flagged punch is reviewed, when an
absence is decided, when the rules change (:func:`change_rules`), by ``govem recompute``,
and by :func:`close_day` (the worker's day-closing phase).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.absences.queries import approved_between, covering
from govem.accounts import audit
from govem.attendance.models import DayRecord, Punch, PunchReview, RuleSet
from govem.db import hot
from govem.errors import DomainError
from govem.operations.golive import regency_start
from govem.people.models import Employee, Unit
from govem.rules.bands import TK, Rules, rules_on
from govem.rules.daystatus import DayInput, DayResult, classify, counting_start
from govem.schedules.queries import day_plans_for

logger = logging.getLogger(__name__)

BATCH = 1000
_UPSERT_ROWS = 1000
_COPY_FROM = 500  # rows: above this PostgreSQL gets COPY
# The latest local date anywhere in Indonesia (WIT, UTC+9): no records for later dates.
_AHEAD = timedelta(hours=9)

COMPARED = (
    "time_zone",
    "workday",
    "schedule_source",
    "expected_start",
    "expected_end",
    "first_in",
    "last_out",
    "late_minutes",
    "early_minutes",
    "status",
    "codes",
    "deduction_pct",
    "explanation",
    "closed",
    "counted",
    "rule_set_id",
)


@dataclass
class RecomputeResult:
    employees: int = 0
    days: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    locked_skipped: int = 0

    def add(self, other: RecomputeResult) -> None:
        for name in ("employees", "days", "created", "updated", "unchanged", "locked_skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def rule_table() -> list[Rules]:
    """The active rows of the rule table (the seeded examples are inactive)."""
    rows = RuleSet.objects.filter(active=True).select_related("unit")
    return [rule_set.as_rules() for rule_set in rows]


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _needs_month(table: list[Rules], start: date, end: date) -> bool:
    """Whether a row in force in the range makes a day depend on its month (TK as a share of
    the month, counted allowances): then whole months are read."""
    return any(
        rules.needs_month
        and rules.valid_from <= end
        and (rules.valid_to is None or rules.valid_to >= start)
        for rules in table
    )


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _employees(employee_ids: Iterable[int] | None, unit: Unit | None) -> dict[int, date | None]:
    """Employee id → their own counting start (``None``: the regency's), in id order."""
    employees = Employee.objects.all()
    if employee_ids is None:
        employees = employees.filter(active=True)
    else:
        wanted = list(employee_ids)
        if len(wanted) <= BATCH:
            employees = employees.filter(pk__in=wanted)
        else:
            keep = set(wanted)
            rows = employees.order_by("pk").values_list("pk", "counting_starts")
            return {pk: start for pk, start in rows if pk in keep}
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path)
    return dict(employees.order_by("pk").values_list("pk", "counting_starts"))


def _employee_ids(employee_ids: Iterable[int] | None, unit: Unit | None) -> list[int]:
    return list(_employees(employee_ids, unit))


def _counted_punches(
    ids: list[int], start: date, end: date
) -> dict[tuple[int, date], tuple[datetime | None, datetime | None]]:
    """(first counted check-in, last counted check-out) per employee-date.

    Accepted punches count; a flagged one counts only with an accepted review.
    """
    punches = Punch.objects.filter(
        employee_id__in=ids, local_date__gte=start, local_date__lte=end
    ).exclude(verdict=Punch.Verdict.REJECTED)
    rows = list(
        punches.values_list("id", "employee_id", "local_date", "kind", "server_time", "verdict")
    )
    flagged = [row[0] for row in rows if row[5] == Punch.Verdict.FLAGGED]
    accepted_reviews: set[int] = set()
    if flagged:
        accepted_reviews = set(
            PunchReview.objects.filter(
                punch__employee_id__in=ids,
                punch__local_date__gte=start,
                punch__local_date__lte=end,
                decision=PunchReview.Decision.ACCEPTED,
            ).values_list("punch_id", flat=True)
        )
    found: dict[tuple[int, date], list[datetime | None]] = defaultdict(lambda: [None, None])
    for pk, employee_id, local_date, kind, server_time, verdict in rows:
        if verdict == Punch.Verdict.FLAGGED and pk not in accepted_reviews:
            continue
        pair = found[(employee_id, local_date)]
        if kind == Punch.Kind.IN:
            if pair[0] is None or server_time < pair[0]:
                pair[0] = server_time
        elif pair[1] is None or server_time > pair[1]:
            pair[1] = server_time
    return {key: (pair[0], pair[1]) for key, pair in found.items()}


def _values(result: DayResult, day_input: DayInput, rules: Rules, source: str) -> dict[str, Any]:
    schedule = day_input.schedule
    return {
        "time_zone": day_input.time_zone,
        "workday": schedule is not None,
        "schedule_source": source[:120],
        "expected_start": schedule.start if schedule else None,
        "expected_end": schedule.end if schedule else None,
        "first_in": day_input.first_in,
        "last_out": day_input.last_out,
        "late_minutes": result.late_minutes,
        "early_minutes": result.early_minutes,
        "status": result.status,
        "codes": list(result.codes),
        "deduction_pct": result.deduction_pct,
        "explanation": result.explanation[:400],
        "closed": result.closed,
        "counted": result.counted,
        "rule_set_id": rules.id,
    }


def _same(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return all(old[name] == new[name] for name in COMPARED)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime | date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


def _batch(
    ids: list[int],
    start: date,
    end: date,
    table: list[Rules],
    now: datetime,
    reason: str,
    starts: dict[int, date | None],
) -> RecomputeResult:
    result = RecomputeResult(employees=len(ids))
    monthly = _needs_month(table, start, end)
    if monthly:
        # The month's working days and the allowances used before ``start`` are facts of
        # the whole month: plans for whole months, the earlier days' codes from the ledger.
        all_plans = day_plans_for(ids, _month_start(start), _month_end(end))
        plans = {key: plan for key, plan in all_plans.items() if start <= key[1] <= end}
        workdays: dict[tuple[int, date], int] = defaultdict(int)
        for (employee_id, day), plan in all_plans.items():
            if plan.is_workday:
                workdays[(employee_id, _month_start(day))] += 1
        used = _codes_before(ids, start)
    else:
        plans = day_plans_for(ids, start, end)
        workdays, used = {}, {}
    punches = _counted_punches(ids, start, end)
    absences = approved_between(ids, start, end)
    existing = {
        (row["employee_id"], row["date"]): row
        for row in DayRecord.objects.filter(
            employee_id__in=ids, date__gte=start, date__lte=end
        ).values("id", "employee_id", "date", "locked", *COMPARED)
    }
    paths = _unit_paths(ids) if any(rules.unit_id for rules in table) else {}
    rules_by_date = {day: rules_on(day, table) for day in _dates(start, end)}
    writes: list[dict[str, Any]] = []
    for (employee_id, day), plan in plans.items():
        result.days += 1
        first_in, last_out = punches.get((employee_id, day), (None, None))
        path = paths.get(employee_id)
        rules = rules_on(day, table, path) if path else rules_by_date[day]
        month = _month_start(day)
        counts = used.setdefault((employee_id, month), {}) if monthly else {}
        day_input = DayInput(
            local_date=day,
            time_zone=plan.time_zone,
            schedule=plan.schedule,
            day_off_code=plan.day_off_code,
            day_off_reason=plan.day_off_reason,
            first_in=first_in,
            last_out=last_out,
            absences=covering(absences.get(employee_id, []), day),
            now=now,
            rules=rules,
            counting_starts=starts.get(employee_id),
            month_workdays=workdays.get((employee_id, month)) if monthly else None,
            allowance_used=dict(counts),
        )
        classified = classify(day_input)
        if monthly:
            for code in classified.codes:
                counts[code] = counts.get(code, 0) + 1
        values = _values(classified, day_input, rules, plan.schedule_source)
        old = existing.get((employee_id, day))
        if old is not None and _same(old, values):
            result.unchanged += 1
            continue
        if old is not None and old["locked"]:
            if not reason:
                result.locked_skipped += 1
                continue
            audit.record(
                action=audit.Action.RECOMPUTE_LOCKED_DAY,
                object_type="attendance.dayrecord",
                object_id=str(old["id"]),
                object_repr=f"{employee_id} {day}",
                before=_jsonable({name: old[name] for name in COMPARED}),
                after=_jsonable(values),
                reason=reason,
            )
        if old is None:
            result.created += 1
        else:
            result.updated += 1
        writes.append({"employee_id": employee_id, "date": day, **values})
    if writes:
        _upsert(writes, now, overwrite_locked=bool(reason))
    return result


def _unit_paths(ids: list[int]) -> dict[int, str]:
    return dict(Employee.objects.filter(pk__in=ids).values_list("pk", "unit__path"))


def _codes_before(ids: list[int], start: date) -> dict[tuple[int, date], dict[str, int]]:
    """Per employee, the codes booked in ``start``'s month before ``start`` (allowances)."""
    counts: dict[tuple[int, date], dict[str, int]] = {}
    first = _month_start(start)
    if first == start:
        return counts
    rows = DayRecord.objects.filter(
        employee_id__in=ids, date__gte=first, date__lt=start
    ).values_list("employee_id", "codes")
    for employee_id, codes in rows:
        bucket = counts.setdefault((employee_id, first), {})
        for code in codes or []:
            bucket[code] = bucket.get(code, 0) + 1
    return counts


_UPSERT_SQL: dict[tuple[str, bool], tuple[str, list[str], str, str, str]] = {}


def _upsert_sql(vendor: str, overwrite_locked: bool) -> tuple[str, list[str], str, str, str]:
    """The upsert's table, quoted columns, head, ON CONFLICT tail and one row's placeholders,
    composed once per vendor (the check-in's upsert spent a tenth of its CPU quoting names)."""
    key = (vendor, overwrite_locked)
    if key not in _UPSERT_SQL:
        ops = connection.ops
        fields = {field.attname: field for field in DayRecord._meta.concrete_fields}
        columns = ["employee_id", "date", *COMPARED, "computed_at", "updated_at", "locked"]
        columns += ["lock_reason", "checkout_case_open"]
        updated = [*COMPARED, "computed_at", "updated_at"]
        quoted = [ops.quote_name(fields[name].column) for name in columns]  # type: ignore[arg-type]
        table = ops.quote_name(DayRecord._meta.db_table)
        head = f"INSERT INTO {table} ({', '.join(quoted)}) VALUES "  # noqa: S608
        tail = (
            f" ON CONFLICT ({ops.quote_name('employee_id')}, {ops.quote_name('date')}) "
            "DO UPDATE SET "
            + ", ".join(
                f"{ops.quote_name(fields[n].column)} = EXCLUDED.{ops.quote_name(fields[n].column)}"  # type: ignore[arg-type]
                for n in updated
            )
        )
        if not overwrite_locked:
            tail += f" WHERE NOT {table}.{ops.quote_name(fields['locked'].column)}"  # type: ignore[arg-type]
        one = f"({', '.join(['%s'] * len(columns))})"
        _UPSERT_SQL[key] = (table, quoted, head, tail, one)
    return _UPSERT_SQL[key]


def _upsert(
    rows: list[dict[str, Any]],
    now: datetime,
    *,
    overwrite_locked: bool = False,
    returning: bool = False,
) -> int:
    """INSERT … ON CONFLICT DO UPDATE (SQLite ≥ 3.24 and PostgreSQL), many rows a statement.

    Values are adapted once here: the ORM's ``bulk_create`` spent most of a month's
    recompute preparing values field by field. Identifiers come from the model's metadata;
    every value is a query parameter. Without ``overwrite_locked`` the update leaves a row
    that was locked after it was read (a verification committing meanwhile) as it is.
    """
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"
    table, quoted, head, tail, one = _upsert_sql(connection.vendor, overwrite_locked)
    stamp = _adapt_moment(now, sqlite)
    bulk_pg = not sqlite and len(rows) > _COPY_FROM
    if sqlite:
        dump: Any = json.dumps
    else:
        # PostgreSQL only: psycopg's types load with the first PostgreSQL write, not on SQLite
        from psycopg.types.json import Jsonb

        dump = Jsonb
    params = []
    for row in rows:
        params.append(
            (
                row["employee_id"],
                row["date"].isoformat() if sqlite else row["date"],
                row["time_zone"],
                row["workday"],
                row["schedule_source"],
                _adapt_moment(row["expected_start"], sqlite),
                _adapt_moment(row["expected_end"], sqlite),
                _adapt_moment(row["first_in"], sqlite),
                _adapt_moment(row["last_out"], sqlite),
                row["late_minutes"],
                row["early_minutes"],
                row["status"],
                dump(row["codes"]) if not bulk_pg else json.dumps(row["codes"]),
                ops.adapt_decimalfield_value(row["deduction_pct"], 7, 3),
                row["explanation"],
                row["closed"],
                row["counted"],
                row["rule_set_id"],
                stamp,
                stamp,
                False,
                "",
                False,
            )
        )
    if bulk_pg:
        _copy_upsert(table, ", ".join(quoted), tail, params)
        return len(rows)
    if returning:
        tail += f" RETURNING {ops.quote_name('id')}"
    written = 0
    # Multi-row statements: one round trip per chunk (21 000 parameters, within both limits).
    # One row (the punch's own upsert, the same SQL every time): prepared on PostgreSQL.
    with hot.cursor() if len(params) == 1 else connection.cursor() as cursor:
        for offset in range(0, len(params), _UPSERT_ROWS):
            chunk = params[offset : offset + _UPSERT_ROWS]
            sql = head + ", ".join([one] * len(chunk)) + tail
            cursor.execute(sql, [value for row in chunk for value in row])
            written += len(cursor.fetchall()) if returning else len(chunk)
    return written


def write_day(employee_id: int, day: date, values: dict[str, Any], now: datetime) -> bool:
    """One day record inserted or updated in place (the punch's own transaction): one
    statement. ``False`` when the record is locked (verified): it is left as it is, as
    :func:`recompute_days` leaves it without a reason."""
    return _upsert([{"employee_id": employee_id, "date": day, **values}], now, returning=True) == 1


def day_values(result: DayResult, day_input: DayInput, rules: Rules, source: str) -> dict[str, Any]:
    """The stored columns of a classified day (the same for both paths)."""
    return _values(result, day_input, rules, source)


def _copy_upsert(table: str, columns: str, tail: str, params: list[tuple[Any, ...]]) -> None:
    """PostgreSQL, many rows: COPY into a temporary table, then one INSERT … SELECT.

    Binding tens of thousands of parameters costs more than the insert itself; COPY streams
    them. The temporary table lives until the batch's transaction ends.
    """
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS govem_dayrecord_in ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with raw.copy(f"COPY govem_dayrecord_in ({columns}) FROM STDIN") as copy:
            for row in params:
                copy.write_row(row)
        raw.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM govem_dayrecord_in{tail}"  # noqa: S608
        )
        raw.execute("TRUNCATE govem_dayrecord_in")


def _adapt_moment(value: datetime | None, sqlite: bool) -> Any:
    if value is None or not sqlite:
        return value
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def recompute_days(
    employee_ids: Iterable[int] | None,
    start: date,
    end: date,
    *,
    unit: Unit | None = None,
    reason: str = "",
    batch_size: int = BATCH,
) -> RecomputeResult:
    """Recompute the day records of ``employee_ids`` (``None``: all active) for the dates.

    Locked days change only with a ``reason`` (each change audited). Dates after the latest
    local date in Indonesia are not computed yet.
    """
    now = timezone.now()
    end = min(end, (now + _AHEAD).date())
    total = RecomputeResult()
    if end < start:
        return total
    own = _employees(employee_ids, unit)
    ids = list(own)
    regency = regency_start()
    starts = {pk: counting_start(regency, day) for pk, day in own.items()}
    table = rule_table()
    if _needs_month(table, start, end):
        # A changed day can change the later days of its month (allowances counted in order).
        end = max(end, min(_month_end(end), (now + _AHEAD).date()))
    for offset in range(0, len(ids), batch_size):
        chunk = ids[offset : offset + batch_size]
        with transaction.atomic():
            total.add(_batch(chunk, start, end, table, now, reason, starts))
    return total


def recompute_day(*, employee: Employee, day: date, reason: str = "") -> DayRecord | None:
    """One employee's date (after a punch, a review, a decision, a manual correction)."""
    recompute_days([employee.pk], day, day, reason=reason)
    record = DayRecord.objects.filter(employee=employee, date=day).first()
    close_resolved_checkout_case(record)
    return record


def close_resolved_checkout_case(record: DayRecord | None) -> bool:
    """Close the day's open "no check-out" clarification case once a check-out counts.

    Call it after any update of one day record (a punch's in-place update, a review, a
    recompute). It costs nothing — no query — unless ``record.checkout_case_open`` is set,
    which only a case opened before the employee checked out sets; the close itself is the
    rare path. Returns whether a case was closed.
    """
    if record is None or not record.checkout_case_open or record.last_out is None:
        return False
    # circular at import: absences.clarifications -> absences.services -> attendance.days
    from govem.absences.clarifications import close_checkout_case

    return close_checkout_case(
        employee_id=record.employee_id, day=record.date, checked_out_at=record.last_out
    )


def locked_dates(employee_id: int, start: date, end: date) -> list[date]:
    """The dates in ``start``–``end`` whose record for the employee is locked (verified)."""
    return list(
        DayRecord.objects.filter(
            employee_id=employee_id, date__gte=start, date__lte=end, locked=True
        )
        .order_by("date")
        .values_list("date", flat=True)
    )


def ensure_change_allowed(employee_id: int, start: date, end: date, reason: str) -> list[date]:
    """Refuse a change to verified (locked) days unless it carries a reason.

    Every path that changes a day (an absence decision, a clarification outcome, a punch
    review, a manual punch, a recompute) calls this *before* it writes anything, then passes
    the same ``reason`` on to :func:`recompute_days`, which audits each locked day it
    changes. Returns the locked dates (empty: nothing is verified yet).
    """
    dates = locked_dates(employee_id, start, end)
    if dates and not reason.strip():
        listed = ", ".join(day.strftime("%d-%m-%Y") for day in dates)
        raise DomainError(
            "day_locked",
            _(
                "Rekap tanggal %(dates)s sudah diverifikasi dan dikunci; "
                "perubahan memerlukan alasan."
            )
            % {"dates": listed},
            status=409,
            details={"dates": [day.isoformat() for day in dates]},
        )
    return dates


def close_day(day: date) -> RecomputeResult:
    """Every active employee's record for ``day`` brought up to date with what is known now
    (the close phase at end + 30 min); TK and PSW4 follow only where the window has closed."""
    return recompute_days(None, day, day)


@dataclass(frozen=True)
class SettleResult:
    """What settling a date booked: the records settled, still open, not counted, and the
    codes that only settlement books (TK, PSW4, TL4 for a missing punch)."""

    day: date
    recompute: RecomputeResult
    settled: int
    still_open: int
    not_counted: int
    tk: int
    psw4: int
    tl4: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "settled": self.settled,
            "still_open": self.still_open,
            "not_counted": self.not_counted,
            "tk": self.tk,
            "psw4": self.psw4,
            "tl4": self.tl4,
            "created": self.recompute.created,
            "updated": self.recompute.updated,
            "unchanged": self.recompute.unchanged,
            "locked_skipped": self.recompute.locked_skipped,
        }


def settle_day(day: date) -> SettleResult:
    """Settle ``day``: every active employee's record recomputed now that their check-out
    window has closed, so TK, PSW4 and TL4 are booked (once: the record is the booking).

    A record whose window is still open (run by hand too early) stays open and is counted
    in ``still_open``; running it again later settles it.
    """
    recomputed = recompute_days(None, day, day)
    settled = still_open = not_counted = tk = psw4 = tl4 = 0
    rows = DayRecord.objects.filter(date=day, employee__active=True, workday=True)
    for codes, closed, counted in rows.values_list("codes", "closed", "counted"):
        if not counted:
            not_counted += 1
            continue
        if not closed:
            still_open += 1
            continue
        settled += 1
        codes = codes or []
        tk += TK in codes
        psw4 += "PSW4" in codes
        tl4 += "TL4" in codes
    return SettleResult(day, recomputed, settled, still_open, not_counted, tk, psw4, tl4)


def settles_at(employee_ids: Iterable[int] | None, day: date) -> datetime | None:
    """When ``day`` is settled for all of ``employee_ids`` (``None``: all active): the last
    check-out closing among their schedules; ``None`` when nobody works that date."""
    ids = _employee_ids(employee_ids, None)
    closes = [
        plan.schedule.check_out_closes
        for plan in day_plans_for(ids, day, day).values()
        if plan.schedule is not None
    ]
    return max(closes) if closes else None


def pct_text(value: Decimal) -> str:
    """1.500 → "1.5", 100.000 → "100", 0 → "0"."""
    return format(Decimal(value).normalize(), "f")


def day_json(record: DayRecord | None) -> dict[str, Any] | None:
    """The ``day`` block of the punch response."""
    if record is None:
        return None
    return {
        "date": record.date.isoformat(),
        "status": record.status,
        "codes": list(record.codes or []),
        "late_minutes": record.late_minutes,
        "early_minutes": record.early_minutes,
        "deduction_pct": pct_text(record.deduction_pct),
        "explanation": record.explanation,
        "closed": record.closed,
        "locked": record.locked,
    }


def safe_day_after_punch(punch: Punch) -> dict[str, Any] | None:
    """Recompute the punch's day; never let the ledger break a stored punch's receipt."""
    try:
        return day_json(recompute_day(employee=punch.employee, day=punch.local_date))
    except Exception:  # the punch is durable already; the day is recomputed on close anyway
        logger.exception("day recompute after punch %s failed", punch.pk)
        return None
