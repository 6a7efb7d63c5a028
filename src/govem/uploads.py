"""Uploaded evidence: what an employee sends (a request's attachment, a clarification's answer
file, a ticket's screenshot), checked by content, kept private, served to who may see it.

One place for all three (absences, clarifications and the helpdesk used to carry their own copy,
and absences imported the helpdesk for its image check):

- :data:`SCREENSHOT` — JPEG, PNG or WebP (Pillow), ``private/tickets/``;
- :data:`ATTACHMENT` — a readable PDF without script or actions (pypdf), or a JPEG/PNG image,
  ``private/absences/`` (request attachments and clarification answers).

Files live in the Govem storage (:mod:`govem.files`) under a generated name, the only thing the
row keeps; :func:`download` answers 404 for a missing or foreign name and serves images inline,
anything else as a download (:func:`govem.files.responses.private_file_response`).
"""

from __future__ import annotations

import io
import re
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NamedTuple

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from govem.errors import DomainError
from govem.files import store as files
from govem.files.responses import private_file_response

IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 40_000_000
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # a limit settings.GOVEM does not set
# Marked for the catalogue here, translated where raised (the request's language).
REFUSALS = {
    "screenshot_too_large": gettext_noop(
        "Tangkapan layar terlalu besar (maksimal %(mb)s MB). Perkecil gambarnya."
    ),
    "screenshot_not_image": gettext_noop(
        "Berkas tangkapan layar bukan gambar JPEG, PNG, atau WebP yang valid."
    ),
    "attachment_too_large": gettext_noop("Lampiran terlalu besar (maksimal %(mb)s MB)."),
    "attachment_not_allowed": gettext_noop("Lampiran harus berkas PDF, JPEG, atau PNG yang valid."),
}


class CheckedFile(NamedTuple):
    content: bytes
    extension: str
    content_type: str


@dataclass(frozen=True)
class Kind:
    """One kind of upload: its form field (and error code prefix), where it is kept, the
    types it allows, how its content is examined, the setting of its size limit and the
    suffix of the code that refuses its content (:data:`REFUSALS` holds the messages)."""

    field: str
    folder: str
    allowed: tuple[str, ...]
    examine: Callable[[bytes], CheckedFile | None]
    limit_setting: str
    refused: str = "not_allowed"

    def max_bytes(self) -> int:
        return int(settings.GOVEM.get(self.limit_setting, DEFAULT_MAX_BYTES))

    def check(self, upload: Any) -> CheckedFile:
        """The upload's bytes and type when they pass this kind's checks; else a refusal."""
        limit = self.max_bytes()
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise self._too_large(limit)
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise self._too_large(limit)
        checked = self.examine(content)
        if checked is None or checked.content_type not in self.allowed:
            code = f"{self.field}_{self.refused}"
            details = {"field": self.field, "allowed": list(self.allowed)}
            raise DomainError(code, _(REFUSALS[code]), details=details)
        return checked

    def _too_large(self, limit: int) -> DomainError:
        code = f"{self.field}_too_large"
        return DomainError(
            code,
            _(REFUSALS[code]) % {"mb": f"{limit / (1024 * 1024):.0f}"},
            details={"field": self.field, "max_bytes": limit},
        )

    def store(self, checked: CheckedFile) -> str:
        """Keep the checked file; return its generated name."""
        name = f"{uuid.uuid4().hex}.{checked.extension}"
        files.put(f"{self.folder}/{name}", checked.content)
        return name

    def open_stored(self, name: str) -> Any:
        """The stored file opened for reading; None for anything not a plain generated name."""
        if not name or "/" in name or "\\" in name or name.startswith("."):
            return None
        return files.open_file(f"{self.folder}/{name}")

    def download(self, name: str, *, content_type: str, filename: str) -> FileResponse:
        """The stored file for someone the view has already allowed; 404 when it is gone.
        ``filename`` is the name without extension (``pengajuan-12``)."""
        handle = self.open_stored(name)
        if handle is None:
            raise Http404(self.field)
        suffix = PurePath(name).suffix
        return private_file_response(
            handle, content_type=content_type, filename=f"{filename}{suffix}"
        )


def image(content: bytes) -> CheckedFile | None:
    """A JPEG, PNG or WebP image Pillow can verify, within :data:`MAX_PIXELS`; else None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as opened:
                image_format = opened.format
                width, height = opened.size
                opened.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        return None
    if image_format not in IMAGE_FORMATS or width * height > MAX_PIXELS:
        return None
    extension, content_type = IMAGE_FORMATS[image_format]
    return CheckedFile(content, extension, content_type)


def pdf_or_image(content: bytes) -> CheckedFile | None:
    """A PDF pypdf reads (one page at least, no active content), or else an image."""
    if not content.startswith(b"%PDF-"):
        return image(content)
    try:
        reader = PdfReader(io.BytesIO(content))
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return None
    if pages < 1:
        return None
    if active_content(content, reader):
        raise DomainError(
            "attachment_active_content",
            _(
                "Lampiran PDF berisi JavaScript, tindakan otomatis, formulir XFA atau berkas "
                "sisipan. Simpan ulang sebagai PDF biasa (misalnya Cetak → Simpan sebagai PDF), "
                "lalu unggah lagi."
            ),
            details={"field": "attachment"},
        )
    return CheckedFile(content, "pdf", "application/pdf")


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


SCREENSHOT = Kind(
    "screenshot", "private/tickets", IMAGE_TYPES, image, "TICKET_SCREENSHOT_MAX_BYTES", "not_image"
)
ATTACHMENT = Kind(
    "attachment", "private/absences", ATTACHMENT_TYPES, pdf_or_image, "ABSENCE_ATTACHMENT_MAX_BYTES"
)
