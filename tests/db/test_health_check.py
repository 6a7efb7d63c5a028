"""PostgreSQL: a reused connection is checked before each request's first query without a
round trip, and one that the server ended is replaced, not handed to the request."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's backend; SQLite has no server"
    ),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def new_request() -> None:
    # What Django does when a request starts: the next query checks the connection first.
    connection.health_check_done = False


def test_a_connection_the_server_ended_is_replaced_before_the_next_query() -> None:
    old = backend_pid()
    other = connections.create_connection("default")  # an administrator's session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [old])
    finally:
        other.close()
    deadline = time.monotonic() + 10  # the server's FATAL and its close reach the socket
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not connection.is_usable()

    new_request()
    assert backend_pid() != old  # a new session, and the request's query did not fail


def test_a_live_connection_is_kept_and_the_check_sends_nothing(monkeypatch: Any) -> None:
    old = backend_pid()
    raw = connection.connection

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the health check sent a statement")

    new_request()
    monkeypatch.setattr(raw, "cursor", refused)
    monkeypatch.setattr(raw, "execute", refused)
    connection.close_if_health_check_failed()
    monkeypatch.undo()

    assert connection.connection is raw
    assert backend_pid() == old
