"""``govem import-locations FILE [--dry-run]`` and ``govem import-locations --template FILE``."""

from __future__ import annotations

from govem.people.import_command import TableImportCommand
from govem.people.import_runs import TableOutcome
from govem.people.location_import import LOCATIONS, import_locations


class Command(TableImportCommand):
    help = (
        "Impor lokasi kerja dari XLSX atau CSV: Nama Lokasi, Lintang, Bujur, Radius (m) atau "
        "Poligon, Zona Waktu, Kode Unit yang dilayani, Alamat. Semua atau tidak sama sekali."
    )
    spec = LOCATIONS
    title = "Lokasi kerja"
    noun = "locations"

    def run_import(self, *, data: bytes, file_name: str, dry_run: bool) -> TableOutcome:
        return import_locations(data=data, file_name=file_name, dry_run=dry_run, source="cli")
