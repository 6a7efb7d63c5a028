"""Files in tests: real images and PDFs to upload, the activation codes read back from a printed
PDF, and what every test of a kept file asserts: nobody but Govem's own user can read it."""

from __future__ import annotations

import io
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from govem.files import store as files
from govem.files.models import StoredFile

# An activation code as printed on the slips (no I, O, 0 or 1).
CODE = re.compile(r"\b([A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5})\b")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_private(name: str) -> None:
    """Stored ``name``: on disk 0600 with every folder from the data dir down 0700; in the
    database (PostgreSQL) a row, readable only through Govem's own checks."""
    if files.kind() == "database":
        assert StoredFile.objects.filter(name=name).exists(), name
        return
    path = Path(files.storage().path(name))
    assert path.is_file(), name
    assert mode(path) == 0o600, f"{path}: {oct(mode(path))}"
    root, folder = Path(settings.DATA_DIR).resolve(), path.parent
    assert root in folder.parents
    while folder != root:
        assert mode(folder) == 0o700, f"{folder}: {oct(mode(folder))}"
        folder = folder.parent


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Surat keterangan sakit")
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def codes_in_pdf(data: bytes) -> dict[str, str]:
    """NIP → code, read back from the printed slips."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    nips = re.findall(r"NIP (\d{18})", text)
    return dict(zip(nips, CODE.findall(text), strict=True))


# The tests that read a PDF back with poppler's pdftotext (.ci/run installs poppler-utils).
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext missing: install poppler-utils to read the PDFs back",
)


def pdf_layout_text(path: Path) -> str:
    """The PDF's text as poppler's ``pdftotext -layout`` reads it (columns kept on their
    lines); for tests marked :data:`needs_pdftotext`."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
