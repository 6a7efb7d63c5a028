"""``govem tpp report --month YYYY-MM [--unit U] [--format xlsx|pdf] [-o FILE]``,
``govem tpp import-pagu FILE`` and ``govem tpp import-productivity FILE --month YYYY-MM``;
each import also ``--template FILE.xlsx`` (the header, explanation and example rows of the
page's *Unduh templat*).

The command runs as the server's administrator: the whole regency, audited as the console.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govem.attendance.recap import parse_month
from govem.documents import write_generated
from govem.errors import DomainError
from govem.payroll import services
from govem.payroll.report import tpp_file
from govem.people.import_command import file_argument, write_template
from govem.people.models import Employee, Unit


class Command(BaseCommand):
    help = "TPP: laporan bulanan per unit (XLSX/PDF), impor pagu dan produktivitas."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(
            dest="kind", required=True, metavar="report|import-pagu|import-productivity"
        )
        report = kinds.add_parser("report", help="laporan TPP bulanan untuk BPKAD")
        report.add_argument("--month", required=True, help="bulan YYYY-MM")
        report.add_argument(
            "--unit", help="kode unit (termasuk sub-unit); tanpa: seluruh kabupaten"
        )
        report.add_argument("--format", choices=("xlsx", "pdf"), default="xlsx")
        report.add_argument("-o", "--output", help="berkas tujuan ('-' untuk stdout)")
        pagu = kinds.add_parser("import-pagu", help="impor tabel pagu TPP (XLSX/CSV)")
        file_argument(pagu)
        productivity = kinds.add_parser(
            "import-productivity", help="impor produktivitas per pegawai-bulan (XLSX/CSV)"
        )
        file_argument(productivity)
        productivity.add_argument(
            "--month", help="bulan YYYY-MM (bila kolom Bulan kosong); wajib untuk impor"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["kind"] == "report":
                self._report(options)
            elif options["kind"] == "import-pagu":
                if write_template(self, options, services.PAGU, title="Pagu TPP"):
                    return
                data, name = _read(options["file"])
                result = services.import_pagu(data=data, file_name=name, by=None)
                self.stdout.write(_summary(result))
            else:
                if write_template(self, options, services.PRODUCTIVITY, title="Produktivitas"):
                    return
                if not options["month"]:
                    raise CommandError("Sebutkan bulannya: --month YYYY-MM")
                data, name = _read(options["file"])
                month = parse_month(options["month"], default=timezone.localdate())
                result = services.import_productivity(
                    data=data,
                    file_name=name,
                    month=month,
                    employees=Employee.objects.all(),
                    by=None,
                )
                self.stdout.write(_summary(result))
        except DomainError as error:
            lines = [error.message]
            for item in error.details.get("errors", [])[:50]:
                lines.append(f"  baris {item['row']} ({item['column']}): {item['message']}")
            raise CommandError("\n".join(lines)) from error

    def _report(self, options: dict[str, Any]) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unit {options['unit']!r} tidak ditemukan.")
        month = parse_month(options["month"], default=timezone.localdate())
        content, name = tpp_file(Employee.objects.all(), month, unit, options["format"])
        write_generated(self, content, options["output"] or name)


def _read(path: str) -> tuple[bytes, str]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"Berkas {path} tidak ada.")
    return file.read_bytes(), file.name


def _summary(result: services.ImportResult) -> str:
    return f"{result.created} baru, {result.updated} diubah, {result.unchanged} tetap."
