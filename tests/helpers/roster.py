"""The personnel system's employee export (CSV) for the import tests: its header, the NIPs of
the shared employees, and the current regency as rows."""

from __future__ import annotations

HEADER = ["NIP", "Nama", "Jabatan", "Kode Unit", "Jenis Pegawai", "Telepon", "Email", "NIP Atasan"]
BOSS = "198705122010011003"  # the conftest employee, Rahmat Hidayat
SITI = "199002022015032001"  # the conftest colleague
NEW = "199104152019032004"
NEW_2 = "199208012020121001"


def nip(sequence: int) -> str:
    return f"19900101201501{1 + sequence % 2}{sequence % 999 + 1:03d}"


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, sep: str = ";") -> bytes:
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def roster(*extra: list[str]) -> list[list[str]]:
    """The current regency as the personnel system would export it, plus ``extra`` rows."""
    return [
        [BOSS, "Rahmat Hidayat", "Pranata Komputer", "DISKOMINFO", "PNS", "", "", ""],
        [SITI, "Siti Aminah", "", "DISKOMINFO", "PNS", "", "", ""],
        *extra,
    ]
