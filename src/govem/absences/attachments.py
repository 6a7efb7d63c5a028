"""Request attachments: PDF, JPEG or PNG checked by content, kept outside the web root.

Images go through the helpdesk's Pillow check (:func:`govem.helpdesk.screenshots.check`);
PDFs must start with ``%PDF-`` and be readable by pypdf. Files live in the Govem storage
(:mod:`govem.files`) under ``private/absences/`` and are served by a view that checks who may
see them.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from govem.errors import DomainError
from govem.files import store as files
from govem.helpdesk import screenshots

FOLDER = "private/absences"

ALLOWED = ("application/pdf", "image/jpeg", "image/png")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    extension: str
    content_type: str


def max_bytes() -> int:
    return int(settings.GOVEM.get("ABSENCE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check(upload: Any) -> CheckedFile:
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(limit)
    if content.startswith(b"%PDF-"):
        try:
            reader = PdfReader(io.BytesIO(content))
            pages = len(reader.pages)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
            raise _not_allowed() from exc
        if pages < 1:
            raise _not_allowed()
        if active_content(content, reader):
            raise DomainError(
                "attachment_active_content",
                "Lampiran PDF berisi JavaScript, tindakan otomatis, formulir XFA atau berkas "
                "sisipan. Simpan ulang sebagai PDF biasa (misalnya Cetak → Simpan sebagai PDF), "
                "lalu unggah lagi.",
                details={"field": "attachment"},
            )
        return CheckedFile(content, "pdf", "application/pdf")
    try:
        image = screenshots.check(io.BytesIO(content))
    except DomainError as exc:
        raise _not_allowed() from exc
    if image.content_type not in ALLOWED:
        raise _not_allowed()
    return CheckedFile(image.content, image.extension, image.content_type)


# What makes a PDF do something when opened or clicked: script, launching programs, sending
# or importing data, embedded files and XFA forms (which carry script of their own).
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/EmbeddedFile", "/EmbeddedFiles"})
_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}
)
_RAW_MARKERS = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?)(?![A-Za-z0-9])")
_MAX_OBJECTS = 200_000


def active_content(content: bytes, reader: PdfReader) -> bool:
    """Whether the PDF carries script or actions: its raw text names them (an uncompressed
    object, even one no page points to), or an object reachable from the trailer does
    (compressed object streams included, as pypdf resolves them)."""
    if _RAW_MARKERS.search(content):
        return True
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        visited += 1
        if visited > _MAX_OBJECTS:
            return True  # a document this tangled is not a scanned letter
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                item = item.get_object()
            except (PyPdfError, ValueError, KeyError, TypeError, OSError):
                continue
        if isinstance(item, DictionaryObject):
            if _ACTIVE_KEYS.intersection(item.keys()):
                return True
            if item.get("/S") in _ACTIVE_ACTIONS:
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def store(checked: CheckedFile) -> str:
    name = f"{uuid.uuid4().hex}.{checked.extension}"
    files.put(f"{FOLDER}/{name}", checked.content)
    return name


def open_stored(name: str) -> Any:
    """The stored attachment opened for reading, or None (missing or not a generated name)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return files.open_file(f"{FOLDER}/{name}")


def _too_large(limit: int) -> DomainError:
    return DomainError(
        "attachment_too_large",
        f"Lampiran terlalu besar (maksimal {limit / (1024 * 1024):.0f} MB).",
        details={"field": "attachment", "max_bytes": limit},
    )


def _not_allowed() -> DomainError:
    return DomainError(
        "attachment_not_allowed",
        "Lampiran harus berkas PDF, JPEG, atau PNG yang valid.",
        details={"field": "attachment", "allowed": list(ALLOWED)},
    )
