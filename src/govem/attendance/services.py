"""The check-in / check-out use case: one service for the web page, the API and scripts.

The hot path of the morning (issue 12): the caller has read the employee, their active
device binding and the cache generation in one statement (the API's token lookup); the
employee's areas and plans come from the process cache (:mod:`govem.attendance.context`);
the verdict is :func:`govem.rules.punch.judge`; then **one** write transaction holds exactly
three statements — the day's state (one SELECT, which also answers the replay, the
first-check-in and the new-device questions), the INSERT of the punch with its receipt,
and the upsert of the day record computed in place by
:func:`govem.rules.daystatus.apply_punch`. The full recompute
(:func:`govem.attendance.days.recompute_days`) stays the reference path; the two are
proven equal (tests/ledger/test_in_place.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.attendance import receipts
from govem.attendance.context import UnitContext, current_generation, rule_table, unit_context
from govem.attendance.days import (
    close_resolved_checkout_case,
    day_json,
    day_values,
    recompute_days,
    write_day,
)
from govem.attendance.days import recompute_day as recompute_day
from govem.attendance.models import DayRecord, Punch
from govem.attendance.receipts import receipt_code as receipt_code
from govem.attendance.reviews import review_punch as review_punch
from govem.db import group_commit, hot, rows
from govem.errors import DomainError
from govem.operations.golive import starts_for
from govem.people.models import Device, Employee
from govem.people.services import active_device, bind_device
from govem.rules import geofence
from govem.rules.bands import Rules, rules_on
from govem.rules.calendar import DayPlan, choose_plan
from govem.rules.daystatus import CountedPunch, DayFacts, DayState, apply_punch, day_input
from govem.rules.punch import (
    FirstCheckIn,
    PunchFacts,
    PunchVerdict,
    Refusal,
    judge,
    storable_time,
)
from govem.rules.schedule import PunchKind


@dataclass(frozen=True)
class PunchAttempt:
    """What the client sent, plus the request's evidence. Values are already type-checked."""

    kind: PunchKind
    latitude: float
    longitude: float
    accuracy_m: float
    client_time: datetime | None
    idempotency_key: str
    device_id: str
    source: str
    mock_location: bool = False
    ip: str | None = None
    user_agent: str = ""


_UNREAD: Any = object()


@dataclass(frozen=True)
class Known:
    """What the caller already read in its own statement (the API's token lookup)."""

    generation: int | None
    device: Device | None  # the employee's active binding, None when nothing is bound


def known_from(
    employee: Employee,
    generation: int | None,
    bound_pk: int | None,
    bound_key: str | None,
    *,
    read: Device | None = None,
) -> Known:
    """:class:`Known` from a lookup's generation and active binding columns. ``read``: a
    device row the same statement returned (the token's device); when it is the binding,
    it is used as it is instead of a second instance of the same row."""
    device = None
    if bound_pk is not None:
        if read is not None and read.pk == bound_pk:
            device = read
            Device._meta.get_field("employee").set_cached_value(device, employee)
        else:
            device = Device(pk=bound_pk, employee=employee, device_id=bound_key)  # type: ignore[misc]
    return Known(generation=generation, device=device)


@dataclass(frozen=True)
class PunchOutcome:
    """The domain outcome of one attempt: the stored punch, why it was refused (if it
    was), and the day record as it stands after it. ``status`` and ``body`` are the
    receipt document both the API and the web page answer with."""

    punch: Punch
    refusal: DomainError | None = None
    day: DayRecord | None = None
    replayed: bool = False
    flags: list[str] = field(default_factory=list)
    stored_body: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.refusal is None

    @property
    def status(self) -> int:
        if self.refusal is not None:
            return self.refusal.status
        return self.punch.response_status

    @property
    def body(self) -> dict[str, Any]:
        if self.refusal is not None and not self.stored_body:
            return self.refusal.as_body()
        body = receipts.with_id(self.status, self.stored_body, self.punch.pk)
        if self.status == 201:
            body["day"] = day_json(self.day)
        return body


