"""`govem serve` runs one gunicorn process per core (at least two), four threads each."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest

from govem.operations.management.commands import serve


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (8, 8)])
def test_it_runs_one_process_per_core_and_never_fewer_than_two(
    monkeypatch: Any, cores: int, workers: int
) -> None:
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: cores)
    options = serve.Command().create_parser("govem", "serve").parse_args([])
    assert (options.workers, options.threads) == (workers, 4)


def test_it_hands_the_counts_to_gunicorn(monkeypatch: Any) -> None:
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 2)
    seen: dict[str, Any] = {}

    def run(app: Any) -> None:
        app.load_config()
        seen.update(workers=app.cfg.workers, threads=app.cfg.threads, kind=app.cfg.worker_class_str)

    monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", run)
    serve.Command().run_from_argv(["govem", "serve", "--bind", "127.0.0.1:0"])
    assert seen == {"workers": 2, "threads": 4, "kind": "gthread"}
