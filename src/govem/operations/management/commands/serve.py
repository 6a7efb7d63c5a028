"""``govem serve``: the production app server (gunicorn) with Govem's defaults."""

from __future__ import annotations

import multiprocessing
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Menjalankan server web Govem (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="alamat:port (bawaan 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, multiprocessing.cpu_count() * 2 + 1),
            help="jumlah proses pekerja gunicorn",
        )
        parser.add_argument("--threads", type=int, default=4, help="thread per pekerja")
        parser.add_argument(
            "--timeout", type=int, default=30, help="batas waktu permintaan (detik)"
        )
        parser.add_argument("--access-log", action="store_true", help="catat setiap permintaan")

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        from govem.wsgi import application

        config = {
            "bind": options["bind"],
            "workers": options["workers"],
            "threads": options["threads"],
            "timeout": options["timeout"],
            "graceful_timeout": 20,
            "worker_class": "gthread",
            "accesslog": "-" if options["access_log"] else None,
            "errorlog": "-",
        }

        class GovemServer(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                for key, value in config.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.stdout.write(f"Govem berjalan di http://{options['bind']}/ (Ctrl+C untuk berhenti)")
        GovemServer().run()
