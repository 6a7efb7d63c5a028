"""A cursor for the check-in's prebuilt statements: prepared once per connection on PostgreSQL.

Django's psycopg 3 backend binds parameters on the client (``ClientCursor``): every
statement arrives as new text that PostgreSQL parses and plans again. The check-in's few
statements are built once per process (the token lookup, the day's state, the punch
INSERT, the day-record upsert) and differ only in their values, so on PostgreSQL
:func:`cursor` hands out a server-binding cursor that executes them as **prepared
statements** (psycopg's ``prepare=True``: parsed and planned once per connection, then only
bound and executed). It is Django's own cursor wrapper around it, so the statements are
logged, counted and wrapped (``execute_wrapper``) as every other.

``GOVEM_DB_PREPARE=0`` turns it off: a connection pooler that does not carry prepared
statements across the server connections it hands out (PgBouncer in transaction mode
before 1.21, or without ``max_prepared_statements``) needs that. On SQLite it is the plain
cursor (SQLite's own statement cache already keeps the compiled statements).
"""

from __future__ import annotations

from typing import Any

from django.db import connection, connections

_classes: dict[str, Any] = {}
# Kept cursors handed out and not yet handed back (each thread has its own connection and
# kept cursor; the set only ever holds those in use, one per thread at most).
_busy: set[Any] = set()


def _class(name: str) -> Any:
    """The prepared cursor class and its debug wrapper (PostgreSQL's modules, loaded once)."""
    if not _classes:
        # PostgreSQL's backend and psycopg only on PostgreSQL: SQLite never loads them
        from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
        from django.db.backends.utils import CursorWrapper
        from psycopg.errors import DataError

        class PreparedCursor(ServerBindingCursor):
            """Server-side binding; every execute prepared (psycopg keeps them per connection)."""

            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                kwargs.setdefault("prepare", True)
                return super().execute(query, params, **kwargs)  # type: ignore[misc]

        class LoggedCursor(CursorDebugWrapper):
            """The query log (DEBUG, tests) with the values in the SQL, as for every other
            statement: a prepared statement's own text only has ``$1``."""

            def execute(self, sql: Any, params: Any = None) -> Any:
                try:
                    shown = self.db.ops.compose_sql(sql, params) if params else sql
                except DataError:  # as Django's own log: the SQL as it is then
                    shown = sql
                with self.debug_sql(shown, params):
                    return CursorWrapper.execute(self, sql, params)

        class KeptCursor(CursorWrapper):
            """Django's wrapper over the connection's kept cursor: leaving the ``with``
            block hands that cursor back for the next statement instead of closing it."""

            def close(self) -> None:
                _hand_back(self.cursor)

        class KeptLoggedCursor(LoggedCursor):
            def close(self) -> None:
                _hand_back(self.cursor)

        _classes.update(prepared=PreparedCursor, logged=KeptLoggedCursor, plain=KeptCursor)
    return _classes[name]


def enabled() -> bool:
    """PostgreSQL with a prepare threshold (settings: unless ``GOVEM_DB_PREPARE=0``); psycopg
    prepares nothing at all while the connection's threshold is None."""
    return (
        connection.vendor == "postgresql"
        and connection.settings_dict["OPTIONS"].get("prepare_threshold") is not None
    )


def cursor() -> Any:
    """Django's cursor over a prepared, server-binding psycopg cursor (PostgreSQL), or the
    ordinary cursor. Only for statements whose SQL text is fixed and whose parameters PostgreSQL
    can type from their context (no bare ``%s`` in a SELECT list)."""
    if not enabled():
        return connection.cursor()
    # As Django's BaseDatabaseWrapper._cursor and the PostgreSQL backend's create_cursor.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _kept_cursor(connections[connection.alias])
        # As BaseDatabaseWrapper._prepare_cursor, with the log's SQL composed.
        connection.validate_thread_sharing()
        if connection.queries_logged:
            return _class("logged")(raw, connection)
        return _class("plain")(raw, connection)


def _kept_cursor(wrapper: Any) -> Any:
    """The prepared psycopg cursor this connection keeps, made on its first hot statement and
    handed out again to the next ones (a new cursor per statement cost its adapters, loaders
    and the time zone check each time: ~12 µs). While one is in use (a ``with`` block not
    left yet), another statement gets a cursor of its own, so no statement ever overwrites
    the rows of one still being read. ``wrapper`` is this thread's Django connection."""
    raw_connection = wrapper.connection
    kept = getattr(wrapper, "_govem_hot_cursor", None)
    if kept is not None and kept.connection is raw_connection and not kept.closed:
        if kept not in _busy:
            _busy.add(kept)
            return kept
        return _new_cursor(wrapper)
    if kept is not None:  # the connection was replaced: its cursor is never handed out again
        _busy.discard(kept)
    kept = _new_cursor(wrapper)
    wrapper._govem_hot_cursor = kept
    _busy.add(kept)
    return kept


def _new_cursor(wrapper: Any) -> Any:
    # PostgreSQL's backend and psycopg only on PostgreSQL: SQLite never loads them
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    raw = _class("prepared")(wrapper.connection)
    loader = wrapper.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if wrapper.timezone != loader.timezone:
        register_tzloader(wrapper.timezone, raw)
    return raw


def _hand_back(raw: Any) -> None:
    """End of a ``with hot.cursor()`` block: the kept cursor is free again; one made
    because it was in use is closed."""
    if raw in _busy:
        _busy.discard(raw)
    else:
        raw.close()
