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

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from govem.absences.queries import approved_between, covering
from govem.attendance.days import rule_table as load
from govem.people.models import Employee
from govem.rules import geofence
from govem.rules.bands import Rules
from govem.rules.calendar import DayPlan
from govem.rules.daystatus import Absence

logger = logging.getLogger(__name__)

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
    "schedules_periodschedule",
    "schedules_calendaroverride",
    "schedules_calendaroverride_units",
    "schedules_unitcalendar",
    "absences_absencetype",
    "attendance_ruleset",
    "operations_countingstart",
)
# Only approved requests matter: a submitted or refused one does not invalidate anything.
WATCHED_WHEN_APPROVED = ("absences_absencerequest",)


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


_WINDOW = 2  # days either side of the server's date: a punch's date is within one of it


class UnitContext:
    """Everything punches of one root unit's employees need, at one generation, for the
    dates around one server date: plans (:class:`~govem.schedules.queries.PlanSnapshot`),
    allowed areas, approved absences and dinas-luar/WFH areas. Loaded in a constant number
    of queries the first time any of its employees punches in this process; read-only after.
    """

    def __init__(self, root_path: str, today: date, generation: int | None) -> None:
        # absences imports attendance at module level: a top-level import would be circular
        # people imports attendance too: local, so neither app loads the other at import
        # schedules imports attendance too: local, so neither app loads the other at import
        from govem.absences.models import AbsenceRequest
        from govem.people.models import Unit, WorkLocation
        from govem.schedules.queries import PlanSnapshot

        start = today - timedelta(days=_WINDOW)
        end = today + timedelta(days=_WINDOW)
        self.generation = generation
        self.today = today
        self.plans = PlanSnapshot(root_path, start, end)
        rows = WorkLocation.objects.filter(active=True).values_list(
            "id", "name", "latitude", "longitude", "radius_m", "polygon", "time_zone"
        )
        self.places: dict[int, Place] = {}
        self._areas: dict[int, geofence.Area] = {}
        for pk, name, lat, lon, radius, polygon, zone in rows:
            self.places[pk] = Place(pk, name, zone)
            self._areas[pk] = geofence.Area(
                id=pk,
                name=name,
                centre=geofence.Point(lat, lon),
                radius_m=float(radius),
                polygon=tuple(geofence.Point(float(p[0]), float(p[1])) for p in polygon or ()),
            )
        self._unit_locations: dict[int, list[int]] = {}
        for unit_id, location_id in Unit.locations.through.objects.values_list(
            "unit_id", "worklocation_id"
        ):
            self._unit_locations.setdefault(unit_id, []).append(location_id)
        ids = list(self.plans.ctx.employees)
        self._extras: dict[int, list[int]] = {}
        extras = Employee.extra_locations.through.objects.filter(
            employee__unit__path__startswith=root_path
        )
        for employee_id, location_id in extras.values_list("employee_id", "worklocation_id"):
            self._extras.setdefault(employee_id, []).append(location_id)
        self._absences = approved_between(ids if len(ids) <= 1000 else None, start, end)
        self._located: dict[int, list[tuple[date, date, geofence.Area]]] = {}
        located = AbsenceRequest.objects.filter(
            employee__unit__path__startswith=root_path,
            status=AbsenceRequest.Status.APPROVED,
            type__code__in=("DL", "WFH"),
            start_date__lte=end,
            end_date__gte=start,
            latitude__isnull=False,
            longitude__isnull=False,
            radius_m__isnull=False,
        ).values_list(
            "employee_id", "start_date", "end_date", "pk", "type__name", "latitude", "longitude",
            "radius_m",
        )  # fmt: skip
        for employee_id, first, last, pk, name, lat, lon, radius in located.order_by("pk"):  # type: ignore[assignment]
            area = geofence.Area(
                id=-pk, name=name, centre=geofence.Point(lat, lon), radius_m=float(radius)
            )
            self._located.setdefault(employee_id, []).append((first, last, area))

    def knows(self, employee_id: int) -> bool:
        return self.plans.knows(employee_id)

    def areas(self, employee_id: int) -> tuple[geofence.Area, ...]:
        """As ``Employee.allowed_locations()``: the unit chain's locations and the extras."""
        _unit_id, chain = self.plans.ctx.employees[employee_id]
        ids = {pk for unit in chain for pk in self._unit_locations.get(unit, ())}
        ids.update(self._extras.get(employee_id, ()))
        return tuple(self._areas[pk] for pk in sorted(ids) if pk in self._areas)

    def extra_areas(self, employee_id: int, day: date) -> tuple[geofence.Area, ...]:
        """Approved dinas luar / WFH locations on ``day`` (inside the geofence then)."""
        spans = self._located.get(employee_id, ())
        return tuple(area for first, last, area in spans if first <= day <= last)

    def absences(self, employee_id: int, day: date) -> tuple[Absence, ...]:
        return covering(self._absences.get(employee_id, []), day)

    def day_plans(
        self, employee_id: int, local_date: date, time_zone: str
    ) -> tuple[dict[date, DayPlan], dict[date, DayPlan]]:
        """(plans around ``local_date`` in ``time_zone``, the same in the employee's zone)."""
        days = [local_date + timedelta(days=n) for n in (-1, 0, 1)]
        in_zone = {day: self.plans.plan(employee_id, day, time_zone) for day in days}
        own = self.plans.zone(employee_id)
        if own == time_zone:
            return in_zone, in_zone
        return in_zone, {day: self.plans.plan(employee_id, day, own) for day in days}


