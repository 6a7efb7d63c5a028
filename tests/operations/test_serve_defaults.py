"""`govem serve` runs one gunicorn process per core (at least two), four threads each, and
prepares the master and every worker before they serve: URLconfs imported, the units' punch
contexts loaded, and the heap frozen out of the cyclic collector's scans."""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from govem.attendance import context
from govem.operations.management.commands import serve
from govem.people.models import Unit


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process's heap as pytest has it before and after (serve freezes it)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (8, 8)])
def test_it_runs_one_process_per_core_and_never_fewer_than_two(
    monkeypatch: Any, cores: int, workers: int
) -> None:
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: cores)
    options = serve.Command().create_parser("govem", "serve").parse_args([])
    assert (options.workers, options.threads) == (workers, 4)


def test_it_hands_the_counts_to_gunicorn(monkeypatch: Any, unfrozen: None) -> None:
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 2)
    seen: dict[str, Any] = {}

    def run(app: Any) -> None:
        app.load_config()
        seen.update(workers=app.cfg.workers, threads=app.cfg.threads, kind=app.cfg.worker_class_str)
        seen.update(urls="govem.api" in sys.modules, frozen=gc.get_freeze_count() > 0)

    monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", run)
    serve.Command().run_from_argv(["govem", "serve", "--bind", "127.0.0.1:0"])
    # Before it forks: the API's URLconf imported, which every worker would otherwise import
    # on its first request, and the heap frozen, so that the workers' full collections
    # leave Django's, ninja's and pydantic's objects alone.
    assert seen == {"workers": 2, "threads": 4, "kind": "gthread", "urls": True, "frozen": True}


@override_settings(GOVEM={**serve.settings.GOVEM, "CONTEXT_REFRESH_S": 30})
def test_a_worker_loads_every_unit_and_freezes_before_its_first_request(
    transactional_db: Any, unit: Unit, office: Any, monkeypatch: Any, unfrozen: None, caplog: Any
) -> None:
    stop = threading.Event()
    started: list[threading.Thread] = []
    real = context.start_refresher

    def refresher(interval_s: float) -> threading.Thread:
        started.append(real(interval_s, stop))
        return started[-1]

    monkeypatch.setattr(context, "start_refresher", refresher)
    context.forget()
    try:
        serve._prepare_worker(worker=None)
        assert connection.connection is None  # the hook's thread serves no request

        roots = set(Unit.objects.filter(parent=None).values_list("path", flat=True))
        assert set(context._units) == roots  # before the first request, not on it
        assert gc.get_freeze_count() > 0
        assert f"siap: {len(roots)} unit dimuat" in caplog.text  # the log says when it is
        assert len(started) == 1 and started[0].is_alive()  # then kept loaded ahead
    finally:
        stop.set()
        for thread in started:
            thread.join(10)
        context.forget()


@override_settings(GOVEM={**serve.settings.GOVEM, "CONTEXT_REFRESH_S": 0})
def test_a_worker_without_the_refresher_loads_nothing_but_still_freezes(
    transactional_db: Any, unit: Unit, monkeypatch: Any, unfrozen: None
) -> None:
    monkeypatch.setattr(context, "start_refresher", lambda *a: pytest.fail("started"))
    context.forget()
    serve._prepare_worker(worker=None)
    assert not context._units
    assert gc.get_freeze_count() > 0


def test_a_database_down_at_worker_start_leaves_the_load_to_the_first_punch(
    monkeypatch: Any, unfrozen: None, caplog: Any
) -> None:
    def down() -> int:
        raise OSError("connection refused")

    monkeypatch.setattr(context, "refresh", down)
    monkeypatch.setattr(context, "start_refresher", lambda interval_s: None)
    serve._prepare_worker(worker=None)  # the worker still boots
    assert "punch context load at worker start failed" in caplog.text
