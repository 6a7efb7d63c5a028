"""Ports for the servers the tests and benchmarks start.

By default the kernel picks a free port. On a machine shared by several people each may be
given a range: ``GOVEM_TEST_PORTS=18600-18699`` for HTTP and SMTP servers (the live server of
the browser tests included), ``GOVEM_TEST_PG_PORTS=5461-5469`` for the PostgreSQL clusters of
``tests/pgcluster.py``. Each pytest-xdist worker then takes its own slice of the range, and
within a process a port is not handed out again before the slice has wrapped around (a
server started a moment ago may not have bound it yet).
"""

from __future__ import annotations

import os
import socket
import threading

SERVERS = "GOVEM_TEST_PORTS"
POSTGRES = "GOVEM_TEST_PG_PORTS"

_lock = threading.Lock()
_next: dict[str, int] = {}


def port_range(variable: str) -> tuple[int, int] | None:
    """The inclusive range in ``variable`` ("low-high"), or None when it is not set."""
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return None
    low, sep, high = raw.partition("-")
    if not sep or not low.strip().isdigit() or not high.strip().isdigit():
        raise ValueError(f"{variable}={raw!r}: expected LOW-HIGH, e.g. 18600-18699")
    first, last = int(low), int(high)
    if not 1024 <= first <= last <= 65535:
        raise ValueError(f"{variable}={raw!r}: expected 1024 <= LOW <= HIGH <= 65535")
    return first, last


def _worker_slice(first: int, last: int, reserve: int = 0) -> tuple[int, int]:
    """This pytest-xdist worker's part of the range (the whole range outside xdist), less
    ``reserve`` ports at its end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    size = (last - first + 1) // max(count, 1)
    if size <= reserve:
        raise ValueError(f"port range {first}-{last} is too small for {count} test processes")
    low = first + index * size
    return low, low + size - 1 - reserve


def live_server_port() -> int | None:
    """The port this process's pytest-django live server binds (the last of its slice)."""
    bounds = port_range(SERVERS)
    if bounds is None:
        return None
    return _worker_slice(*bounds)[1]


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(variable: str = SERVERS) -> int:
    """A port nothing listens on: the kernel's choice, or the next free one of the range."""
    bounds = port_range(variable)
    if bounds is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])
    low, high = _worker_slice(*bounds, reserve=1 if variable == SERVERS else 0)
    size = high - low + 1
    with _lock:
        start = _next.get(variable, low)
        for offset in range(size):
            port = low + (start - low + offset) % size
            if _bindable(port):
                _next[variable] = low + (port - low + 1) % size
                return port
    raise RuntimeError(f"no free port in {low}-{high} ({variable})")
