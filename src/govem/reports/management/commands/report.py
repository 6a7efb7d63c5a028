"""``govem report daily --date D [--unit U] --format xlsx|pdf|csv -o FILE`` and
``govem report monthly --month YYYY-MM [--unit U] --format xlsx|pdf|csv -o FILE``.

The command runs as the server's administrator: the whole regency, or one unit subtree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govem.attendance.recap import parse_month
from govem.documents import write_generated
from govem.errors import DomainError
from govem.people.models import Employee, Unit
from govem.reports.files import daily_file, monthly_file

FORMATS = ("xlsx", "pdf", "csv")


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"Unit {code!r} tidak ditemukan (gunakan kode unit, mis. DISKOMINFO).")
    return unit


class Command(BaseCommand):
    help = "Membuat laporan presensi harian atau rekap bulanan (XLSX, PDF, CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="daily|monthly")
        daily = kinds.add_parser("daily", help="laporan harian")
        daily.add_argument("--date", required=True, help="tanggal YYYY-MM-DD")
        monthly = kinds.add_parser("monthly", help="rekap bulanan pegawai × tanggal")
        monthly.add_argument("--month", required=True, help="bulan YYYY-MM")
        for sub in (daily, monthly):
            sub.add_argument(
                "--unit", help="kode unit (termasuk sub-unit); tanpa: seluruh kabupaten"
            )
            sub.add_argument("--format", choices=FORMATS, default="xlsx")
            sub.add_argument(
                "-o", "--output", help="berkas tujuan ('-' untuk stdout); tanpa: nama baku"
            )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = _unit(options["unit"])
        fmt = options["format"]
        employees = Employee.objects.all()
        if options["kind"] == "daily":
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(
                    f"Tanggal tidak valid: {options['date']!r} (format YYYY-MM-DD)."
                ) from exc
            content, name = daily_file(employees, day, unit, fmt)
        else:
            try:
                month = parse_month(options["month"], default=timezone.localdate())
            except DomainError as error:
                raise CommandError(error.message) from error
            content, name = monthly_file(employees, month, unit, fmt)
        write_generated(self, content, options["output"] or name)
