"""Request attachments: PDF, JPEG or PNG checked by content, kept outside the web root.

Images go through the helpdesk's Pillow check (:func:`govem.helpdesk.screenshots.check`);
PDFs must start with ``%PDF-`` and be readable by pypdf. Files live in the Govem storage
(:mod:`govem.files`) under ``private/absences/`` and are served by a view that checks who may
see them.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PyPdfError

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
        return CheckedFile(content, "pdf", "application/pdf")
    try:
        image = screenshots.check(io.BytesIO(content))
    except DomainError as exc:
        raise _not_allowed() from exc
    if image.content_type not in ALLOWED:
        raise _not_allowed()
    return CheckedFile(image.content, image.extension, image.content_type)


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
