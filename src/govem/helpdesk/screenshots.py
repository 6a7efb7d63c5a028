"""Ticket screenshots: checked by content (Pillow), size-limited, kept outside the web root."""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from govem.errors import DomainError
from govem.files import store as files

FOLDER = "private/tickets"

FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedImage:
    content: bytes
    extension: str
    content_type: str


def max_bytes() -> int:
    return int(settings.GOVEM["TICKET_SCREENSHOT_MAX_BYTES"])


def check(upload: Any) -> CheckedImage:
    """The upload's bytes when it is a JPEG, PNG or WebP image within the size limit."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(limit)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(limit)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise _not_image() from exc
    if image_format not in FORMATS or width * height > MAX_PIXELS:
        raise _not_image()
    extension, content_type = FORMATS[image_format]
    return CheckedImage(content, extension, content_type)


def store(image: CheckedImage) -> str:
    """Keep the image in the Govem storage; return its name (the only thing the ticket keeps)."""
    name = f"{uuid.uuid4().hex}.{image.extension}"
    files.put(f"{FOLDER}/{name}", image.content)
    return name


def open_stored(name: str) -> Any:
    """The stored screenshot opened for reading; None for anything not a plain generated name."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return files.open_file(f"{FOLDER}/{name}")


def _too_large(limit: int) -> DomainError:
    megabytes = limit / (1024 * 1024)
    return DomainError(
        "screenshot_too_large",
        f"Tangkapan layar terlalu besar (maksimal {megabytes:.0f} MB). Perkecil gambarnya.",
        details={"field": "screenshot", "max_bytes": limit},
    )


def _not_image() -> DomainError:
    return DomainError(
        "screenshot_not_image",
        "Berkas tangkapan layar bukan gambar JPEG, PNG, atau WebP yang valid.",
        details={"field": "screenshot", "allowed": ["image/jpeg", "image/png", "image/webp"]},
    )
