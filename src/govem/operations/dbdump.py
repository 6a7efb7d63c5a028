"""Dumping and loading the database, per engine, with row counts of what was dumped.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
  while the server keeps writing; the counts are taken from the copy.
- PostgreSQL: ``pg_dump --format=custom`` runs on a snapshot exported from a REPEATABLE READ
  transaction, and the counts are taken in that same transaction, so they describe exactly
  what the dump holds even while punches arrive. Loading uses ``pg_restore``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from govem.errors import DomainError
from govem.operations import texts

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
# The Govem storage's tables (govem.files): their files travel in attachments.tar.gz, and the
# stored backups must neither be in the next dump nor be dropped by a restore.
FILES_TABLES = ("files_filechunk", "files_storedfile")


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise DomainError(
            "unsupported_database",
            _(texts.UNSUPPORTED_DATABASE) % {"vendor": vendor},
        )
    return vendor


def dump_name() -> str:
    return SQLITE_FILE if engine() == "sqlite" else PG_FILE


# --- SQLite -----------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(str(connection.settings_dict["NAME"]))


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        table: int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608
        for table in tables
    }


def sqlite_dump(target: Path) -> dict[str, int]:
    source = sqlite3.connect(_sqlite_path(), timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        return sqlite_counts(copy)
    finally:
        copy.close()
        source.close()


def sqlite_scratch_counts(dump: Path, scratch: Path) -> dict[str, int]:
    """Load ``dump`` into a scratch file by the backup API; its integrity and row counts."""
    source = sqlite3.connect(dump)
    target = sqlite3.connect(scratch)
    try:
        source.backup(target)
        verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise DomainError("backup_corrupt", _(texts.SQLITE_COPY_BROKEN) % {"detail": verdict})
        return sqlite_counts(target)
    finally:
        target.close()
        source.close()


def sqlite_load(dump: Path) -> None:
    """Replace the live database's content with ``dump`` (online, WAL-safe)."""
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(_sqlite_path(), timeout=60)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_params(dbname: str | None = None) -> dict[str, Any]:
    settings = connection.settings_dict
    params: dict[str, Any] = {"dbname": dbname or settings["NAME"]}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host")):
        if settings.get(key):
            params[name] = settings[key]
    if settings.get("PORT"):
        params["port"] = str(settings["PORT"])
    return params


def _pg_env(dbname: str | None = None) -> dict[str, str]:
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    env = dict(os.environ)
    for key, value in _pg_params(dbname).items():
        env[names[key]] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DomainError(
            f"{name.replace('_', '')}_missing",
            _(texts.COMMAND_MISSING) % {"command": name},
        )
    return path


LOCK_WAIT_S = 60


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    # The program is a resolved pg_dump/pg_restore path; the arguments are built here.
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise DomainError(
            f"{what}_failed",
            _(texts.COMMAND_FAILED) % {"command": what, "detail": " ".join(detail)[:500]},
        )


def pg_counts(cursor: Any) -> dict[str, int]:
    # psycopg only on the PostgreSQL path (a SQLite install never loads libpq here)
    from psycopg import sql

    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [row[0] for row in cursor.fetchall() if row[0] not in FILES_TABLES]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = int(cursor.fetchone()[0])
    return counts


def pg_dump(target: Path) -> dict[str, int]:
    # psycopg only on the PostgreSQL path (a SQLite install never loads libpq here)
    import psycopg

    tool = _tool("pg_dump")
    with psycopg.connect(**_pg_params()) as conn, conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # A backup behind a migration's or a partition's exclusive lock fails with a clear
        # error (the phase reports it, the next run retries) instead of waiting for ever.
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT_S}s'")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]  # type: ignore[index]  # one row: the snapshot id
        try:
            counts = pg_counts(cursor)
        except psycopg.errors.LockNotAvailable as exc:
            raise DomainError(
                "pg_dump_locked",
                _(texts.DUMP_LOCKED) % {"seconds": LOCK_WAIT_S},
            ) from exc
        excluded = [f"--exclude-table={table}" for table in FILES_TABLES]
        _run(
            [
                tool,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--lock-wait-timeout={LOCK_WAIT_S * 1000}",
                *excluded,
                f"--file={target}",
            ],
            _pg_env(),
            "pg_dump",
        )
    return counts


