"""NIP (Nomor Induk Pegawai) validation: 18 digits, BKN's structure.

PNS (Perka BKN 43/2007): ``YYYYMMDD`` birth date, ``YYYYMM`` TMT (first appointment), one
gender digit (1 man, 2 woman) and a three-digit sequence.

PPPK (the NI PPPK): the same, except that digits 13–14 are not a month but a code for the
work agreement (``21`` for PPPK, ``24`` seen for part-time PPPK), so they are not checked
as a month. ``pppk=False`` is the strict PNS reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# ASCII digits only: \d would also match Arabic-Indic or full-width digits, which int() reads.
_NIP = re.compile(r"[0-9]{18}")


@dataclass(frozen=True, slots=True)
class NipParts:
    birth_date: date
    tmt_year: int
    tmt_month: int
    """The TMT month 1–12 of a PNS; 0 for a PPPK number, whose digits 13–14 are ``code``."""
    gender: int
    sequence: int
    code: int | None = None


class NipError(ValueError):
    """Why a NIP is not valid, in Indonesian."""


def parse_nip(value: str, *, pppk: bool = False) -> NipParts:
    nip = value.strip()
    if not _NIP.fullmatch(nip):
        raise NipError("NIP harus terdiri dari 18 digit angka.")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError as exc:
        raise NipError("8 digit pertama NIP bukan tanggal lahir yang valid (YYYYMMDD).") from exc
    if birth.year < 1940:
        raise NipError("Tahun lahir pada NIP tidak wajar.")
    tmt_year, middle = int(nip[8:12]), int(nip[12:14])
    if not pppk and not 1 <= middle <= 12:
        raise NipError(
            "Bulan TMT pada NIP (digit 13–14) harus 01–12. "
            "NI PPPK memakai kode di sini (mis. 21): pilih jenis pegawai PPPK."
        )
    if tmt_year < birth.year + 15:
        raise NipError("TMT pada NIP harus paling cepat 15 tahun setelah tahun lahir.")
    gender = int(nip[14])
    if gender not in (1, 2):
        raise NipError("Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2.")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError("Nomor urut pada NIP (3 digit terakhir) tidak boleh 000.")
    if pppk:
        return NipParts(birth, tmt_year, 0, gender, sequence, code=middle)
    return NipParts(birth, tmt_year, middle, gender, sequence)


def is_valid_nip(value: str, *, pppk: bool = False) -> bool:
    try:
        parse_nip(value, pppk=pppk)
    except NipError:
        return False
    return True


def tmt_from_nip(value: str, *, pppk: bool = False) -> date | None:
    """The TMT (first appointment) a PNS NIP carries in digits 9–14 (``YYYYMM``): the first
    of that month. ``None`` for an invalid NIP and for a NI PPPK, whose digits 13–14 are a
    code, not a month."""
    if pppk:
        return None
    try:
        parts = parse_nip(value)
    except NipError:
        return None
    return date(parts.tmt_year, parts.tmt_month, 1)
