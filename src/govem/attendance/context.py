"""The punch context: what judging one employee's punch needs, cached across requests.

An employee's allowed areas, their day plans around the punch's date, their approved
absences and the rule table change rarely, but loading them costs a dozen queries. Each
process keeps them per employee and trusts them only at the **generation** they were built
at: one number in the database (:class:`~govem.attendance.models.CacheGeneration`) that a
trigger bumps on every insert, update or delete in the tables listed in :data:`WATCHED`
(units, locations and their links, employees, schedules, assignments, shifts, rosters,
special periods, calendar overrides, unit calendars, approved absences, rule sets, the
counting start). The punch reads the number in the statement that authenticates it, so a
change committed on any machine takes effect on the very next punch in every process.

Triggers, not signals, because bulk imports, ``QuerySet.update`` and raw SQL bypass
signals. They are (re)installed after every ``migrate`` (:func:`install_triggers`):
SQLite drops a table's triggers when a migration rebuilds the table. A new table whose
rows change what a punch is judged against must be added to :data:`WATCHED`.

Device bindings are not cached: the authenticating statement reads the active binding
fresh, so a released device is released on the next punch.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from govem.absences.queries import approved_areas, approved_between, covering
from govem.people.models import Employee
from govem.rules import geofence
from govem.rules.bands import Rules
from govem.rules.calendar import DayPlan
from govem.rules.daystatus import Absence

GENERATION_TABLE = "attendance_cachegeneration"

# Tables whose rows change how a punch is judged or how its day is classified.
WATCHED = (
    "people_unit",
    "people_unit_locations",
    "people_worklocation",
    "people_employee",
    "people_employee_extra_locations",
    "schedules_workschedule",
    "schedules_scheduleday",
    "schedules_scheduleassignment",
    "schedules_shift",
    "schedules_rosterentry",
    "schedules_specialperiod",
    "schedules_specialperiod_units",
    "schedules_specialperiod_base_schedules",
    "schedules_calendaroverride",
    "schedules_calendaroverride_units",
    "schedules_unitcalendar",
    "absences_absencetype",
    "attendance_ruleset",
    "operations_countingstart",
)
# Only approved requests matter: a submitted or refused one does not invalidate anything.
WATCHED_WHEN_APPROVED = ("absences_absencerequest",)

MAX_EMPLOYEES = 20_000  # per process; the least recently used are dropped
_MAX_DATED = 6  # dated entries kept per employee (yesterday, today, tomorrow, a zone or two)


def generation_sql() -> str:
    """A scalar subquery for the current generation (NULL when the row is missing)."""
    return f"(SELECT value FROM {GENERATION_TABLE} WHERE id = 1)"  # noqa: S608


def current_generation() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(generation_sql().strip("()"))
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _sqlite_triggers(table: str, when_approved: bool) -> list[str]:
    # Never a value seen before, even after a rolled-back bump: the millisecond clock.
    bump = (
        f"UPDATE {GENERATION_TABLE} SET value = max(value + 1, "  # noqa: S608
        "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) WHERE id = 1;"
    )
    statements = []
    for event, row in (("INSERT", "NEW"), ("UPDATE", None), ("DELETE", "OLD")):
        condition = ""
        if when_approved:
            condition = (
                f" WHEN {row}.status = 'approved'"
                if row
                else " WHEN OLD.status = 'approved' OR NEW.status = 'approved'"
            )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS govem_gen_{table}_{event.lower()} "
            f"AFTER {event} ON {table}{condition} BEGIN {bump} END"
        )
    return statements


def _postgres_triggers(table: str, when_approved: bool) -> list[str]:
    name = f"govem_gen_{table}"
    if when_approved:
        return [
            f"CREATE OR REPLACE TRIGGER {name}_ins AFTER INSERT ON {table} FOR EACH ROW "
            "WHEN (NEW.status = 'approved') EXECUTE FUNCTION govem_bump_generation()",
            f"CREATE OR REPLACE TRIGGER {name}_upd AFTER UPDATE ON {table} FOR EACH ROW "
            "WHEN (OLD.status = 'approved' OR NEW.status = 'approved') "
            "EXECUTE FUNCTION govem_bump_generation()",
            f"CREATE OR REPLACE TRIGGER {name}_del AFTER DELETE ON {table} FOR EACH ROW "
            "WHEN (OLD.status = 'approved') EXECUTE FUNCTION govem_bump_generation()",
        ]
    # Statement level: a bulk import of 10 000 rows bumps once, not 10 000 times.
    return [
        f"CREATE OR REPLACE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION govem_bump_generation()"
    ]


def install_triggers(using: BaseDatabaseWrapper | None = None) -> int:
    """Create the generation row and every bump trigger that is missing; idempotent."""
    conn = using or connection
    tables = set(conn.introspection.table_names())
    if GENERATION_TABLE not in tables:
        return 0
    statements: list[str] = []
    if conn.vendor == "postgresql":
        # A sequence never goes back, not even when the bumping transaction rolls back:
        # no generation number is ever reused for different data.
        statements.append("CREATE SEQUENCE IF NOT EXISTS govem_generation_seq START 1000")
        statements.append(
            "CREATE OR REPLACE FUNCTION govem_bump_generation() RETURNS trigger "  # noqa: S608
            f"LANGUAGE plpgsql AS $$ BEGIN UPDATE {GENERATION_TABLE} "
            "SET value = nextval('govem_generation_seq') WHERE id = 1; RETURN NULL; END $$"
        )
    make = _postgres_triggers if conn.vendor == "postgresql" else _sqlite_triggers
    count = 0
    for table, approved in [(t, False) for t in WATCHED] + [
        (t, True) for t in WATCHED_WHEN_APPROVED
    ]:
        if table in tables:
            statements += make(table, approved)
            count += 1
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {GENERATION_TABLE} WHERE id = 1")  # noqa: S608
        if cursor.fetchone()[0] == 0:
            cursor.execute(f"INSERT INTO {GENERATION_TABLE} (id, value) VALUES (1, 1)")  # noqa: S608
        for statement in statements:
            cursor.execute(statement)
    return count


def installed_triggers(using: BaseDatabaseWrapper | None = None) -> set[str]:
    """The tables that carry a bump trigger (the health check and the tests compare)."""
    conn = using or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'govem_gen_%%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'govem_gen_%'"
            )
        return {row[0] for row in cursor.fetchall()}


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    time_zone: str


@dataclass
class PunchContext:
    """One employee's cached facts at one generation; dated parts are filled on demand."""

    generation: int | None
    employee_id: int
    areas: tuple[geofence.Area, ...]
    places: dict[int, Place]
    _extra_areas: dict[date, tuple[geofence.Area, ...]] = field(default_factory=dict)
    _plans: dict[tuple[str, date], tuple[dict[date, DayPlan], dict[date, DayPlan]]] = field(
        default_factory=dict
    )
    _absences: dict[date, dict[date, tuple[Absence, ...]]] = field(default_factory=dict)

    def extra_areas(self, day: date) -> tuple[geofence.Area, ...]:
        """Approved dinas luar / WFH locations on ``day`` (inside the geofence then)."""
        found = self._extra_areas.get(day)
        if found is None:
            found = approved_areas(self.employee_id, day)
            _remember(self._extra_areas, day, found)
        return found

    def plans(
        self, employee: Employee, local_date: date, time_zone: str
    ) -> tuple[dict[date, DayPlan], dict[date, DayPlan]]:
        """(plans around ``local_date`` in ``time_zone``, the same in the employee's zone)."""
        key = (time_zone, local_date)
        found = self._plans.get(key)
        if found is None:
            from govem.schedules.queries import punch_plans

            found = punch_plans(employee, local_date, time_zone)
            _remember(self._plans, key, found)
        return found

    def absences(self, day: date) -> tuple[Absence, ...]:
        """The approved absences covering ``day`` (loaded for the dates around it)."""
        for around in self._absences.values():
            if day in around:
                return around[day]
        days = [date.fromordinal(day.toordinal() + n) for n in (-1, 0, 1)]
        spans = approved_between([self.employee_id], days[0], days[-1]).get(self.employee_id, [])
        around = {one: covering(spans, one) for one in days}
        _remember(self._absences, day, around)
        return around[day]


