"""``govem health``: the health checks in the console; non-zero exit on a critical failure."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govem.operations import health


class Command(BaseCommand):
    help = "Memeriksa kesehatan sistem (basis data, migrasi, worker, disk, cadangan, notifikasi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="hasil sebagai JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        checks = health.run_checks()
        if options["json"]:
            body = {"status": health.overall(checks), "checks": [c.as_dict() for c in checks]}
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))
        else:
            styles = {
                health.OK: self.style.SUCCESS,
                health.WARN: self.style.WARNING,
                health.FAIL: self.style.ERROR,
            }
            for check in checks:
                style = styles.get(check.status, str)
                mark = style(f"{check.status:<4}")
                crit = " (kritis)" if check.down else ""
                self.stdout.write(f"[{mark}] {check.label}{crit}: {check.message}")
            verdict = "SEHAT" if health.healthy(checks) else "TIDAK SEHAT"
            self.stdout.write(f"Keseluruhan: {health.overall(checks)} — {verdict}")
        if not health.healthy(checks):
            raise SystemExit(1)
