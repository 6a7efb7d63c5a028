"""What the import commands share: ``FILE`` or ``--template FILE``, the dry run and report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govem.accounts import audit
from govem.errors import DomainError
from govem.people.import_runs import TableOutcome, TablePlan
from govem.people.tables import TableSpec, template_xlsx


def file_argument(parser: CommandParser) -> None:
    parser.add_argument("file", nargs="?", help="berkas XLSX atau CSV")
    parser.add_argument(
        "--template",
        metavar="FILE",
        help="tulis templat XLSX (baris judul, baris penjelasan, satu baris contoh) lalu selesai",
    )


def write_template(
    command: BaseCommand, options: dict[str, Any], spec: TableSpec, *, title: str
) -> bool:
    """Write the template when ``--template`` was given (True: the command is done)."""
    target = options.get("template")
    if not target:
        if not options.get("file"):
            raise CommandError("Sebutkan berkas yang diimpor, atau --template BERKAS.xlsx")
        return False
    path = Path(target)
    if path.suffix.lower() != ".xlsx":
        raise CommandError("Templat ditulis sebagai XLSX: beri nama berkas berakhiran .xlsx")
    if not path.parent.is_dir():
        raise CommandError(f"Folder tidak ditemukan: {path.parent}")
    path.write_bytes(template_xlsx(spec, title=title))
    command.stdout.write(f"Templat {spec.noun} ditulis ke {path}")
    return True


SHOW = 50


class TableImportCommand(BaseCommand):
    """``govem import-units`` and ``govem import-locations``: FILE [--dry-run] [--json]."""

    spec: TableSpec
    title: str
    noun: str

    def run_import(self, *, data: bytes, file_name: str, dry_run: bool) -> TableOutcome:
        raise CommandError("no importer")  # each command names its service

    def add_arguments(self, parser: CommandParser) -> None:
        file_argument(parser)
        parser.add_argument(
            "--dry-run", action="store_true", help="tampilkan perubahan tanpa menyimpan"
        )
        parser.add_argument("--json", action="store_true", help="ringkasan JSON untuk skrip")
        parser.add_argument("--all", action="store_true", help="tampilkan semua baris, bukan 50")

    def handle(self, *args: Any, **options: Any) -> None:
        if write_template(self, options, self.spec, title=self.title):
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        try:
            with audit.acting_as(None, reason=f"govem import-{self.noun}"):
                outcome = self.run_import(
                    data=path.read_bytes(), file_name=path.name, dry_run=options["dry_run"]
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
            self.stdout.write(f"{VERDICTS[run.status]} ({run.duration_ms} ms)")
        if plan.errors:
            raise CommandError(f"{plan.invalid_rows} baris tidak valid.", returncode=2)

    def _report(self, plan: TablePlan, *, limit: int | None) -> None:
        write = self.stdout.write
        counts = plan.counts()
        write(
            f"{plan.file_name}: {counts['rows']} baris — {counts['created']} baru, "
            f"{counts['changed']} berubah, {counts['unchanged']} tetap, "
            f"{counts['invalid']} baris tidak valid"
        )
        sections = [
            ("Baris tidak valid", [f"  baris {e.row} ({e.identifier or '-'}): {e.message}"
                                   for e in plan.errors]),
            ("Baru", [f"  + baris {p.row}: {p.key} {p.name if p.name != p.key else ''}".rstrip()
                      for p in plan.new]),
            ("Berubah", [f"  ~ baris {p.row}: {p.key}: "
                         + "; ".join(f"{c.label}: {c.old or '—'} → {c.new or '—'}"
                                     for c in p.changes) for p in plan.changed]),
        ]  # fmt: skip
        for title, lines in sections:
            if not lines:
                continue
            write(f"{title} ({len(lines)}):")
            for line in lines[:limit]:
                write(line)
            if limit is not None and len(lines) > limit:
                write(f"  … dan {len(lines) - limit} lagi (--all untuk semua)")


VERDICTS = {
    "preview": "Uji coba: tidak ada yang disimpan.",
    "applied": "Diterapkan.",
    "refused": "DITOLAK: ada baris tidak valid, tidak ada yang disimpan.",
}