def _remember(store: dict[Any, Any], key: Any, value: Any) -> None:
    with _lock:
        if len(store) >= _MAX_DATED:
            store.pop(next(iter(store)))
        store[key] = value


_lock = threading.Lock()
_contexts: OrderedDict[int, PunchContext] = OrderedDict()
_rules: dict[int | None, tuple[Rules, ...]] = {}


def _areas(employee: Employee) -> tuple[tuple[geofence.Area, ...], dict[int, Place]]:
    locations = list(
        employee.allowed_locations().values_list(
            "id", "name", "latitude", "longitude", "radius_m", "polygon", "time_zone"
        )
    )
    areas = tuple(
        geofence.Area(
            id=pk,
            name=name,
            centre=geofence.Point(lat, lon),
            radius_m=float(radius),
            polygon=tuple(geofence.Point(float(p[0]), float(p[1])) for p in polygon or ()),
        )
        for pk, name, lat, lon, radius, polygon, _zone in locations
    )
    places = {row[0]: Place(row[0], row[1], row[6]) for row in locations}
    return areas, places


def context_for(employee: Employee, generation: int | None) -> PunchContext:
    """The employee's context at ``generation``: from this process's cache when it is the
    one stored, else loaded (and stored, unless the generation is unknown)."""
    with _lock:
        cached = _contexts.get(employee.pk)
        if cached is not None and generation is not None and cached.generation == generation:
            _contexts.move_to_end(employee.pk)
            return cached
    areas, places = _areas(employee)
    context = PunchContext(generation, employee.pk, areas, places)
    if generation is not None:
        with _lock:
            _contexts[employee.pk] = context
            _contexts.move_to_end(employee.pk)
            while len(_contexts) > MAX_EMPLOYEES:
                _contexts.popitem(last=False)
    return context


def rule_table(generation: int | None) -> tuple[Rules, ...]:
    """The dated rule table, shared by every employee of the process at one generation."""
    with _lock:
        found = _rules.get(generation) if generation is not None else None
    if found is None:
        from govem.attendance.days import rule_table as load

        found = tuple(load())
        if generation is not None:
            with _lock:
                _rules.clear()
                _rules[generation] = found
    return found


def forget() -> None:
    """Drop this process's cache (tests)."""
    with _lock:
        _contexts.clear()
        _rules.clear()
