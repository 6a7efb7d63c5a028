"""``govem recompute --from D --to D [--unit CODE] [--reason TEXT]``: rebuild day records."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govem.accounts import audit
from govem.attendance.days import recompute_days
from govem.people.models import Unit


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Tanggal tidak valid: {text!r} (format YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Menghitung ulang rekap harian (TL/PSW/TK, potongan) untuk rentang tanggal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="tanggal awal YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="tanggal akhir YYYY-MM-DD")
        parser.add_argument("--unit", help="kode unit (termasuk sub-unit)")
        parser.add_argument(
            "--reason",
            default="",
            help="alasan; tanpa alasan hari yang sudah dikunci (diverifikasi) dilewati",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to sebelum --from.")
        if (end - start).days > 366:
            raise CommandError("Rentang paling lama 367 hari; jalankan per tahun.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unit {options['unit']!r} tidak ditemukan.")
        # A blank --reason is no reason: verified (locked) days stay as they are.
        reason = (options["reason"] or "").strip()
        began = time.perf_counter()
        with audit.acting_as(None, reason=reason):
            result = recompute_days(None, start, end, unit=unit, reason=reason)
        seconds = time.perf_counter() - began
        self.stdout.write(
            f"{result.days} hari-pegawai ({result.employees} pegawai) dalam {seconds:.1f} s: "
            f"{result.created} baru, {result.updated} berubah, {result.unchanged} tetap, "
            f"{result.locked_skipped} terkunci dilewati."
        )
        if result.locked_skipped:
            self.stdout.write(
                'Hari yang sudah diverifikasi tidak diubah; ulangi dengan --reason "..." '
                "untuk mengubahnya (setiap perubahan dicatat di log audit)."
            )
