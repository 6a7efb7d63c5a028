"""Backups ("Lakukan backup data presensi harian"): one archive per backup, verified.

``govem-YYYYMMDD-HHMMSS.tar`` holds ``manifest.json`` (SHA-256 and size of every file, row
counts per table, creation time, Govem version, engine), the database dump
(``database.sqlite3`` or ``database.pgdump``) and ``attachments.tar.gz``: every file of the
Govem storage (:mod:`govem.files`: request evidence, ticket screenshots, clarification answers,
report drafts — not the transient import previews nor the backups themselves), ``MEDIA_ROOT``
and the Web Push key. Verification loads the dump into a scratch database and compares its row
counts with the manifest. Retention keeps the newest backup of each of the last N days, weeks
and months (and everything from the last 24 hours).

Where the archive goes: with the database storage (PostgreSQL, several nodes) into the storage
as ``backups/<file>`` (every node lists, verifies and restores it; the dump leaves out the
files tables, whose content is in ``attachments.tar.gz``); with the local storage into
``GOVEM_BACKUP_DIR``. An explicit ``--dest`` or ``GOVEM_BACKUP_DIR`` always means that folder.

Settings (environment): ``GOVEM_BACKUP_DIR`` (default ``DATA_DIR/backups``),
``GOVEM_BACKUP_MIRROR_DIR`` (a second copy, e.g. another disk or a mounted share),
``GOVEM_BACKUP_KEEP_DAILY`` / ``_WEEKLY`` / ``_MONTHLY`` (7 / 4 / 12).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govem.errors import DomainError
from govem.files import store as files
from govem.operations import dbdump, texts
from govem.operations.models import Backup

MANIFEST = "manifest.json"
ATTACHMENTS = "attachments.tar.gz"
FORMAT = 2
STORED_PREFIX = "backups/"
# Storage folders a backup carries: the transient import previews and the backups are not.
CARRIED = ("private/", "reports/")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise DomainError(
            "invalid_setting",
            _("%(setting)s=%(value)r bukan bilangan bulat.") % {"setting": name, "value": raw},
        ) from exc
    return max(value, 0)


def backup_dir() -> Path:
    raw = os.environ.get("GOVEM_BACKUP_DIR", "").strip()
    return Path(raw).resolve() if raw else Path(settings.DATA_DIR) / "backups"


def mirror_dir() -> Path | None:
    raw = os.environ.get("GOVEM_BACKUP_MIRROR_DIR", "").strip()
    return Path(raw).resolve() if raw else None


def in_storage(dest: Path | None = None) -> bool:
    """Whether archives go into the Govem storage (database storage, no folder asked for)."""
    if dest is not None or os.environ.get("GOVEM_BACKUP_DIR", "").strip():
        return False
    return files.kind() == "database"


def attachment_dirs() -> dict[str, Path]:
    """Archive name → directory of the files outside the Govem storage."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "vapid": Path(settings.DATA_DIR) / "vapid",
    }


def carried_names() -> list[str]:
    return [name for prefix in CARRIED for name in files.names(prefix)]


def govem_version() -> str:
    try:
        return version("govem")
    except PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pack_attachments(target: Path) -> dict[str, int]:
    count = size = 0
    with tarfile.open(target, "w:gz") as archive:
        for name, directory in attachment_dirs().items():
            if not directory.is_dir():
                continue
            for path in sorted(directory.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=f"{name}/{path.relative_to(directory)}")
                    count += 1
                    size += path.stat().st_size
        for name in carried_names():
            handle = files.open_file(name)
            if handle is None:
                continue  # deleted since it was listed
            with handle:
                info = tarfile.TarInfo(name)
                info.size, info.mode = files.storage().size(name), 0o600
                info.mtime = int(files.modified(name).timestamp())
                archive.addfile(info, handle)
            count += 1
            size += info.size
    return {"files": count, "bytes": size}


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def _write_archive(target: Path, work: Path, manifest: dict[str, Any]) -> None:
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w") as archive:
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
        archive.addfile(info, io.BytesIO(data))
        for name in manifest["files"]:
            archive.add(work / name, arcname=name)
    partial.chmod(0o600)
    os.replace(partial, target)