def _policy() -> geofence.Policy:
    return geofence.Policy(
        accuracy_cap_m=settings.GOVEM["ACCURACY_CAP_M"],
        accuracy_max_m=settings.GOVEM["ACCURACY_MAX_M"],
    )


def record_punch(
    *, employee: Employee, attempt: PunchAttempt, known: Known | None = None
) -> PunchOutcome:
    """Judge and store one check-in/out attempt; every attempt is stored, refusals too.

    The server clock is the only time that counts. The same ``idempotency_key`` from the
    same employee returns the original outcome and stores nothing new. ``known`` saves the
    reads the caller already made (generation, active device); without it they are read.
    """
    if known is None:
        known = Known(current_generation(), active_device(employee))
    try:
        return _record_punch(employee=employee, attempt=attempt, known=known)
    except IntegrityError:
        # A concurrent retry with the same key won the insert: answer with its outcome.
        existing = _replay(employee, attempt, None)
        if existing is None:
            raise
        return existing


def _replay(
    employee: Employee, attempt: PunchAttempt, punch_id: int | None, day: date | None = None
) -> PunchOutcome | None:
    key = attempt.idempotency_key
    if not key:
        return None
    # A retry comes within minutes: the stored punch is of this date or the day before (on
    # PostgreSQL one month's partition; two on the first of a month).
    since, until = _replay_dates(day or timezone.localdate())
    found = Punch.objects.filter(employee=employee, local_date__range=(since, until))
    punch = (found.filter(pk=punch_id) if punch_id else found.filter(idempotency_key=key)).first()
    if punch is None:
        return None
    if punch.kind != attempt.kind.value:
        # A check-out must never be answered with the check-in's receipt: the phone reused
        # a key (an app bug), and the employee would believe they had checked out.
        error = DomainError(
            "idempotency_key_reused",
            _("Kunci idempoten ini sudah dipakai untuk presensi lain. Coba lagi."),
            details={"field": "idempotency_key", "punch_id": punch.pk, "kind": punch.kind},
        )
        return PunchOutcome(punch, refusal=error, replayed=True)
    refusal = None
    if punch.response_status != 201:
        error = (punch.response_body or {}).get("error") or {}  # type: ignore[assignment]
        refusal = DomainError(
            str(error.get("code", "")),  # type: ignore[attr-defined]
            str(error.get("message", "")),  # type: ignore[attr-defined]
            status=punch.response_status,
            details=dict(error.get("details") or {}),  # type: ignore[attr-defined]
        )
    day = None
    if refusal is None:
        day = DayRecord.objects.filter(employee=employee, date=punch.local_date).first()  # type: ignore[assignment]
    return PunchOutcome(
        punch,
        refusal=refusal,
        day=day,
        replayed=True,
        flags=list(punch.flags or []),
        stored_body=punch.response_body or {},
    )


def _binding(
    employee: Employee, attempt: PunchAttempt, device: Device | None
) -> tuple[Device | None, Refusal | None]:
    """The device the punch is made on, or why it may not be (another phone is bound)."""
    device_id = attempt.device_id.strip()
    if device is not None and device.device_id == device_id:
        return device, None
    try:
        # Nothing bound yet (the rare path: binds), or a different device (refused).
        return bind_device(employee=employee, device_id=device_id, label=attempt.user_agent), None
    except DomainError as error:
        return None, Refusal(error.code, error.message, error.status, error.details)


@dataclass(frozen=True)
class _DayRead:
    """The one SELECT inside the write transaction."""

    replay_id: int | None
    first_in: FirstCheckIn | None
    any_punch: bool
    new_device: bool
    record: dict[str, Any] | None


_RECORD_FIELDS = (
    "id",
    "first_in",
    "last_out",
    "locked",
    "checkout_case_open",
    "status",
    "codes",
    "late_minutes",
    "early_minutes",
    "deduction_pct",
    "explanation",
    "closed",
)


