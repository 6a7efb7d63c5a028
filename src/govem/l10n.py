"""Numbers and dates for the pages, in the active language; numbers for SVG, in none.

Text people read follows the language of the page (``1.234,5`` and "Selasa, 1 Desember 2026"
in Indonesian, ``1,234.5`` and "Tuesday, 1 December 2026" in English). A number that a browser
parses — an SVG coordinate, a data attribute read by a script — is written with a dot and no
grouping whatever the language: ``y="2,0"`` is not a number, and the chart stays empty.
Printed documents and messages stay Indonesian (``govem.dates``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext

from govem.rules.texts import Text, parse, render


def number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """A number for text, grouped and with the language's decimal sign; ``–`` for nothing."""
    if value is None:
        return "–"
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def svg_number(value: float | int | Decimal) -> str:
    """A number for an SVG/JS attribute: dot decimal, at most two places, no grouping."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def long_date(day: date) -> str:
    """Selasa, 1 Desember 2026 / Tuesday, 1 December 2026."""
    return formats.date_format(day, "l, j F Y")


def short_date(day: date) -> str:
    """1 Desember 2026 / 1 December 2026."""
    return formats.date_format(day, "j F Y")


def month_label(month: date) -> str:
    """Desember 2026 / December 2026."""
    return formats.date_format(month, "F Y")


def stored_sentence(text: str, templates: tuple[str, ...]) -> str:
    """A sentence Govem wrote and stored in Indonesian, said in the active language: one of
    ``templates`` with its values read back, or a sentence without values that is itself a
    catalogue entry. Anything else — what a person typed — matches neither and stays as it is
    (unless someone typed exactly a catalogue sentence, which is then translated too)."""
    if not text:
        return text
    written = parse(text, templates)
    if written is None:
        return gettext(text)  # a sentence without values is its own catalogue entry
    values = {
        name: gettext(value) if isinstance(value, str) and value else value
        for name, value in written.params.items()
    }  # a value may itself be a sentence of Govem's ("SHA-256 salinan kedua berbeda")
    return render(Text(written.template, **values), gettext)
