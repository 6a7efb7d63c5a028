"""Punches partitioned by month on PostgreSQL; SQLite keeps one plain table.

The plan tests run every statement that a check-in and a feed poll send to the punches table
through EXPLAIN and count the partitions the plan touches: one.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from govem.attendance import partitions
from govem.attendance.models import Punch
from govem.attendance.services import _READ_PARAMS, DAY_STATE_FUNCTION, _read_template
from govem.operations.phases import run_phase

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL's; SQLite: plain table"
)
PARTITION = re.compile(r"attendance_punch_(p\d{6}|default)\b")


@pytest.mark.django_db
def test_it_partitions_on_postgresql_and_keeps_a_plain_table_on_sqlite() -> None:
    assert partitions.is_partitioned() == (connection.vendor == "postgresql")
    if connection.vendor == "sqlite":
        assert partitions.ensure_ahead(date(2026, 11, 30)) == {"partitioned": False, "created": []}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_prepare_phase_creates_the_next_months_ahead(employee: Any) -> None:
    day = date(2031, 5, 14)
    run = run_phase(day, "prepare")
    assert run is not None
    step = run.result["steps"]["punch_partitions"]
    assert step["ok"], step
    names = [partitions.partition_name(date(2031, m, 1)) for m in (5, 6, 7, 8)]
    assert step["value"]["created"] == names
    assert set(names) <= set(partitions.existing())
    assert step["value"]["until"] == "2031-09-01"
    # Run again (another date, the same months): nothing new, nothing fails.
    assert partitions.ensure_ahead(day + timedelta(days=1))["created"] == []


def _function_body(sql: str) -> str:
    """The day's state is a function call on PostgreSQL: its body with the call's values."""
    call = re.fullmatch(rf"SELECT \* FROM {DAY_STATE_FUNCTION}\((.*)\)", sql)  # noqa: S608
    if call is None:
        return sql
    values = dict(zip(_READ_PARAMS, call.group(1).split(", "), strict=True))
    body = _read_template()
    for name, value in values.items():
        body = body.replace(f"{{{name}}}", value)
    return body


def _plans(queries: list[dict[str, Any]]) -> list[tuple[str, set[str]]]:
    touched = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = _function_body(query["sql"])
            if "attendance_punch" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            if os.environ.get("GOVEM_SHOW_PLANS"):
                print(f"\n-- {sql}\n{plan}")
            touched.append((sql, {m.group(0) for m in PARTITION.finditer(plan)}))
    return touched


@postgres_only
@pytest.mark.django_db
def test_a_check_in_and_the_feed_read_one_partition(
    phone: Any, clock: Any, client: Any, admin_user: Any
) -> None:
    for month in (date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)):
        partitions.create_month(month)
    first = phone.punch("in")  # the day's first: its checks see an empty day
    assert first.status_code == 201, first.content
    clock.shift(timedelta(hours=9))
    with CaptureQueriesContext(connection) as punch_queries:
        response = phone.punch("out")
    assert response.status_code == 201, response.content
    assert Punch.objects.filter(local_date=date(2026, 11, 30)).count() == 2

    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as feed_queries:
        feed = client.get("/monitor/feed", {"date": "2026-11-30", "after": "0:0"})
    assert feed.status_code == 200, feed.content

    checked = _plans(punch_queries.captured_queries) + _plans(feed_queries.captured_queries)
    assert checked, "no statement read the punches table"
    wide = [
        (sql, sorted(touched))
        for sql, touched in checked
        if touched != {"attendance_punch_p202611"}
    ]
    assert not wide, wide


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_every_punch_into_its_month_and_back(phone: Any, clock: Any) -> None:
    assert phone.punch("in").status_code == 201
    clock.shift(timedelta(days=-40))
    assert phone.punch("in").status_code == 201
    before = sorted(Punch.objects.values_list("id", "local_date", "receipt"))

    executor = MigrationExecutor(connection)
    executor.migrate([("attendance", "0007_seed_banjarmasin_example")])
    assert not partitions.is_partitioned()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert partitions.is_partitioned()

    assert sorted(Punch.objects.values_list("id", "local_date", "receipt")) == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT local_date, tableoid::regclass::text FROM attendance_punch")
        homes = dict(cursor.fetchall())
    assert homes == {
        date(2026, 11, 30): "attendance_punch_p202611",
        date(2026, 10, 21): "attendance_punch_p202610",
    }
    # Ids continue after the copied ones.
    clock.shift(timedelta(days=40, hours=9))
    later = phone.punch("out")
    assert later.status_code == 201 and later.json()["id"] > max(pk for pk, _, _ in before)
