"""``govem serve``: the production app server (gunicorn) with Govem's defaults.

``--with-worker`` also starts ``govem worker`` as a child process once gunicorn is ready and
stops it (SIGTERM: it finishes its step) when gunicorn exits — what ``make run`` uses. In
production run the two as separate services (docs/deployment.md).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def default_workers() -> int:
    """One gunicorn process per CPU core, at least two (one may restart while the other
    serves). Measured on two cores (docs/scaling.md): two processes × 4 threads take more
    check-ins per second, with a shorter tail and less CPU each, than four × 4 — processes
    beyond the cores only contend for them (and for each one's GIL)."""
    return max(2, multiprocessing.cpu_count())


class Command(BaseCommand):
    help = "Menjalankan server web Govem (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="alamat:port (bawaan 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="jumlah proses pekerja gunicorn (bawaan: satu per inti CPU, paling sedikit 2)",
        )
        parser.add_argument("--threads", type=int, default=4, help="thread per pekerja")
        parser.add_argument(
            "--timeout", type=int, default=30, help="batas waktu permintaan (detik)"
        )
        parser.add_argument("--access-log", action="store_true", help="catat setiap permintaan")
        parser.add_argument(
            "--access-logfile",
            metavar="FILE",
            help="catat setiap permintaan ke berkas ini (dibuka ulang saat SIGUSR1, logrotate)",
        )
        parser.add_argument(
            "--error-logfile",
            metavar="FILE",
            help="log galat gunicorn ke berkas ini (bawaan stderr)",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="jalankan juga `govem worker` (fase harian, pengingat, cadangan)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # gunicorn and the WSGI app (django.setup, every URLconf) only once the server starts
        from gunicorn.app.base import BaseApplication

        # the WSGI app (django.setup, every URLconf) only once the server starts
        from govem.wsgi import application

        config = {
            "bind": options["bind"],
            "workers": options["workers"],
            "threads": options["threads"],
            "timeout": options["timeout"],
            "graceful_timeout": 20,
            "worker_class": "gthread",
            "accesslog": options["access_logfile"] or ("-" if options["access_log"] else None),
            "errorlog": options["error_logfile"] or "-",
        }
        config["post_worker_init"] = _prepare_worker
        if options["with_worker"]:
            config.update(_worker_hooks())

        class GovemServer(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        _prepare_master()
        self.stdout.write(f"Govem berjalan di http://{options['bind']}/ (Ctrl+C untuk berhenti)")
        GovemServer().run()


def _prepare_master() -> None:
    """Before gunicorn forks its workers: import every URLconf (the API's schemas, ~0.4 s),
    which each worker would otherwise do on its first request, and freeze what the master
    holds then. Frozen objects are left out of the cyclic collector's scans: with Django,
    ninja and pydantic loaded, a full collection scanned ~150k of them and held a worker's
    GIL for 100–180 ms in the middle of the morning rush (docs/scaling.md). What is frozen
    here are modules, classes and URL patterns that live as long as the process; the workers
    also keep sharing these pages with the master instead of copying them."""
    get_resolver().url_patterns  # noqa: B018 - imports them; the property is the import
    gc.collect()
    gc.freeze()


def _prepare_worker(worker: Any) -> None:
    """gunicorn hook, in each worker process before it takes its first request: load the
    units' punch contexts and keep them loaded ahead of the punches
    (``GOVEM_CONTEXT_REFRESH_S``; 0 turns both off), then freeze the heap as it is."""
    # only in a worker process: the command's import (`govem --help`) stays light
    from govem.attendance.context import refresh, start_refresher

    started = time.perf_counter()
    loaded = 0
    interval = float(settings.GOVEM["CONTEXT_REFRESH_S"])
    if interval > 0:
        try:
            loaded = refresh()
        except Exception:  # the database not there yet: the next refresh or punch loads
            logger.exception("punch context load at worker start failed")
        finally:
            connection.close()  # this thread serves no request
    # The contexts have no reference cycles: one that a later refresh replaces is freed
    # by its reference count, frozen or not, so freezing it leaks nothing.
    gc.collect()
    gc.freeze()
    if interval > 0:
        start_refresher(interval)
    # gunicorn's log (serve.log): when each worker takes requests; benchmarks wait for it.
    log = getattr(worker, "log", logger)
    log.info(
        "pekerja %s siap: %d unit dimuat dalam %.0f ms",
        os.getpid(),
        loaded,
        (time.perf_counter() - started) * 1000,
    )


def _worker_hooks() -> dict[str, Any]:
    """gunicorn server hooks (run in the master only) that own a ``govem worker`` child."""
    child: dict[str, subprocess.Popen[bytes]] = {}

    def when_ready(server: Any) -> None:
        command = [sys.executable, "-m", "govem.cli", "worker"]
        child["worker"] = subprocess.Popen(command)  # noqa: S603 - our own interpreter
        server.log.info("govem worker dimulai (pid %s)", child["worker"].pid)

    def on_exit(server: Any) -> None:
        process = child.pop("worker", None)
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.log.info("govem worker berhenti")

    return {"when_ready": when_ready, "on_exit": on_exit}