def _replay_dates(day: date) -> tuple[date, date]:
    return day - timedelta(days=1), day


_READ_PARAMS = ("on", "key", "since", "until", "device", "employee")
_READ_SQL: dict[str, tuple[str, list[str]]] = {}


def _read_template() -> str:
    """The day's state with the verdict's facts as subqueries; ``{name}`` marks a parameter."""
    q = connection.ops.quote_name
    punch = q(Punch._meta.db_table)
    record = q(DayRecord._meta.db_table)
    employee = q(Employee._meta.db_table)
    device = q(Device._meta.db_table)
    today = f"FROM {punch} p WHERE p.employee_id = e.id AND p.local_date = {{on}}"
    counted = f"{today} AND p.verdict <> 'rejected'"
    first = f"{counted} AND p.kind = 'in' ORDER BY p.server_time, p.id LIMIT 1"
    mine = f"FROM {punch} p WHERE p.employee_id = e.id"
    columns = ", ".join(f"d.{q(name)}" for name in _RECORD_FIELDS)
    return (
        f"SELECT (SELECT p.id {first}), (SELECT p.server_time {first}), "  # noqa: S608
        f"EXISTS (SELECT 1 {counted}), "
        f"(SELECT p.id {mine} AND p.idempotency_key = {{key}} AND p.idempotency_key <> '' "
        "AND p.local_date BETWEEN {since} AND {until}), "
        # A new phone, from the devices (stamped at their first punch), not from every
        # month's punches: every subquery here names the date or no punch at all.
        f"EXISTS (SELECT 1 FROM {device} dv WHERE dv.id = {{device}} "
        "AND dv.first_punch_at IS NOT NULL), "
        f"EXISTS (SELECT 1 FROM {device} dv WHERE dv.employee_id = e.id "
        "AND dv.first_punch_at IS NOT NULL AND dv.id <> {device}), "
        f"{columns} FROM {employee} e LEFT JOIN {record} d "
        "ON d.employee_id = e.id AND d.date = {on} WHERE e.id = {employee}"
    )


DAY_STATE_FUNCTION = "govem_punch_day_state"


def _read_sql() -> tuple[str, list[str]]:
    """The one read inside the write transaction and its parameters' names, built once per
    database vendor. On PostgreSQL it is a call of :data:`DAY_STATE_FUNCTION`, which locks
    the employee row and then reads (:func:`install_day_state_function`)."""
    vendor = connection.vendor
    if vendor not in _READ_SQL:
        if connection.features.has_select_for_update:
            names = list(_READ_PARAMS)
            args = ", ".join(["%s"] * len(names))
            _READ_SQL[vendor] = (f"SELECT * FROM {DAY_STATE_FUNCTION}({args})", names)  # noqa: S608
        else:
            template = _read_template()
            names = re.findall(r"\{(\w+)\}", template)
            _READ_SQL[vendor] = (re.sub(r"\{\w+\}", "%s", template), names)
    return _READ_SQL[vendor]


