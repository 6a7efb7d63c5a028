"""Status codes as the reports list them: a fixed order and an Indonesian label each (a
catalogue msgid: a page may show it in its language with ``gettext``)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from govem.absences.models import AbsenceType
from govem.rules.bands import EARLY_CODES, LATE_CODES, PRESENT, TK

FIXED = {
    PRESENT: gettext_noop("Hadir tepat waktu"),
    "TL1": gettext_noop("Terlambat band 1"),
    "TL2": gettext_noop("Terlambat band 2"),
    "TL3": gettext_noop("Terlambat band 3"),
    "TL4": gettext_noop("Terlambat band 4 / tidak presensi masuk"),
    "PSW1": gettext_noop("Pulang sebelum waktunya band 1"),
    "PSW2": gettext_noop("Pulang sebelum waktunya band 2"),
    "PSW3": gettext_noop("Pulang sebelum waktunya band 3"),
    "PSW4": gettext_noop("Pulang sebelum waktunya band 4 / tidak presensi pulang"),
    TK: gettext_noop("Tanpa keterangan"),
    "L": gettext_noop("Libur"),
    "CB": gettext_noop("Cuti bersama"),
    "BELUM": gettext_noop("Belum ada presensi (hari belum ditutup)"),
    "-": gettext_noop("Belum dihitung"),
}
ORDER = [PRESENT, *LATE_CODES, *EARLY_CODES, TK]
TAIL = ["L", "CB", "BELUM", "-"]


def absence_names() -> dict[str, str]:

    return dict(AbsenceType.objects.values_list("code", "name"))


def code_label(status: str, names: dict[str, str] | None = None) -> str:
    """ "TL1 PSW2" → "Terlambat band 1 + Pulang sebelum waktunya band 2"."""
    names = absence_names() if names is None else names
    parts = status.split() or [status]
    return " + ".join(FIXED.get(code) or names.get(code) or code for code in parts)


def status_order(status: str) -> tuple[int, str]:
    first = (status.split() or [""])[0]
    if first in ORDER:
        return (ORDER.index(first), status)
    if first in TAIL:
        return (100 + TAIL.index(first), status)
    return (50, status)
