"""``govem restore FILE``: replace the database and attachments with a backup's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govem.errors import DomainError
from govem.operations.restore import restore_backup

WORD = "PULIHKAN"


class Command(BaseCommand):
    help = "Memulihkan basis data dan lampiran dari arsip cadangan (menimpa data sekarang)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="arsip govem-*.tar (berkas, atau nama cadangan tersimpan)"
        )
        parser.add_argument("--yes", action="store_true", help="tanpa konfirmasi")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["file"]
        if not options["yes"]:
            self.stdout.write(
                f"Semua data di basis data sekarang akan DIGANTI dengan isi {archive.name}.\n"
                "Hentikan server dan worker lebih dahulu."
            )
            answer = input(f"Ketik {WORD} untuk melanjutkan: ")
            if answer.strip() != WORD:
                raise CommandError("Dibatalkan; tidak ada yang diubah.")
        try:
            result = restore_backup(archive)
        except DomainError as exc:
            raise CommandError(f"Pemulihan gagal: {exc.message}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Dipulihkan dari cadangan {result.created_at} ({result.engine}): "
                f"{result.tables} tabel, {result.rows} baris, {result.attachments} berkas lampiran."
            )
        )
        self.stdout.write("Jalankan `govem migrate` bila versi Govem lebih baru dari cadangan.")