def install_day_state_function(conn: Any = None) -> None:
    """PostgreSQL: the day's state as one function call that first locks the employee row.

    One employee's punches must take turns (a double tap on two phones must not check in
    twice). In READ COMMITTED a statement that waited for a row lock still reads the
    snapshot it started with, so a lock inside the read itself would not see the punch it
    waited for; a separate ``SELECT … FOR UPDATE`` cost a statement (a round trip, a parse
    and a plan). A VOLATILE PL/pgSQL function takes a fresh snapshot for each statement it
    runs: it locks, then reads what every earlier punch committed — one statement for the
    caller, and PL/pgSQL keeps the read's plan for the connection. Created again after every
    migrate and flush from the same template as SQLite's read, so the two cannot drift."""
    conn = conn or connection
    if conn.vendor != "postgresql":
        return
    tables = set(conn.introspection.table_names())
    needed = {Punch._meta.db_table, DayRecord._meta.db_table, Employee._meta.db_table}
    if not needed <= tables:
        return
    with conn.cursor() as cursor:

        def types(model: Any, columns: list[str]) -> list[str]:
            cursor.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [model._meta.db_table],
            )
            found = dict(cursor.fetchall())
            return [found[column] for column in columns]

        punch_id, server_time = types(Punch, ["id", "server_time"])
        employee_id = types(Employee, ["id"])[0]
        device_id = types(Device, ["id"])[0]
        record = [str(DayRecord._meta.get_field(name).column) for name in _RECORD_FIELDS]  # type: ignore[union-attr]
        outputs = [
            ("first_id", punch_id),
            ("first_at", server_time),
            ("any_punch", "boolean"),
            ("replay_id", punch_id),
            ("device_used", "boolean"),
            ("other_used", "boolean"),
            *zip([f"d_{column}" for column in record], types(DayRecord, record), strict=True),
        ]
        params = {
            "on": "date",
            "key": "text",
            "since": "date",
            "until": "date",
            "device": device_id,
            "employee": employee_id,
        }
        body = _read_template()
        for name in params:
            body = body.replace(f"{{{name}}}", f"p_{name}")
        signature = ", ".join(f"p_{name} {kind}" for name, kind in params.items())
        returns = ", ".join(f"r_{name} {kind}" for name, kind in outputs)
        table = conn.ops.quote_name(Employee._meta.db_table)
        # Dropped and created in one transaction (its result columns may have changed):
        # a server punching meanwhile waits for it, never finds it missing.
        with transaction.atomic(using=conn.alias):
            cursor.execute(
                f"DROP FUNCTION IF EXISTS {DAY_STATE_FUNCTION}({', '.join(params.values())})"
            )
            cursor.execute(
                f"CREATE FUNCTION {DAY_STATE_FUNCTION}({signature}) "
                f"RETURNS TABLE ({returns}) LANGUAGE plpgsql VOLATILE "
                "SET plan_cache_mode = force_generic_plan AS $$ BEGIN "
                f"PERFORM 1 FROM {table} WHERE id = p_employee FOR UPDATE; "
                f"RETURN QUERY {body}; END $$"
            )


