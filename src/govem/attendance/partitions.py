"""Punches partitioned by month on PostgreSQL (declarative range partitioning on
``local_date``); SQLite keeps one plain table.

``attendance_punch`` is the partitioned parent; ``attendance_punch_pYYYYMM`` hold one month
each and ``attendance_punch_default`` catches a date outside every month (an old import). The
primary key is ``(id, local_date)`` (a unique key must hold the partition key); ids still come
from one identity sequence, so they stay unique and increasing, which the feed's cursor needs.
Queries that name the date — the check-in's checks, the day's feed — touch one partition.

The worker's ``prepare`` phase creates the next months ahead (:func:`ensure_ahead`), so a
punch never lands in the default partition for want of its month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction

TABLE = "attendance_punch"
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 3


def is_partitioned(conn: Any = None) -> bool:
    conn = conn or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def existing(conn: Any = None) -> list[str]:
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
            [TABLE],
        )
        return [row[0] for row in cursor.fetchall()]


def create_month(month: date, conn: Any = None) -> bool:
    """Create the month's partition unless it exists; True when it was created."""
    conn = conn or connection
    name = partition_name(month)
    if name in existing(conn):
        return False
    start, end = month_start(month), next_month(month)
    with conn.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{TABLE}" '
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
    return True


def ensure_ahead(today: date, months: int = MONTHS_AHEAD, conn: Any = None) -> dict[str, Any]:
    """This month's and the next ``months`` months' partitions; what was created."""
    conn = conn or connection
    if not is_partitioned(conn):
        return {"partitioned": False, "created": []}
    created, month = [], month_start(today)
    for _ in range(months + 1):
        if create_month(month, conn):
            created.append(partition_name(month))
        month = next_month(month)
    moved = absorb_default(conn)
    return {
        "partitioned": True,
        "created": created,
        "moved_from_default": moved,
        "partitions": len(existing(conn)),
        "until": month_start(month).isoformat(),
    }


def prepare_step(day: date) -> dict[str, Any]:
    """The ``prepare`` phase's step: this month and the next ones partitioned."""
    return ensure_ahead(day)


def absorb_default(conn: Any = None) -> dict[str, int]:
    """Give every month found in the default partition (an import of older history) its own
    partition: the rows move in one transaction, then the month is attached."""
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', local_date)::date FROM \"{DEFAULT}\" "  # noqa: S608
            "ORDER BY 1"
        )
        months = [row[0] for row in cursor.fetchall()]
    moved: dict[str, int] = {}
    for month in months:
        name, start, end = partition_name(month), month_start(month), next_month(month)
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{TABLE}" IN SHARE ROW EXCLUSIVE MODE')
            cursor.execute(
                f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
            )
            cursor.execute(
                f'WITH gone AS (DELETE FROM "{DEFAULT}" WHERE local_date >= %s '  # noqa: S608
                f'AND local_date < %s RETURNING *) INSERT INTO "{name}" SELECT * FROM gone',
                [start, end],
            )
            moved[name] = cursor.rowcount
            cursor.execute(
                f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" '
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
    return moved


def _constraint_defs(cursor: Any, table: str) -> list[tuple[str, str, str]]:
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('f', 'u') ORDER BY conname",
        [table],
    )
    return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


def _index_defs(cursor: Any, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.tablename = %s AND i.schemaname = current_schema() "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        "AND c.conrelid = to_regclass(%s)) ORDER BY i.indexname",
        [table, table],
    )
    return [(row[0], row[1]) for row in cursor.fetchall()]


def partition_punches(conn: Any) -> None:
    """Turn the plain punches table into a partitioned one, keeping every row, index and key.

    Runs inside the migration's transaction: all or nothing.
    """
    with conn.cursor() as cursor:
        constraints = _constraint_defs(cursor, TABLE)
        indexes = _index_defs(cursor, TABLE)
        # Foreign keys into punches (the review's) cannot point at a partitioned table without
        # a unique id alone; punches are never deleted, so the application keeps that link.
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE confrelid = to_regclass(%s) AND contype = 'f'",
            [TABLE],
        )
        for table, name in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        old = f"{TABLE}_unpartitioned"
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{old}"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING IDENTITY '
            "INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE (local_date)"
        )
        cursor.execute(f'CREATE TABLE "{DEFAULT}" PARTITION OF "{TABLE}" DEFAULT')
        cursor.execute(f'SELECT min(local_date), max(local_date) FROM "{old}"')  # noqa: S608
        first, last = cursor.fetchone()
        today = date.today()
        month = month_start(first or today)
        until = month_start(max(last or today, today))
        for _ in range(MONTHS_AHEAD + 1):
            until = next_month(until)
        while month < until:
            create_month(month, conn)
            month = next_month(month)
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{old}"')  # noqa: S608
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "  # noqa: S608
            f'COALESCE((SELECT max(id) FROM "{old}"), 0) + 1, false)'
        )
        cursor.execute(f'DROP TABLE "{old}"')
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id, local_date)'
        )
        for name, kind, definition in constraints:
            if kind == "u" and "local_date" not in definition:
                continue  # a unique key without the partition key cannot exist here
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)


def unpartition_punches(conn: Any) -> None:
    """The way back (reversing the migration): one plain table with every row."""
    with conn.cursor() as cursor:
        constraints = _constraint_defs(cursor, TABLE)
        indexes = _index_defs(cursor, TABLE)
        old = f"{TABLE}_partitioned"
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{old}"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{old}" INCLUDING DEFAULTS INCLUDING IDENTITY '
            "INCLUDING CONSTRAINTS INCLUDING STORAGE)"
        )
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{old}"')  # noqa: S608
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "  # noqa: S608
            f'COALESCE((SELECT max(id) FROM "{old}"), 0) + 1, false)'
        )
        cursor.execute(f'DROP TABLE "{old}" CASCADE')
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id)')
        for name, _kind, definition in constraints:
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition.replace(" ON ONLY ", " ON "))


def install_first_punch_trigger(conn: Any = None) -> None:
    """A device's first punch stamps ``people_device.first_punch_at`` inside the INSERT (a
    row trigger): "a new phone" is then read from the devices, never from every month's
    punches, and the check-in sends no extra statement. Installed after every migrate and
    flush (SQLite drops a table's triggers when a migration rebuilds it)."""
    conn = conn or connection
    tables = set(conn.introspection.table_names())
    if not {TABLE, "people_device"} <= tables:
        return
    stamp = (
        "UPDATE people_device SET first_punch_at = NEW.server_time "
        "WHERE id = NEW.device_id AND first_punch_at IS NULL;"
    )
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "CREATE OR REPLACE FUNCTION govem_device_first_punch() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {stamp} RETURN NULL; END $$"
            )
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER govem_device_first_punch AFTER INSERT ON "{TABLE}" '
                "FOR EACH ROW WHEN (NEW.device_id IS NOT NULL) "
                "EXECUTE FUNCTION govem_device_first_punch()"
            )
        else:
            cursor.execute(
                f'CREATE TRIGGER IF NOT EXISTS govem_device_first_punch AFTER INSERT ON "{TABLE}" '
                f"WHEN NEW.device_id IS NOT NULL BEGIN {stamp} END"
            )
