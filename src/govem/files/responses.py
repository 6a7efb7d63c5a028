"""How a private file (an attachment, a screenshot) leaves Govem for someone allowed to see it."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def private_file_response(handle: Any, *, content_type: str, filename: str) -> FileResponse:
    """Images inline, anything else (a PDF) only as a download: a browser never runs a
    document's script in Govem's origin. Never cached, no script, no sniffing."""
    response = FileResponse(handle, content_type=content_type)
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
