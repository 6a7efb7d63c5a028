"""Printed documents (fpdf2): the regency's kop, Indonesian dates, a page footer.

Shared by the daily evaluation (operations) and the attendance reports. The core PDF fonts
are Latin-1, so every text goes through :func:`plain` first. :func:`write_generated` is how a
command (``govem report``, ``govem tpp report``) hands a generated file to the operator.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from fpdf import FPDF

from govem.dates import long_date, month_label, short_date

__all__ = ["Document", "long_date", "month_label", "plain", "short_date", "write_generated"]

_PLAIN = str.maketrans(
    {"—": "-", "–": "-", "→": "->", "…": "...", "“": '"', "”": '"', "’": "'", "≥": ">="}
)


def write_generated(command: BaseCommand, content: bytes, output: str) -> None:
    """Write a generated file to ``output`` whole (a ``.part`` renamed), or to stdout for "-"."""
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = Path(output)
    if not target.parent.exists():
        raise CommandError(f"Folder {target.parent} tidak ada.")
    partial = target.with_name(f".{target.name}.part")
    # Reports name employees: readable by the operator only (0600), like stored drafts.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
    partial.chmod(0o600)
    partial.replace(target)
    command.stdout.write(f"{target} ({len(content):,} byte) ditulis.")


def plain(text: str) -> str:
    """The core PDF fonts are Latin-1: map the few typographic characters we use."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class Document(FPDF):
    """An A4 document with Govem's page footer ("halaman N dari M")."""

    def __init__(self, *, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.alias_nb_pages()
        self.set_margins(12 if landscape else 15, 12, 12 if landscape else 15)
        self.set_auto_page_break(True, margin=14)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", "I", 7)
        self.cell(0, 5, plain(f"Govem - halaman {self.page_no()} dari {{nb}}"), align="C")

    def kop(self, *, office: str | None = None, address: str | None = None) -> None:
        """The official header: regency, office, address, a double rule."""
        office = office if office is not None else settings.GOVEM["OFFICE_NAME"]
        address = address if address is not None else settings.GOVEM["OFFICE_ADDRESS"]
        self.set_font("Helvetica", "B", 13)
        self.cell(0, 6, plain(settings.GOVEM["REGENCY_NAME"]), align="C", **_NEXT)
        if office:
            self.set_font("Helvetica", "B", 12)
            self.cell(0, 6, plain(office.upper()), align="C", **_NEXT)
        if address:
            self.set_font("Helvetica", "", 9)
            self.cell(0, 5, plain(address), align="C", **_NEXT)
        y = self.get_y() + 1.5
        self.set_line_width(0.6)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.2)
        self.line(self.l_margin, y + 1, self.w - self.r_margin, y + 1)
        self.set_y(y + 3)

    def report_title(self, text: str, subtitle: str = "") -> None:
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 7, plain(text), align="C", **_NEXT)
        if subtitle:
            self.set_font("Helvetica", "", 9)
            self.cell(0, 5, plain(subtitle), align="C", **_NEXT)
        self.ln(1)

    def line_of_text(self, text: str, *, size: float = 9, style: str = "") -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, 4.5, plain(text), **_NEXT)

    def signature(self, *, place_date: str, role: str, name: str, nip: str) -> None:
        """The signature block at the right: place and date, role, space, name, NIP."""
        width = 80
        if self.get_y() + 36 > self.h - self.b_margin:
            self.add_page()
        x = self.w - self.r_margin - width
        self.ln(4)
        self.set_font("Helvetica", "", 9)
        for text in (place_date, role):
            self.set_x(x)
            self.cell(width, 5, plain(text), align="C", **_NEXT)
        self.ln(14)
        self.set_font("Helvetica", "BU", 9)
        self.set_x(x)
        self.cell(
            width, 5, plain(name or "...................................."), align="C", **_NEXT
        )
        self.set_font("Helvetica", "", 9)
        self.set_x(x)
        self.cell(
            width,
            5,
            plain(f"NIP. {nip}" if nip else "NIP. ..................."),
            align="C",
            **_NEXT,
        )


_NEXT: dict[str, Any] = {"new_x": "LMARGIN", "new_y": "NEXT"}
