"""NIP (Nomor Induk Pegawai) validation: 18 digits, BKN's structure.

``YYYYMMDD`` birth date, ``YYYYMM`` TMT (start of service), one gender digit (1 man,
2 woman) and a three-digit sequence. PPPK numbers follow the same structure.
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
    gender: int
    sequence: int


class NipError(ValueError):
    """Why a NIP is not valid, in Indonesian."""


def parse_nip(value: str) -> NipParts:
    nip = value.strip()
    if not _NIP.fullmatch(nip):
        raise NipError("NIP harus terdiri dari 18 digit angka.")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError as exc:
        raise NipError("8 digit pertama NIP bukan tanggal lahir yang valid (YYYYMMDD).") from exc
    if birth.year < 1940:
        raise NipError("Tahun lahir pada NIP tidak wajar.")
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_month <= 12:
        raise NipError("Bulan TMT pada NIP (digit 13–14) harus 01–12.")
    if tmt_year < birth.year + 15:
        raise NipError("TMT pada NIP harus paling cepat 15 tahun setelah tahun lahir.")
    gender = int(nip[14])
    if gender not in (1, 2):
        raise NipError("Digit jenis kelamin pada NIP (digit 15) harus 1 atau 2.")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise NipError("Nomor urut pada NIP (3 digit terakhir) tidak boleh 000.")
    return NipParts(birth, tmt_year, tmt_month, gender, sequence)


def is_valid_nip(value: str) -> bool:
    try:
        parse_nip(value)
    except NipError:
        return False
    return True
