"""Helpers over ``storages["govem"]``: what the rest of Govem calls to keep and read files.

Names are the storage's own (``private/tickets/<uuid>.png``, ``reports/2026-11-30/…``,
``imports/<token>.xlsx``, ``backups/govem-….tar``); a model stores only the last part.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from govem.files.storage import DatabaseStorage


def storage() -> Storage:
    return storages["govem"]


def kind() -> str:
    """``database`` or ``local``: where the files are (the health check and backups say it)."""

    return "database" if isinstance(storage(), DatabaseStorage) else "local"


def clean_name(name: str) -> str | None:
    """``name`` when it is a plain relative name (no ``..``, no absolute path, no hidden part)."""
    if not name or "\\" in name or name.startswith("/") or "\x00" in name:
        return None
    parts = name.split("/")
    if any(not part or part.startswith(".") for part in parts):
        return None
    return name


def put(name: str, data: bytes | Any) -> str:
    """Store ``data`` (bytes or a file) under ``name``, replacing what was there."""
    if clean_name(name) is None:
        raise ValueError(f"not a storage name: {name!r}")
    content = ContentFile(data) if isinstance(data, bytes | bytearray) else File(data)  # type: ignore[type-var]
    return storage().save(name, content)


def open_file(name: str) -> File | None:
    """The stored file opened for reading, or None (missing or not a plain name)."""
    if clean_name(name) is None:
        return None
    try:
        return storage().open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def read(name: str) -> bytes | None:
    handle = open_file(name)
    if handle is None:
        return None
    with handle:
        return bytes(handle.read())


def exists(name: str) -> bool:
    return clean_name(name) is not None and storage().exists(name)


def delete(name: str) -> None:
    if clean_name(name) is not None:
        storage().delete(name)


def names(prefix: str) -> list[str]:
    """Every stored name that starts with ``prefix``, sorted."""
    return list(storage().names(prefix))  # type: ignore[attr-defined]


def modified(name: str) -> datetime:
    return storage().get_modified_time(name)


def local_path(name: str) -> str | None:
    """The file on disk when the storage is the local data dir (None in the database)."""
    if kind() != "local":
        return None
    return str(storage().path(name))


def describe() -> dict[str, Any]:
    return {"storage": kind(), "location": str(settings.DATA_DIR) if kind() == "local" else ""}
