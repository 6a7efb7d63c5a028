"""PostgreSQL: the check-in's prepared statements share one kept cursor per connection, and
a statement run while another's rows are still being read never overwrites them."""

from __future__ import annotations

import pytest
from django.db import connection

from govem.db import hot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's prepared cursor; SQLite: plain"
    ),
]

NUMBERS = "SELECT n FROM generate_series(1, %s::int) AS n"


def test_consecutive_statements_reuse_one_prepared_cursor() -> None:
    with hot.cursor() as first:
        first.execute(NUMBERS, [3])
        assert [n for (n,) in first.fetchall()] == [1, 2, 3]
        used = first.cursor
    with hot.cursor() as second:
        second.execute(NUMBERS, [2])
        assert [n for (n,) in second.fetchall()] == [1, 2]
        assert second.cursor is used
        assert not used.closed


def test_a_statement_inside_another_gets_its_own_cursor() -> None:
    with hot.cursor() as outer:
        outer.execute(NUMBERS, [3])
        assert outer.fetchone() == (1,)
        with hot.cursor() as inner:
            inner.execute(NUMBERS, [5])
            assert len(inner.fetchall()) == 5
            assert inner.cursor is not outer.cursor
        spare = inner.cursor
        assert outer.fetchall() == [(2,), (3,)]  # the outer rows are untouched
    assert spare.closed  # the extra cursor is closed, the kept one handed back
    with hot.cursor() as again:
        assert again.cursor is outer.cursor


def test_a_new_connection_gets_a_new_cursor() -> None:
    with hot.cursor() as before:
        before.execute(NUMBERS, [1])
        before.fetchall()
    connection.close()
    with hot.cursor() as after:
        after.execute(NUMBERS, [1])
        assert after.fetchall() == [(1,)]
        assert after.cursor is not before.cursor
