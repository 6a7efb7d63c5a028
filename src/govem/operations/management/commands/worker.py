"""``govem worker``: run the SOP day's phases, reminders and outbox in a loop."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govem.operations.worker import Worker


class Command(BaseCommand):
    help = (
        "Menjalankan fase harian (persiapan, rekonsiliasi, penutupan), pengingat dan "
        "antrean notifikasi. SIGTERM menyelesaikan langkah yang sedang berjalan lalu berhenti."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="satu putaran lalu keluar (untuk cron)"
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="jeda antar putaran (detik, bawaan 5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def log(text: str) -> None:
            self.stdout.write(text)
            self.stdout.flush()

        worker = Worker(interval=max(options["interval"], 0.1), log=log)
        worker.install_signals()
        worker.run(once=options["once"])
