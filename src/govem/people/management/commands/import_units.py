"""``govem import-units FILE [--dry-run]`` and ``govem import-units --template FILE``."""

from __future__ import annotations

from govem.people.import_command import TableImportCommand
from govem.people.import_runs import TableOutcome
from govem.people.unit_import import UNITS, import_units


class Command(TableImportCommand):
    help = (
        "Impor unit kerja (OPD dan sub-unit) dari XLSX atau CSV: Kode Unit, Nama Unit, "
        "Kode Unit Induk, Alamat. Semua atau tidak sama sekali."
    )
    spec = UNITS
    title = "Unit kerja"
    noun = "units"

    def run_import(self, *, data: bytes, file_name: str, dry_run: bool) -> TableOutcome:
        return import_units(data=data, file_name=file_name, dry_run=dry_run, source="cli")
