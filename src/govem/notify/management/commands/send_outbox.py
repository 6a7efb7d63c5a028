"""``govem send-outbox``: send the due notifications now (the worker does this every tick)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from govem.notify import outbox


class Command(BaseCommand):
    help = "Kirim pesan notifikasi yang sudah waktunya (antrean outbox)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        report = outbox.send_due(limit=options["limit"])
        self.stdout.write(json.dumps({**report.as_dict(), "backlog": outbox.backlog()}))