@contextmanager
def pg_scratch_database() -> Iterator[str]:
    """A scratch database on the same server, dropped afterwards."""
    # psycopg only on the PostgreSQL path (a SQLite install never loads libpq here)
    import psycopg
    from psycopg import sql

    base = str(connection.settings_dict["NAME"])[:40]
    name = f"{base}_verify_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(**_pg_params(), autocommit=True)
    except psycopg.Error as exc:
        raise DomainError("verify_failed", _(texts.CANNOT_CONNECT) % {"detail": exc}) from exc
    with admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.Error as exc:
            raise DomainError(
                "verify_failed",
                _(texts.NO_SCRATCH_DATABASE) % {"detail": str(exc).strip()[:200]},
            ) from exc
        try:
            yield name
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def pg_scratch_counts(dump: Path) -> dict[str, int]:
    # psycopg only on the PostgreSQL path (a SQLite install never loads libpq here)
    import psycopg

    tool = _tool("pg_restore")
    with pg_scratch_database() as scratch:
        args = [tool, "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={scratch}"]
        _run([*args, str(dump)], _pg_env(scratch), "pg_restore")
        with psycopg.connect(**_pg_params(scratch)) as conn, conn.cursor() as cursor:
            return pg_counts(cursor)


def pg_load(dump: Path) -> None:
    """Replace the live database's objects with those in ``dump``, in one transaction.

    ``pg_restore --clean`` cannot drop a partition's inherited keys one by one, so the
    partitioned tables (the punches) are dropped first — in the same transaction as the
    restore script, which psql runs with ``--single-transaction``: all or nothing.
    """
    # psycopg only on the PostgreSQL path (a SQLite install never loads libpq here)
    import psycopg

    restore, psql = _tool("pg_restore"), _tool("psql")
    connection.close()
    name = str(connection.settings_dict["NAME"])
    with psycopg.connect(**_pg_params(name)) as conn:
        partitioned = [
            row[0]
            for row in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'p' AND n.nspname = current_schema() ORDER BY 1"
            ).fetchall()
        ]
    drops = [f'DROP TABLE IF EXISTS "{table}" CASCADE;' for table in partitioned]
    script = [restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "-f", "-"]
    env = _pg_env(name)
    # Both programs are resolved pg_restore/psql paths; the arguments are built here.
    # pg_restore's messages go to a file, not a pipe: nobody reads a pipe while psql runs, and a
    # full one would stall the restore. The with-blocks close every handle whatever happens.
    with tempfile.TemporaryFile() as produced_errors:
        with subprocess.Popen(  # noqa: S603
            [*script, str(dump)], env=env, stdout=subprocess.PIPE, stderr=produced_errors
        ) as producer:
            consumer = subprocess.run(  # noqa: S603
                [psql, "--single-transaction", "-v", "ON_ERROR_STOP=1", "-q", "-X",
                 *(arg for drop in drops for arg in ("-c", drop)), "-f", "-", f"--dbname={name}"],
                env=env, stdin=producer.stdout, capture_output=True, text=True, check=False,
            )  # fmt: skip
        produced = producer.returncode
        produced_errors.seek(0)
        error = produced_errors.read().decode(errors="replace")
    if produced != 0 or consumer.returncode != 0:
        detail = (consumer.stderr or error or consumer.stdout).strip().splitlines()[-3:]
        raise DomainError(
            "pg_restore_failed",
            _(texts.COMMAND_FAILED) % {"command": "pg_restore", "detail": " ".join(detail)[:500]},
        )
