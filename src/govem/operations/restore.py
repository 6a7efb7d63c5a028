"""``govem restore``: put a backup archive back — the database and the attachments."""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from govem.errors import DomainError
from govem.operations import dbdump
from govem.operations.backup import attachment_dirs, unpack


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
    for name, directory in attachment_dirs().items():
        source = target / name
        if not source.is_dir():
            continue
        directory.mkdir(parents=True, exist_ok=True)
        for path in source.rglob("*"):
            if path.is_file():
                destination = directory / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                restored += 1
    return restored


def restore_backup(archive: Path) -> RestoreResult:
    """Replace the database with the archive's and copy its attachments back in place.

    The archive is checked (SHA-256 against its manifest) before anything is touched.
    """
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
        files = _restore_attachments(unpacked.attachments, Path(tmp))
    counts = manifest["row_counts"]
    return RestoreResult(
        created_at=manifest["created_at"],
        engine=manifest["engine"],
        tables=len(counts),
        rows=sum(counts.values()),
        attachments=files,
    )