def _aware(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _read_day(employee_id: int, day: date, key: str, device: Device | None) -> _DayRead:
    """The day record with the facts the verdict needs as subqueries — one statement, its
    SQL built once (the ORM spent more time building this query than the database running
    it).

    One employee's punches take turns: SQLite's IMMEDIATE transaction serialises every
    writer already; on PostgreSQL the statement is a function that locks the employee row
    before it reads (:func:`install_day_state_function` says why it is a function).
    """
    since, until = (connection.ops.adapt_datefield_value(d) for d in _replay_dates(day))
    params: dict[str, Any] = {
        "on": connection.ops.adapt_datefield_value(day),
        "key": key,
        "since": since,
        "until": until,
        "device": device.pk if device is not None else -1,
        "employee": employee_id,
    }
    sql, names = _read_sql()
    with hot.cursor() as cursor:
        cursor.execute(sql, [params[name] for name in names])
        row = cursor.fetchone()
    if row is None:
        raise Employee.DoesNotExist(employee_id)
    first_id, first_at, any_punch, replay_id, used, other = row[:6]
    values = dict(zip(_RECORD_FIELDS, row[6:], strict=True))
    record = None
    if values["id"] is not None:
        codes = values["codes"]
        record = {
            **values,
            "first_in": _aware(values["first_in"]),
            "last_out": _aware(values["last_out"]),
            "locked": bool(values["locked"]),
            "checkout_case_open": bool(values["checkout_case_open"]),
            "closed": bool(values["closed"]),
            "codes": json.loads(codes) if isinstance(codes, str) else list(codes or []),
            "deduction_pct": Decimal(str(values["deduction_pct"])),
        }
    return _DayRead(
        replay_id=replay_id if key else None,
        first_in=FirstCheckIn(first_id, _aware(first_at)) if first_id is not None else None,  # type: ignore[arg-type]
        any_punch=bool(any_punch),
        new_device=device is not None and not used and bool(other),
        record=record,
    )


def _plans(
    context: UnitContext, employee: Employee, now: datetime, zone_name: str, kind: PunchKind
) -> tuple[DayPlan, DayPlan]:
    """(the plan the punch belongs to, the same date's plan as the day record holds it)."""
    local_date = now.astimezone(ZoneInfo(zone_name)).date()
    in_zone, own_zone = context.day_plans(employee.pk, local_date, zone_name)
    # A check-out after a night shift belongs to the date the shift started.
    chosen = choose_plan(in_zone.values(), now, local_date, kind.value) or in_zone[local_date]
    return chosen, own_zone[chosen.local_date]


def _record_punch(*, employee: Employee, attempt: PunchAttempt, known: Known) -> PunchOutcome:
    # Everything that does not depend on earlier punches happens before the write
    # transaction: on SQLite that transaction holds the one writer lock.
    now = timezone.now()
    today = timezone.localdate(now)
    context = unit_context(employee, known.generation, today)
    geo = geofence.evaluate(
        geofence.Point(attempt.latitude, attempt.longitude),
        attempt.accuracy_m,
        context.areas(employee.pk) + context.extra_areas(employee.pk, today),
        _policy(),
    )
    place = context.places.get(geo.area.id) if geo.area else None
    zone_name = place.time_zone if place else settings.TIME_ZONE
    plan, record_plan = _plans(context, employee, now, zone_name, attempt.kind)
    local_date = plan.local_date
    device, device_refusal = _binding(employee, attempt, known.device)
    facts = DayFacts(
        local_date=local_date,
        time_zone=record_plan.time_zone,
        schedule=record_plan.schedule,
        day_off_code=record_plan.day_off_code,
        day_off_reason=record_plan.day_off_reason,
        absences=context.absences(employee.pk, local_date),
        counting_starts=starts_for(employee),
    )
    # The row in force for the employee's unit (a unit's own row beats the regency's).
    rules = rules_on(local_date, rule_table(known.generation), employee.unit.path)
    key = attempt.idempotency_key

    def write() -> PunchOutcome:
        # The write transaction: on SQLite committed together with the check-ins other
        # threads of this process send at the same moment (govem.db.group_commit).
        read = _read_day(employee.pk, local_date, key, device)
        if read.replay_id is not None:
            replay = _replay(employee, attempt, read.replay_id, local_date)
            if replay is not None:
                return replay
        verdict = judge(
            PunchFacts(
                kind=attempt.kind,
                at=now,
                geo=geo,
                zone_name=zone_name,
                schedule=plan.schedule,
                client_time=attempt.client_time,
                mock_location=attempt.mock_location,
                mock_policy=settings.GOVEM["MOCK_LOCATION_POLICY"],
                accuracy_max_m=settings.GOVEM["ACCURACY_MAX_M"],
                clock_skew_s=settings.GOVEM["CLOCK_SKEW_S"],
                first_in=read.first_in,
                new_device=read.new_device,
                device_refusal=device_refusal,
            )
        )
        punch, body = _insert(
            employee, attempt, now, local_date, zone_name, geo, place, device, verdict, plan, rules
        )
        if verdict.refusal is not None:
            refused = verdict.refusal
            details = receipts.with_id(refused.status, body, punch.pk)["error"]["details"]
            error = DomainError(
                refused.code, refused.message, status=refused.status, details=details
            )
            return PunchOutcome(punch, refusal=error, stored_body=body)
        day = _update_day(employee, read, punch, verdict, facts, rules, record_plan, now)
        return PunchOutcome(punch, day=day, flags=list(verdict.flags), stored_body=body)

    outcome = group_commit.write(write)
    if outcome.refusal is not None or outcome.replayed:
        return outcome
    if attempt.kind is PunchKind.OUT:
        close_resolved_checkout_case(outcome.day)
    return outcome


def _insert(
    employee: Employee,
    attempt: PunchAttempt,
    now: datetime,
    local_date: date,
    zone_name: str,
    geo: geofence.GeofenceResult,
    place: Any,
    device: Device | None,
    verdict: PunchVerdict,
    plan: DayPlan,
    rules: Rules,
) -> tuple[Punch, dict[str, Any]]:
    """The punch with its receipt and answer computed first: one INSERT, no UPDATE."""
    flags = list(verdict.flags)
    kind = attempt.kind.value
    receipt = ""
    if verdict.refusal is not None:
        refused = verdict.refusal
        status = refused.status
        body = DomainError(refused.code, refused.message, details=dict(refused.details)).as_body()
    else:
        status = 201
        receipt = receipts.receipt_for(employee.pk, kind, now, attempt.idempotency_key)
        body = receipts.document(
            kind=kind,
            verdict=verdict.verdict.value,
            flags=flags,
            server_time=now,
            local_date=local_date.isoformat(),
            time_zone=zone_name,
            location=(place.id, place.name) if place else None,
            distance_m=geo.distance_m,
            accuracy_m=attempt.accuracy_m,
            receipt=receipt,
            schedule=plan.schedule,
            late_rounding=rules.late_rounding,
            early_rounding=rules.early_rounding,
        )
    punch = _store(
        {
            "employee_id": employee.pk,
            "kind": kind,
            "server_time": now,
            "local_date": local_date,
            "time_zone": zone_name,
            "client_time": storable_time(attempt.client_time),  # refused when not storable
            "latitude": attempt.latitude,
            "longitude": attempt.longitude,
            "accuracy_m": attempt.accuracy_m,
            "distance_m": geo.distance_m,
            "location_id": place.id if place else None,
            "verdict": verdict.verdict.value,
            "flags": flags,
            "reason_code": verdict.refusal.code if verdict.refusal else "",
            "mock_location": attempt.mock_location,
            "device_id": device.pk if device is not None else None,
            "device_key": attempt.device_id[:128],
            "ip": attempt.ip,
            "user_agent": attempt.user_agent[:300],
            "idempotency_key": attempt.idempotency_key,
            "source": attempt.source,
            "receipt": receipt,
            "response_status": status,
            "response_body": body,
        },
        employee,
        device,
    )
    return punch, body


# Field classes whose get_db_prep_save returns a value of these exact types (and None) as it
# is, on both backends: CharField.to_python, float(), bool() and the auto primary key behind
# a foreign key leave them unchanged. (Not the integer fields: on PostgreSQL they wrap an int
# in psycopg's Int2/Int4/Int8.)
_AS_IS: dict[type[Any], tuple[type[Any], ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.FloatField: (float,),
    models.BooleanField: (bool,),
}
_INSERT_SQL: dict[str, tuple[str, list[Any]]] = {}


def _preparer(field: Any) -> tuple[Any, tuple[type[Any], ...]]:
    kinds = _AS_IS.get(type(field), ())
    if type(field) is models.ForeignKey and type(field.target_field) in (
        models.AutoField,
        models.BigAutoField,
    ):
        kinds = (int,)
    return field, kinds


def prepared_values(values: dict[str, Any], plan: list[Any], conn: Any) -> list[Any]:
    """``field.get_db_prep_save(value)`` for each field of ``plan``, skipping the call where
    it returns the value as it is (a fifth of the INSERT's CPU went into those calls);
    a missing value is the field's default, as ``Punch(...)`` would give it."""
    out = []
    for column, kinds in plan:
        try:
            value = values[column.attname]
        except KeyError:
            value = values[column.attname] = column.get_default()
        if value is None or type(value) in kinds:
            out.append(value)
        else:
            out.append(column.get_db_prep_save(value, conn))
    return out


def _insert_plan(conn: Any) -> tuple[str, list[Any]] | None:
    vendor = conn.vendor
    if vendor not in _INSERT_SQL:
        if not conn.features.can_return_columns_from_insert:
            return None
        q = conn.ops.quote_name
        meta = Punch._meta
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        for field in fields:  # every value is the field's own attribute (no auto_now)
            assert type(field).pre_save is models.Field.pre_save or (
                isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add)
            ), field
        _INSERT_SQL[vendor] = (
            f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {q(meta.pk.column)}",
            [_preparer(field) for field in fields],
        )
    return _INSERT_SQL[vendor]


def _store(values: dict[str, Any], employee: Employee, device: Device | None) -> Punch:
    """INSERT the punch with SQL built once per database vendor (``RETURNING`` its id), and
    the stored punch as an instance (employee and device attached).

    What ``Punch.objects.create`` sends, without composing the statement for every punch
    (a fifth of a check-in's CPU went into the compiler). Punches are not audited models:
    no save signal has a receiver.
    """
    conn = connections[DEFAULT_DB_ALIAS]
    plan = _insert_plan(conn)
    if plan is None:
        punch = Punch(**values)
        punch.save(force_insert=True)
    else:
        sql, fields = plan
        params = prepared_values(values, fields, conn)
        with hot.cursor() as cursor:
            cursor.execute(sql, params)
            pk = cursor.fetchone()[0]
        names = [field.attname for field in Punch._meta.concrete_fields]
        punch = rows.from_row(
            Punch, conn.alias, names, [pk if n == "id" else values[n] for n in names]
        )
    meta = Punch._meta
    meta.get_field("employee").set_cached_value(punch, employee)
    meta.get_field("device").set_cached_value(punch, device)
    return punch


def _update_day(
    employee: Employee,
    read: _DayRead,
    punch: Punch,
    verdict: PunchVerdict,
    facts: DayFacts,
    rules: Any,
    plan: DayPlan,
    now: datetime,
) -> DayRecord | None:
    """The day record after ``punch``: updated in place, one upsert, in this transaction.

    A day with earlier punches but no record (punches imported without a recompute) goes
    through the full recompute instead, the reference path.
    """
    record = read.record
    if (record is None and read.any_punch) or (
        rules.needs_month and not (record is not None and record["locked"])
    ):
        # The reference path: punches imported without a recompute, or a rule row whose day
        # depends on its month (TK as a share of the month, counted allowances).
        recompute_days([employee.pk], facts.local_date, facts.local_date)
        return DayRecord.objects.filter(employee=employee, date=facts.local_date).first()
    if record is not None and record["locked"]:
        return _as_record(employee.pk, facts.local_date, record)  # verified: left alone
    state = DayState(record["first_in"], record["last_out"]) if record else DayState(None, None)
    counted = CountedPunch(punch.kind, punch.server_time, counts=verdict.counts)
    after = apply_punch(state, counted, facts, rules, now=now)
    assert after.result is not None
    values = day_values(
        after.result, day_input(after, facts, rules, now), rules, plan.schedule_source
    )
    if not write_day(employee.pk, facts.local_date, values, now):
        # Locked between the read and the write (PostgreSQL): report it as it stands.
        return DayRecord.objects.filter(employee=employee, date=facts.local_date).first()
    open_case = bool(record and record["checkout_case_open"])
    return rows.build(
        DayRecord,
        {
            "id": record["id"] if record else None,
            "employee_id": employee.pk,
            "date": facts.local_date,
            "checkout_case_open": open_case,
            "locked": False,
            "computed_at": now,
            "updated_at": now,
            **values,
        },
    )


def _as_record(employee_id: int, day: date, values: dict[str, Any]) -> DayRecord:
    return DayRecord(employee_id=employee_id, date=day, **values)
