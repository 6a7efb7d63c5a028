"""Each index on the check-in's two tables is one more write on every check-in: the set is
pinned, so an index added later (or Django's own on a foreign key) fails here by name."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

EXPECTED = {
    "attendance_punch": {
        ("id",),
        ("employee_id", "local_date"),
        ("employee_id", "idempotency_key", "local_date"),
        ("server_time",),
        ("device_id",),
        ("location_id",),
        ("created_by_id",),
    },
    "attendance_dayrecord": {
        ("id",),
        ("employee_id", "date"),
        ("date", "status"),
        ("updated_at",),
        ("rule_set_id",),
        ("locked_by_id",),
    },
}


@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_the_check_in_tables_carry_only_the_indexes_their_queries_use(table: str) -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    indexed = {
        tuple(info["columns"])
        for info in found.values()
        if (info["index"] or info["primary_key"] or info["unique"]) and not info["foreign_key"]
    }
    if table == "attendance_punch" and connection.vendor == "postgresql":
        # Partitioned: the primary key holds the partition key.
        indexed = {("id",) if key == ("id", "local_date") else key for key in indexed}
    assert indexed == EXPECTED[table]
