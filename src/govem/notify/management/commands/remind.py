"""``govem remind checkin|checkout|nudge [--date D]``: queue reminders by hand."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from govem.notify import reminders

KINDS = {
    "checkin": reminders.queue_checkin_reminders,
    "checkout": reminders.queue_checkout_reminders,
    "nudge": reminders.queue_late_nudges,
}


class Command(BaseCommand):
    help = (
        "Antrekan pengingat: checkin (pengingat masuk), nudge (belum presensi setelah masa "
        "toleransi), checkout (pengingat pulang). Setiap pengingat hanya sekali per pegawai "
        "per hari; kirim dengan govem send-outbox atau biarkan worker mengirim."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--date", help="YYYY-MM-DD (bawaan: hari ini)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("Tanggal harus YYYY-MM-DD") from exc
        result = KINDS[options["kind"]](day)
        self.stdout.write(json.dumps(result.as_dict()))
