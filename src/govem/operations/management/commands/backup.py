"""``govem backup``: one verified backup archive now (the ``close`` phase makes one daily)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govem.errors import DomainError
from govem.operations.backup import create_backup


class Command(BaseCommand):
    help = "Mencadangkan basis data dan lampiran ke satu arsip, lalu memverifikasinya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dest", type=Path, help="folder tujuan (bawaan GOVEM_BACKUP_DIR)")
        parser.add_argument(
            "--verify",
            action="store_true",
            default=True,
            help="pulihkan ke basis data sementara dan bandingkan jumlah baris (bawaan)",
        )
        parser.add_argument("--no-verify", dest="verify", action="store_false")
        parser.add_argument(
            "--no-prune", dest="prune", action="store_false", help="jangan terapkan retensi"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = create_backup(
                dest=options["dest"], verify=options["verify"], prune=options["prune"]
            )
        except DomainError as exc:
            raise CommandError(f"Cadangan gagal: {exc.message}") from exc
        rows = sum(backup.manifest.get("row_counts", {}).values())
        files = backup.manifest.get("attachments", {}).get("files", 0)
        self.stdout.write(f"Cadangan: {backup.path}")
        self.stdout.write(f"  ukuran {backup.size} bita, SHA-256 {backup.sha256}")
        self.stdout.write(f"  {rows} baris, {files} berkas lampiran")
        if backup.mirror_path:
            self.stdout.write(f"  salinan kedua: {backup.mirror_path}")
        if not options["verify"]:
            self.stdout.write("  tidak diverifikasi (--no-verify)")
        elif backup.verified:
            self.stdout.write(self.style.SUCCESS("  terverifikasi: jumlah baris cocok"))
        else:
            raise CommandError(f"Verifikasi gagal: {backup.error}")
