"""The one Django storage for every file Govem keeps (``storages["govem"]``).

- :class:`PrivateFileStorage`: the local data dir (``GOVEM_DATA_DIR``), as on one machine with
  SQLite: files 0600, folders 0700, written to a temporary name and renamed into place (a
  reader never sees half a file).
- :class:`DatabaseStorage`: the ``files_storedfile`` and ``files_filechunk`` tables, for
  PostgreSQL with several app nodes: every node reaches the same files, the streaming replica
  carries them, a write commits with the row that names it.

Both overwrite a name that exists (a re-drafted report replaces the draft). Names are
relative, ``/``-separated, without ``..``; :func:`govem.files.store.clean_name` checks them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from django.utils import timezone

from govem.files.models import FileChunk, StoredFile

CHUNK_BYTES = 1024 * 1024


def _private_folders(root: Path, folder: Path) -> None:
    """``folder`` and every level below ``root`` exist and are 0700: ``mkdir(parents=True)``
    leaves intermediate levels at the umask's 0755, and a data dir from an older Govem may
    have them so."""
    root.mkdir(parents=True, exist_ok=True)  # the data dir itself keeps its own mode
    levels = []
    while folder != root and root in folder.parents:
        levels.append(folder)
        folder = folder.parent
    for level in reversed(levels):
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            level.mkdir(mode=0o700)
        if stat.S_IMODE(level.stat().st_mode) != 0o700:
            level.chmod(0o700)


class PrivateFileStorage(FileSystemStorage):
    """The data dir, read from settings at every call (tests move it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        kwargs.setdefault("allow_overwrite", True)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(self._root())

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _root(self) -> Path:
        root = self._value_or_setting(self._location, None)  # type: ignore[attr-defined]
        return Path(root) if root else Path(settings.DATA_DIR)

    def _save(self, name: str, content: Any) -> str:
        full = Path(self.path(name))
        _private_folders(Path(self.location), full.parent)
        fd, temporary = tempfile.mkstemp(dir=full.parent, prefix=f".{full.name}.")
        try:
            with os.fdopen(fd, "wb") as handle:
                if hasattr(content, "chunks"):
                    for chunk in content.chunks():
                        handle.write(chunk)
                else:
                    handle.write(content.read())
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, full)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name

    def names(self, prefix: str) -> list[str]:
        root = Path(self.location)
        start = root / prefix
        folder = start if start.is_dir() else start.parent
        if not folder.is_dir():
            return []
        found = []
        for path in folder.rglob("*"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative.startswith(prefix) and not path.name.startswith("."):
                found.append(relative)
        return sorted(found)


class _ChunkReader(io.RawIOBase):
    """Reads a stored file chunk by chunk (one query per chunk, never the whole file)."""

    def __init__(self, file_id: int, alias: str) -> None:
        self._file_id, self._alias = file_id, alias
        self._index, self._buffer = 0, b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> bytes:

        row = (
            FileChunk.objects.using(self._alias)
            .filter(file_id=self._file_id, index=self._index)
            .values_list("data", flat=True)
            .first()
        )
        if row is None:
            self._done = True
            return b""
        self._index += 1
        return bytes(row)

    def readinto(self, target: Any) -> int:
        while not self._buffer and not self._done:
            self._buffer = self._next_chunk()
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


class DatabaseStorage(Storage):
    """Files as rows: a name, its size and SHA-256, and its bytes in 1 MiB chunks."""

    alias = "default"  # files are written and read on the primary (read your own upload)

    def _open(self, name: str, mode: str = "rb") -> File:

        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("DatabaseStorage opens files for reading only; use save()")
        row = StoredFile.objects.using(self.alias).filter(name=name).only("pk", "size").first()
        if row is None:
            raise FileNotFoundError(name)
        handle: IO[bytes] = io.BufferedReader(_ChunkReader(row.pk, self.alias), CHUNK_BYTES)
        stored = File(handle, name=name)
        stored.size = row.size
        return stored

    def _save(self, name: str, content: Any) -> str:

        now = timezone.now()
        digest, size = hashlib.sha256(), 0
        with transaction.atomic(using=self.alias):
            StoredFile.objects.using(self.alias).filter(name=name).delete()
            row = StoredFile.objects.using(self.alias).create(
                name=name, size=0, sha256="", created_at=now, modified_at=now
            )
            batch: list[FileChunk] = []
            for index, data in enumerate(self._chunks(content)):
                digest.update(data)
                size += len(data)
                batch.append(FileChunk(file=row, index=index, data=data))
                if len(batch) >= 8:
                    FileChunk.objects.using(self.alias).bulk_create(batch)
                    batch = []
            if batch:
                FileChunk.objects.using(self.alias).bulk_create(batch)
            StoredFile.objects.using(self.alias).filter(pk=row.pk).update(
                size=size, sha256=digest.hexdigest()
            )
        return name

    @staticmethod
    def _chunks(content: Any) -> Iterator[bytes]:
        if hasattr(content, "seek"):
            with contextlib.suppress(OSError, ValueError):
                content.seek(0)
        pending = b""
        source = content.chunks(CHUNK_BYTES) if hasattr(content, "chunks") else None
        if source is None:
            while data := content.read(CHUNK_BYTES):
                yield data
            return
        for data in source:
            pending += data
            while len(pending) >= CHUNK_BYTES:
                yield pending[:CHUNK_BYTES]
                pending = pending[CHUNK_BYTES:]
        if pending:
            yield pending

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return name  # overwrite, like the local storage

    def delete(self, name: str) -> None:

        StoredFile.objects.using(self.alias).filter(name=name).delete()

    def exists(self, name: str) -> bool:

        return StoredFile.objects.using(self.alias).filter(name=name).exists()

    def size(self, name: str) -> int:

        row = StoredFile.objects.using(self.alias).filter(name=name).values("size").first()
        if row is None:
            raise FileNotFoundError(name)
        return int(row["size"])

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = path.rstrip("/") + "/" if path else ""
        directories, files = set(), []
        for name in self.names(prefix):
            rest = name[len(prefix) :]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(directories), files

    def names(self, prefix: str) -> list[str]:

        rows = StoredFile.objects.using(self.alias).filter(name__startswith=prefix)
        return list(rows.order_by("name").values_list("name", flat=True))

    def _times(self, name: str) -> dict[str, datetime]:

        row = (
            StoredFile.objects.using(self.alias)
            .filter(name=name)
            .values("created_at", "modified_at")
            .first()
        )
        if row is None:
            raise FileNotFoundError(name)
        return row  # type: ignore[return-value]

    def get_modified_time(self, name: str) -> datetime:
        return self._times(name)["modified_at"]

    def get_created_time(self, name: str) -> datetime:
        return self._times(name)["created_at"]

    def get_accessed_time(self, name: str) -> datetime:
        return self._times(name)["modified_at"]
