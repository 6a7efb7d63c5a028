"""``govem import-employees FILE [--dry-run] [--deactivate-missing [--scope unit CODE]]``,
``govem import-employees --template FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govem.accounts import audit
from govem.errors import DomainError
from govem.people.import_command import file_argument, write_template
from govem.people.import_table import EMPLOYEES
from govem.people.importing import ImportPlan, import_employees

SHOW = 50


class Command(BaseCommand):
    help = (
        "Impor pegawai dari ekspor sistem kepegawaian (XLSX atau CSV: NIP, Nama, Jabatan, "
        "Kode Unit, Jenis Pegawai, Telepon, Email, NIP Atasan). Semua atau tidak sama sekali."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        file_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="tampilkan perubahan tanpa menyimpan"
        )
        parser.add_argument(
            "--scope",
            nargs=2,
            metavar=("unit", "CODE"),
            help="pegawai keluar hanya dicari di subpohon unit ini (bawaan: seluruh kabupaten)",
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="berkas adalah daftar lengkap: nonaktifkan pegawai aktif yang tidak ada di "
            "berkas (hanya untuk kali ini; cek dulu dengan --dry-run)",
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="(bawaan) tidak ada pegawai yang dinonaktifkan",
        )
        parser.add_argument("--json", action="store_true", help="ringkasan JSON untuk skrip")
        parser.add_argument("--all", action="store_true", help="tampilkan semua baris, bukan 50")

    def handle(self, *args: Any, **options: Any) -> None:
        if write_template(self, options, EMPLOYEES, title="Pegawai"):
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        scope = options["scope"]
        if scope and scope[0] != "unit":
            raise CommandError("Gunakan --scope unit KODE")
        if options["deactivate_missing"] and options["partial"]:
            raise CommandError("--deactivate-missing dan --partial tidak dapat dipakai bersama.")
        try:
            with audit.acting_as(None, reason="govem import-employees"):
                outcome = import_employees(
                    data=path.read_bytes(),
                    file_name=path.name,
                    dry_run=options["dry_run"],
                    scope_code=scope[1] if scope else "",
                    full_roster=options["deactivate_missing"],
                    source="cli",
                )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        plan, run = outcome.plan, outcome.run
        if options["json"]:
            body = {
                "status": run.status,
                "dry_run": run.dry_run,
                "duration_ms": run.duration_ms,
                **plan.counts(),
                "errors": run.errors,
            }
            self.stdout.write(json.dumps(body, ensure_ascii=False))
        else:
            self._report(plan, limit=None if options["all"] else SHOW)
            verdict = {
                "preview": "Uji coba: tidak ada yang disimpan.",
                "applied": "Diterapkan.",
                "refused": "DITOLAK: ada baris tidak valid, tidak ada yang disimpan.",
            }[run.status]
            self.stdout.write(f"{verdict} ({run.duration_ms} ms)")
        if plan.errors:
            raise CommandError(f"{plan.invalid_rows} baris tidak valid.", returncode=2)

    def _report(self, plan: ImportPlan, *, limit: int | None) -> None:
        write = self.stdout.write
        counts = plan.counts()
        write(
            f"{plan.file_name}: {counts['rows']} baris — {counts['created']} baru, "
            f"{counts['changed']} berubah, {counts['deactivated']} keluar, "
            f"{counts['unchanged']} tetap, {counts['invalid']} baris tidak valid"
        )
        sections: list[tuple[str, list[str]]] = [
            (
                "Baris tidak valid",
                [f"  baris {e.row} ({e.identifier or '-'}): {e.message}" for e in plan.errors],
            ),
            ("Pegawai baru", [f"  + {p.identifier} {p.name} [{p.unit_code}]" for p in plan.new]),
            (
                "Pegawai berubah",
                [
                    f"  ~ {c.identifier} {c.name}: "
                    + "; ".join(f"{f.label}: {f.old or '—'} → {f.new or '—'}" for f in c.changes)
                    for c in plan.changed
                ],
            ),
            (
                "Pegawai keluar (dinonaktifkan)",
                [f"  - {p.identifier} {p.name} [{p.unit_code}]" for p in plan.leaving],
            ),
        ]
        if not plan.leaving and plan.absent:
            sections.append(
                (
                    "Tidak ada di berkas, tetap aktif (--deactivate-missing untuk menonaktifkan)",
                    [f"  · {p.identifier} {p.name} [{p.unit_code}]" for p in plan.absent],
                )
            )
        for title, lines in sections:
            if not lines:
                continue
            write(f"{title} ({len(lines)}):")
            for line in lines[:limit]:
                write(line)
            if limit is not None and len(lines) > limit:
                write(f"  … dan {len(lines) - limit} lagi (--all untuk semua)")