_lock = threading.Lock()
_units: OrderedDict[str, UnitContext] = OrderedDict()
_loading: dict[str, threading.Lock] = {}  # one load at a time per root unit
_rules: dict[int | None, tuple[Rules, ...]] = {}
MAX_UNITS = 256  # root units per process; the least recently used are dropped


def _root_path(employee: Employee) -> str:
    chain = employee.unit.path.strip("/").split("/")
    return f"/{chain[0]}/" if chain and chain[0] else employee.unit.path


def _stored(root: str, employee_id: int | None, generation: int, today: date) -> UnitContext | None:
    """The stored context of ``root`` when it is current (and knows the employee, if one is
    named); under ``_lock``."""
    cached = _units.get(root)
    if (
        cached is not None
        and cached.generation == generation
        and cached.today == today
        and (employee_id is None or cached.knows(employee_id))
    ):
        _units.move_to_end(root)
        return cached
    return None


def _current(root: str, employee_id: int | None, generation: int, today: date) -> UnitContext:
    """The stored context of ``root``, else loaded and stored; one load at a time per root."""
    with _lock:
        found = _stored(root, employee_id, generation, today)
        if found is not None:
            return found
        gate = _loading.setdefault(root, threading.Lock())
    with gate:
        with _lock:
            found = _stored(root, employee_id, generation, today)
        if found is not None:
            return found
        context = UnitContext(root, today, generation)
        with _lock:
            _units[root] = context
            _units.move_to_end(root)
            while len(_units) > MAX_UNITS:
                evicted, _ = _units.popitem(last=False)
                _loading.pop(evicted, None)
    return context


def unit_context(employee: Employee, generation: int | None, today: date) -> UnitContext:
    """The context of the employee's root unit at ``generation`` for ``today``: this
    process's copy when it is the one stored, else loaded (and stored, unless the
    generation is unknown — then nothing is trusted across requests).

    One thread loads a root at a time: when the first punches of the day (or the first
    after a change) arrive together, the others wait for that load and take it instead of
    each running the same dozen queries.
    """
    root = _root_path(employee)
    if generation is None:
        return UnitContext(root, today, generation)
    return _current(root, employee.pk, generation, today)


def refresh(today: date | None = None) -> int:
    """Load ahead of the punches what this process would otherwise load on the next one:
    every held root unit's context that is stale (an older generation, yesterday's date),
    or, when it holds none yet, every root unit's (at most :data:`MAX_UNITS`). Returns the
    number loaded. The punch still compares generations, so this only moves loads earlier;
    it never makes a punch trust an old copy."""
    # people imports attendance too: local, so neither app loads the other at import
    from govem.people.models import Unit

    generation = current_generation()
    if generation is None:
        return 0
    today = today or timezone.localdate()
    with _lock:
        roots = list(_units)
    if not roots:
        roots = list(
            Unit.objects.filter(parent=None)
            .order_by("path")
            .values_list("path", flat=True)[:MAX_UNITS]
        )
    loaded = 0
    for root in roots:
        with _lock:
            fresh = _stored(root, None, generation, today) is not None
        if not fresh:
            _current(root, None, generation, today)
            loaded += 1
    return loaded


def start_refresher(interval_s: float, stop: threading.Event | None = None) -> threading.Thread:
    """A daemon thread that calls :func:`refresh` now and then every ``interval_s``
    seconds until ``stop`` is set (``govem serve`` starts one per worker process:
    ``GOVEM_CONTEXT_REFRESH_S``), so that the morning's first punches, and the first after a
    change, find their unit loaded."""
    stopped = stop or threading.Event()

    def loop() -> None:
        while not stopped.is_set():
            try:
                refresh()
            except Exception:  # a failed refresh only leaves the load to the next punch
                logger.exception("punch context refresh failed")
            finally:
                connection.close()
            stopped.wait(interval_s)

    thread = threading.Thread(target=loop, name="govem-context-refresh", daemon=True)
    thread.start()
    return thread


def rule_table(generation: int | None) -> tuple[Rules, ...]:
    """The dated rule table, shared by every employee of the process at one generation."""
    with _lock:
        found = _rules.get(generation) if generation is not None else None
    if found is None:
        found = tuple(load())
        if generation is not None:
            with _lock:
                _rules.clear()
                _rules[generation] = found
    return found


def forget() -> None:
    """Drop this process's cache (tests)."""
    with _lock:
        _units.clear()
        _loading.clear()
        _rules.clear()
