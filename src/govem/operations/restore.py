"""``govem restore``: put a backup archive back — the database and the attachments.

Attachments go back where they belong: ``media/`` and ``vapid/`` into their folders, every
other member into the Govem storage under its own name (the database storage on PostgreSQL,
the data dir on SQLite). Archives of format 1 (``private/…``) land in the same places.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from govem.errors import DomainError
from govem.files import store as files
from govem.operations import dbdump
from govem.operations.backup import archive_file, attachment_dirs, unpack


@dataclass(frozen=True)
class RestoreResult:
    created_at: str
    engine: str
    tables: int
    rows: int
    attachments: int


def _restore_attachments(archive: Path, scratch: Path) -> int:
    target = scratch / "attachments"
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(target, filter="data")
    restored = 0
    folders = attachment_dirs()
    for name, directory in folders.items():
        source = target / name
        if not source.is_dir():
            continue
        directory.mkdir(parents=True, exist_ok=True)
        for path in source.rglob("*"):
            if path.is_file():
                destination = directory / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                destination.chmod(0o600)  # the archive's mode is not trusted: private files
                restored += 1
    for path in sorted(target.rglob("*")):
        relative = path.relative_to(target).as_posix()
        if not path.is_file() or relative.split("/", 1)[0] in folders:
            continue
        if files.clean_name(relative) is None:
            continue
        with path.open("rb") as handle:
            files.put(relative, handle)
        restored += 1
    return restored


def _files_tables_present() -> None:
    """A dump leaves the files tables out: into an empty database, create them afresh."""
    connection.close()
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if set(dbdump.FILES_TABLES) <= tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s", ["files"])
    call_command("migrate", "files", verbosity=0)


def restore_backup(archive: Path | str) -> RestoreResult:
    """Replace the database with the archive's and copy its attachments back in place.

    ``archive``: a file, or a stored archive's name (``backups/govem-….tar``). The archive is
    checked (SHA-256 against its manifest) before anything is touched.
    """
    with archive_file(str(archive)) as local:
        return _restore(local)


def _restore(archive: Path) -> RestoreResult:
    with tempfile.TemporaryDirectory(prefix="govem-restore-") as tmp:
        unpacked = unpack(archive, Path(tmp) / "x")
        manifest = unpacked.manifest
        if manifest["engine"] != connection.vendor:
            raise DomainError(
                "engine_mismatch",
                f"Cadangan ini dari {manifest['engine']}, basis data sekarang {connection.vendor}.",
            )
        if manifest["engine"] == "sqlite":
            dbdump.sqlite_load(unpacked.database)
        else:
            dbdump.pg_load(unpacked.database)
            _files_tables_present()
        restored = _restore_attachments(unpacked.attachments, Path(tmp))
    counts = manifest["row_counts"]
    return RestoreResult(
        created_at=manifest["created_at"],
        engine=manifest["engine"],
        tables=len(counts),
        rows=sum(counts.values()),
        attachments=restored,
    )
