"""``govem run-phase PHASE --date D``: run one phase of the SOP day by hand."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govem.errors import DomainError
from govem.operations import phases
from govem.operations.models import PhaseRun


class Command(BaseCommand):
    help = "Menjalankan satu fase harian dengan tangan (prepare, reconcile, close, settle)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("phase", choices=phases.PHASES)
        parser.add_argument(
            "--date", type=date.fromisoformat, help="tanggal YYYY-MM-DD (bawaan hari ini)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="jalankan ulang fase yang sudah selesai (tercatat di riwayat fase)",
        )
        parser.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate()
        phase = options["phase"]
        try:
            run = phases.run_phase(
                day,
                phase,
                force=options["force"],
                requested_by=f"govem run-phase ({phases.worker_id()})",
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if run is None:
            current = PhaseRun.objects.get(date=day, phase=phase)
            if current.status == PhaseRun.Status.RUNNING:
                raise CommandError(
                    f"Fase {phase} {day} sedang dijalankan oleh {current.claimed_by}."
                )
            raise CommandError(
                f"Fase {phase} {day} sudah selesai ({current.get_status_display()}); "
                "pakai --force untuk menjalankan ulang."
            )
        if options["json"]:
            self.stdout.write(json.dumps(run.result, indent=2, ensure_ascii=False))
        else:
            results = run.result.get("steps", {})
            order = [step.name for step in phases.steps_for(phase)]
            # In the order the steps ran (PostgreSQL's jsonb keeps no key order).
            names = [n for n in order if n in results] + [n for n in results if n not in order]
            for name in names:
                outcome = results[name]
                mark = "OK  " if outcome.get("ok") else "GAGAL"
                label = outcome.get("label", name)
                extra = f" — {outcome['error']}" if outcome.get("error") else ""
                self.stdout.write(f"[{mark}] {label} ({outcome.get('seconds', 0)} dtk){extra}")
        self.stdout.write(f"Fase {phase} {day}: {run.get_status_display()}.")
        if run.status == PhaseRun.Status.FAILED:
            raise CommandError(run.error or "fase gagal")
