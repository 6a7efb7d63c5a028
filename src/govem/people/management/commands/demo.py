"""``govem demo``: load the demo regency (Kabupaten Tapin) and print its logins."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govem.people.demo import DEFAULT_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Memuat data demo Kabupaten Tapin (unit kerja, lokasi di sekitar Rantau, 300 pegawai) "
        "dan menampilkan akun demo. Aman dijalankan berulang kali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"kata sandi semua akun demo (bawaan {DEFAULT_PASSWORD!r})",
        )
        parser.add_argument(
            "--json", action="store_true", help="hanya cetak ringkasan JSON (untuk skrip)"
        )
        parser.add_argument(
            "--history",
            type=int,
            default=5,
            help="riwayat presensi demo untuk N hari kerja terakhir (bawaan 5; 0 = tanpa)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        if not password:
            raise CommandError("Kata sandi demo tidak boleh kosong.")
        result = load_demo(password=password)
        history = {"punches": 0, "days": 0}
        if options["history"] > 0:
            # attendance imports people at module level: a top-level import would be circular
            from govem.attendance.demo_history import lay_history

            history = lay_history(min(options["history"], 60))
        if options["json"]:
            summary = {**result.as_json(), "history": history}
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        changed = sum(result.changes.values()) + history["punches"]
        if history["punches"]:
            self.stdout.write(
                f"Riwayat presensi demo: {history['punches']} presensi pada "
                f"{history['days']} hari kerja terakhir (laporan dan rekap langsung berisi)."
            )
        self.stdout.write(
            f"Data demo Kabupaten Tapin siap: {result.units} unit kerja, "
            f"{result.employees} pegawai, {result.locations} lokasi kerja "
            "(koordinat perkiraan di sekitar Rantau, ditandai sebagai demo)."
        )
        self.stdout.write(
            f"{changed} perubahan ditulis." if changed else "Tidak ada perubahan: data sudah ada."
        )
        rows = [("Peran", "Login (NIP)", "Kata sandi", "Nama", "Unit kerja")]
        rows += [
            (a["role"], a["login"], result.password, a["name"], a["unit"]) for a in result.accounts
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("\nAkun demo:")
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[4]]))
        self.stdout.write(
            "\nSemua pegawai demo masuk dengan NIP (atau nomor induk non-ASN) dan kata sandi "
            "yang sama.\n"
            "Buka http://127.0.0.1:8000/ (setelah `make run` atau `govem serve`); "
            "admin di http://127.0.0.1:8000/admin/ dengan akun Tim IT."
        )