def create_backup(
    *,
    dest: Path | None = None,
    verify: bool = True,
    prune: bool = True,
    day: date | None = None,
) -> Backup:
    """Dump, pack, record, verify, mirror and prune; the :class:`Backup` row says how it went.

    ``day``: the settled date this backup carries (the settle step's; named in the file and
    the manifest). A failure leaves a row with ``error`` set (the health check reports it) and
    raises.
    """
    stored = in_storage(dest)
    created = timezone.now()
    stamp = timezone.localtime(created).strftime("%Y%m%d-%H%M%S")
    prefix = f"govem-{stamp}" if day is None else f"govem-{stamp}-hari-{day:%Y%m%d}"
    with tempfile.TemporaryDirectory(prefix="govem-backup-") as scratch:
        # Stored archives are built in a scratch folder of this node and then kept in the
        # storage; the folder is gone afterwards.
        directory = Path(scratch) if stored else _private_dir(dest or backup_dir())
        return _create(directory, prefix, created, day, stored, verify=verify, prune=prune)


def _free_name(directory: Path, prefix: str, stored: bool) -> Path:
    target = directory / f"{prefix}.tar"
    suffix = 1
    while target.exists() or (stored and files.exists(STORED_PREFIX + target.name)):
        suffix += 1
        target = directory / f"{prefix}-{suffix}.tar"
    return target


def _create(
    directory: Path,
    prefix: str,
    created: datetime,
    day: date | None,
    stored: bool,
    *,
    verify: bool,
    prune: bool,
) -> Backup:
    target = _free_name(directory, prefix, stored)
    path = STORED_PREFIX + target.name if stored else str(target)
    backup = Backup(path=path, engine=dbdump.connection.vendor, created_at=created, day=day)
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=".work-") as tmp:
            work = Path(tmp)
            name = dbdump.dump_name()
            counts = (
                dbdump.sqlite_dump(work / name)
                if backup.engine == "sqlite"
                else dbdump.pg_dump(work / name)
            )
            attachments = _pack_attachments(work / ATTACHMENTS)
            manifest = {
                "format": FORMAT,
                "govem_version": govem_version(),
                "created_at": created.isoformat(),
                "settled_day": day.isoformat() if day else None,
                "engine": backup.engine,
                "database_file": name,
                "row_counts": counts,
                "attachments": attachments,
                "file_storage": files.kind(),
                "files": {
                    file: {"sha256": sha256_of(work / file), "size": (work / file).stat().st_size}
                    for file in (name, ATTACHMENTS)
                },
            }
            _write_archive(target, work, manifest)
        backup.manifest = manifest
        backup.size = target.stat().st_size
        backup.sha256 = sha256_of(target)
        if stored:
            with target.open("rb") as handle:
                files.put(path, handle)
    except Exception as exc:
        backup.error = str(getattr(exc, "message", exc))[:2000] or type(exc).__name__
        backup.save()
        raise
    backup.save()
    if verify:
        verify_backup(backup, local=target)
    mirror = mirror_dir()
    if mirror is not None and mirror != directory:
        _mirror(backup, mirror, local=target)
    if prune:
        prune_backups()
    return backup


def _mirror(backup: Backup, mirror: Path, *, local: Path) -> None:
    try:
        _private_dir(mirror)
        copy = mirror / Path(backup.path).name
        partial = copy.with_name(copy.name + ".partial")
        # 0600 from the first byte, like the original (copyfile would create it at the umask's).
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with local.open("rb") as source, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        partial.chmod(0o600)  # an older .partial left behind kept its own mode
        if sha256_of(partial) != backup.sha256:
            raise OSError(_("SHA-256 salinan kedua berbeda"))
        os.replace(partial, copy)
    except OSError as exc:
        backup.error = (_(texts.MIRROR_FAILED) % {"detail": exc})[:2000]
        backup.save(update_fields=["error"])
        raise DomainError("mirror_failed", backup.error) from exc
    backup.mirror_path = str(copy)
    backup.save(update_fields=["mirror_path"])


@dataclass(frozen=True)
class Unpacked:
    directory: Path
    manifest: dict[str, Any]

    @property
    def database(self) -> Path:
        return self.directory / str(self.manifest["database_file"])

    @property
    def attachments(self) -> Path:
        return self.directory / ATTACHMENTS


def unpack(archive: Path, into: Path) -> Unpacked:
    """Extract a backup archive and check every file against the manifest's SHA-256."""
    if not archive.is_file():
        raise DomainError(
            "backup_missing",
            _(texts.ARCHIVE_MISSING) % {"name": archive.name},
        )
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(into, filter="data")
        manifest = json.loads((into / MANIFEST).read_text())
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise DomainError("backup_corrupt", _(texts.ARCHIVE_UNREADABLE) % {"detail": exc}) from exc
    for name, expected in manifest.get("files", {}).items():
        path = into / name
        if not path.is_file() or sha256_of(path) != expected["sha256"]:
            raise DomainError(
                "backup_corrupt",
                _(texts.CHECKSUM_MISMATCH) % {"name": name},
            )
    return Unpacked(into, manifest)


