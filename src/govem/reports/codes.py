"""Status codes as the reports list them: a fixed order and an Indonesian label each."""

from __future__ import annotations

from govem.rules.bands import EARLY_CODES, LATE_CODES, PRESENT, TK

FIXED = {
    PRESENT: "Hadir tepat waktu",
    "TL1": "Terlambat band 1",
    "TL2": "Terlambat band 2",
    "TL3": "Terlambat band 3",
    "TL4": "Terlambat band 4 / tidak presensi masuk",
    "PSW1": "Pulang sebelum waktunya band 1",
    "PSW2": "Pulang sebelum waktunya band 2",
    "PSW3": "Pulang sebelum waktunya band 3",
    "PSW4": "Pulang sebelum waktunya band 4 / tidak presensi pulang",
    TK: "Tanpa keterangan",
    "L": "Libur",
    "CB": "Cuti bersama",
    "BELUM": "Belum ada presensi (hari belum ditutup)",
    "-": "Belum dihitung",
}
ORDER = [PRESENT, *LATE_CODES, *EARLY_CODES, TK]
TAIL = ["L", "CB", "BELUM", "-"]


def absence_names() -> dict[str, str]:
    from govem.absences.models import AbsenceType

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
