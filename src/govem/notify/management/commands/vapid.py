"""``govem vapid``: create the Web Push (VAPID) keys in the Govem storage; print the public key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govem.notify import vapid


class Command(BaseCommand):
    help = "Buat kunci VAPID untuk notifikasi Web Push (sekali) dan tampilkan kunci publiknya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace",
            action="store_true",
            help="buat kunci baru (semua langganan peramban yang ada menjadi tidak berlaku)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys, created = vapid.create(replace=options["replace"])
        if options["verbosity"] > 0:
            state = "dibuat" if created else "sudah ada"
            self.stderr.write(f"Kunci VAPID {state}: {keys.stored_as} (penyimpanan Govem)")
        self.stdout.write(keys.public_key)