def verify_archive(archive: Path) -> dict[str, Any]:
    """Restore into a scratch database and compare row counts; raises on any difference."""
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".verify-") as tmp:
        unpacked = unpack(archive, Path(tmp) / "x")
        expected = unpacked.manifest["row_counts"]
        if unpacked.manifest["engine"] == "sqlite":
            actual = dbdump.sqlite_scratch_counts(unpacked.database, Path(tmp) / "scratch.db")
        else:
            actual = dbdump.pg_scratch_counts(unpacked.database)
        wrong = {
            table: {"manifest": count, "restored": actual.get(table)}
            for table, count in expected.items()
            if actual.get(table) != count
        }
        if wrong:
            raise DomainError(
                "backup_mismatch",
                ngettext(
                    "Jumlah baris berbeda di %(count)d tabel setelah dipulihkan.",
                    "Jumlah baris berbeda di %(count)d tabel setelah dipulihkan.",
                    len(wrong),
                )
                % {"count": len(wrong)},
                details={"tables": wrong},
            )
        with tarfile.open(unpacked.attachments, "r:gz") as tar:
            files = sum(1 for member in tar.getmembers() if member.isfile())
        if files != unpacked.manifest["attachments"]["files"]:
            raise DomainError("backup_mismatch", _("Jumlah berkas lampiran berbeda."))
    return {"tables": len(expected), "rows": sum(expected.values()), "attachments": files}


@contextmanager
def archive_file(path: str) -> Iterator[Path]:
    """The archive on this node's disk: the file itself, or a scratch copy of a stored one.

    ``path`` is a file path, or a stored archive's name (``backups/govem-….tar`` or just the
    file name) in the Govem storage.
    """
    candidate = Path(path)
    if candidate.is_file():
        yield candidate
        return
    name = path if path.startswith(STORED_PREFIX) else STORED_PREFIX + candidate.name
    handle = files.open_file(name) if files.clean_name(name) else None
    if handle is None:
        raise DomainError(
            "backup_missing",
            _(texts.ARCHIVE_MISSING) % {"name": candidate.name},
        )
    with tempfile.TemporaryDirectory(prefix="govem-archive-") as tmp:
        copy = Path(tmp) / candidate.name
        with handle, copy.open("wb") as out:
            shutil.copyfileobj(handle, out, 1024 * 1024)
        copy.chmod(0o600)
        yield copy


def verify_backup(backup: Backup, *, local: Path | None = None) -> Backup:
    try:
        if local is not None and local.is_file():
            verify_archive(local)
        else:
            with archive_file(backup.path) as archive:
                verify_archive(archive)
    except DomainError as exc:
        backup.verified, backup.error = False, exc.message[:2000]
    else:
        backup.verified, backup.error = True, ""
    backup.verified_at = timezone.now()
    backup.save(update_fields=["verified", "verified_at", "error"])
    return backup


def _keep(rows: list[Backup], now: datetime) -> set[int]:
    keep_daily = _env_int("GOVEM_BACKUP_KEEP_DAILY", 7)
    keep_weekly = _env_int("GOVEM_BACKUP_KEEP_WEEKLY", 4)
    keep_monthly = _env_int("GOVEM_BACKUP_KEEP_MONTHLY", 12)
    keep = {row.pk for row in rows if now - row.created_at < timedelta(days=1)}
    if rows:
        keep.add(rows[0].pk)  # the newest, always
    buckets = (
        (keep_daily, lambda d: d.date()),
        (keep_weekly, lambda d: d.isocalendar()[:2]),
        (keep_monthly, lambda d: (d.year, d.month)),
    )
    for count, key in buckets:
        seen: list[Any] = []
        for row in rows:  # newest first: the first of each period is its newest
            period = key(timezone.localtime(row.created_at))
            if period in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(period)
            keep.add(row.pk)
    return keep


def prune_backups(now: datetime | None = None) -> list[Backup]:
    """Delete the archives retention does not keep (both copies); the rows stay, marked."""
    now = now or timezone.now()
    rows = list(Backup.objects.filter(pruned_at__isnull=True, error="").order_by("-created_at"))
    keep = _keep(rows, now)
    pruned = []
    for row in rows:
        if row.pk in keep:
            continue
        for path in (row.path, row.mirror_path):
            if path.startswith(STORED_PREFIX):
                files.delete(path)
            elif path:
                Path(path).unlink(missing_ok=True)
        row.pruned_at = now
        row.save(update_fields=["pruned_at"])
        pruned.append(row)
    return pruned
