"""Real threads over real transactions: each thread has its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def in_threads(count: int, work: Callable[[int], Any], *, together: bool = False) -> list[Any]:
    """``work(i)`` in ``count`` threads (``together``: released at the same moment); each
    thread's result, or the exception it raised (the caller's assertions surface it). Every
    thread closes its database connections when it ends."""
    barrier = threading.Barrier(count) if together else None
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            results[index] = work(index)
        except BaseException as exc:  # surfaced by the caller's assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
